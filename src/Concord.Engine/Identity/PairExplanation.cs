using Concord.Core.Matching;

namespace Concord.Engine.Identity;

/// <summary>How one field of a pair compared: the level it fell in and what that level weighed.</summary>
/// <param name="Field">The model's field.</param>
/// <param name="Level">The level's label (<c>exact</c>, <c>jaro_winkler≥0.92</c>, <c>else</c>, <c>null</c> for a missing value).</param>
/// <param name="Agreement"><c>exact</c>, <c>close</c>, <c>different</c> or <c>missing</c>.</param>
/// <param name="Weight">The level's log2 Bayes factor: positive is evidence for a match.</param>
/// <param name="Left">The first record's value as compared.</param>
/// <param name="Right">The second record's value as compared.</param>
public sealed record FieldComparison(string Field, string Level, string Agreement, double Weight, string? Left, string? Right);

/// <summary>Why a pair scored what it did: the probability and each field's part in it.</summary>
public sealed record PairExplanation(double Probability, double MatchWeight, IReadOnlyList<FieldComparison> Fields)
{
    /// <summary>The fields that agreed exactly, and with a <c>~</c> those that agreed closely.</summary>
    public string Agreeing =>
        Fields.Where(f => f.Agreement is "exact" or "close").Select(f => f.Agreement == "exact" ? f.Field : f.Field + "~").DefaultIfEmpty("none")
            .Aggregate((a, b) => a + ", " + b);

    /// <summary>Explains the pair (<paramref name="left"/>, <paramref name="right"/>) under <paramref name="parameters"/>.</summary>
    public static PairExplanation Of(MatchModel model, FellegiSunterParameters parameters, MatchRecord left, MatchRecord right)
    {
        var prepared = new PreparedRecords(model, [left, right]);
        var vector = prepared.Compare(0, 1);
        var fields = new List<FieldComparison>();
        for (var k = 0; k < model.Comparisons.Count; k++)
        {
            var comparison = model.Comparisons[k];
            var level = ComparisonVector.Level(vector, k);
            var agreement = level == Comparison.Null ? "missing" : level == 1 ? "exact" : level < comparison.LevelCount - 1 ? "close" : "different";
            fields.Add(new FieldComparison(comparison.Field, comparison.LevelLabel(level), agreement, parameters.LevelWeight(k, level),
                left.Fields.GetValueOrDefault(comparison.Field), right.Fields.GetValueOrDefault(comparison.Field)));
        }

        var weight = parameters.MatchWeight(vector);
        return new PairExplanation(FellegiSunterParameters.Probability(weight), weight, fields);
    }
}
