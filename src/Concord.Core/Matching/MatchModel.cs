namespace Concord.Core.Matching;

/// <summary>
/// How records of one entity type are matched, as data a configuration could choose: the
/// comparisons that score a pair, the blocking rules that choose which pairs are scored, and
/// the thresholds that turn a score into a decision.
/// </summary>
/// <param name="EntityType">The entity type, such as <c>customer</c>.</param>
/// <param name="Comparisons">One per compared field (at most 16, each with at most 13 levels).</param>
/// <param name="Blocking">Blocking rules, OR-ed; also the training sessions for the m-probabilities.</param>
/// <param name="Thresholds">Merge and review thresholds.</param>
public sealed record MatchModel(
    string EntityType,
    IReadOnlyList<Comparison> Comparisons,
    IReadOnlyList<BlockingRule> Blocking,
    MatchThresholds Thresholds)
{
    /// <summary>Most comparisons a model may have (each takes four bits of a pair's comparison vector).</summary>
    public const int MaxComparisons = 16;

    /// <summary>Throws when the model cannot be run.</summary>
    public void Validate()
    {
        if (Comparisons.Count is 0 or > MaxComparisons)
        {
            throw new ArgumentException($"a match model needs 1 to {MaxComparisons} comparisons; {EntityType} has {Comparisons.Count}");
        }

        if (Comparisons.FirstOrDefault(c => c.LevelCount > 15) is { } wide)
        {
            throw new ArgumentException($"comparison of {wide.Field} has more than 13 levels");
        }

        if (Comparisons.FirstOrDefault(c => c.TermFrequency && (c.Levels.Count == 0 || c.Levels[0].Kind != LevelKind.Exact)) is { } adjusted)
        {
            throw new ArgumentException($"comparison of {adjusted.Field} takes a term-frequency adjustment, so its first level must be exact");
        }

        if (Blocking.Count == 0 || Blocking.Any(b => b.Keys.Count == 0))
        {
            throw new ArgumentException($"the {EntityType} match model needs blocking rules, each with a key");
        }

        if (Thresholds.Review > Thresholds.Merge)
        {
            throw new ArgumentException("the review threshold is above the merge threshold");
        }
    }
}
