using Concord.Core.Matching;

namespace Concord.Core.Tests.Matching;

public class TermFrequencyTests
{
    private static readonly MatchModel Model = new(
        "test",
        [
            new Comparison("last_name", Preparation.Name, [new(LevelKind.Exact), new(LevelKind.JaroWinkler, 0.9)]) { TermFrequency = true },
            new Comparison("city", Preparation.Text, [new(LevelKind.Exact)]),
        ],
        [new("last name", [new("last_name", Preparation.Name)])],
        new MatchThresholds());

    private static MatchRecord Person(string id, string? last, string city) =>
        new(id, new Dictionary<string, string?> { ["last_name"] = last, ["city"] = city });

    // Six Smiths, two Wollenskys, two Ngs: exactly agreeing pairs 15 + 1 + 1.
    private static readonly MatchRecord[] People =
    [
        .. Enumerable.Range(0, 6).Select(i => Person($"s{i}", "Smith", "Leeds")),
        Person("w0", "Wollensky", "York"), Person("w1", "Wollensky", "York"),
        Person("n0", "Ng", "Hull"), Person("n1", "Ng", "Hull"),
        Person("x0", null, "Hull"),
    ];

    [Fact]
    public void Adjustment_RaisesRareValuesAndLowersCommonOnes_AroundTheMeanOfAgreeingPairs()
    {
        var records = new PreparedRecords(Model, People);
        var frequencies = TermFrequencies.Count(records);

        // E in counts: Σ c(c-1)·c / Σ c(c-1) = (30·6 + 2·2 + 2·2) / (30 + 2 + 2) = 188 / 34.
        var mean = 188.0 / 34;
        Assert.Equal(Math.Log2(mean / 6), frequencies.Adjustment(0, records.Values[0]), 9);
        Assert.Equal(Math.Log2(mean / 2), frequencies.Adjustment(0, records.Values[6]), 9);
        Assert.True(frequencies.Adjustment(0, records.Values[6]) > 0);
        Assert.True(frequencies.Adjustment(0, records.Values[0]) < 0);

        // Missing values and comparisons without the adjustment get none.
        Assert.Equal(0, frequencies.Adjustment(0, records.Values[10]));
        Assert.Equal(0, frequencies.Adjustment(1, records.Values[6]));
    }

    [Fact]
    public void CountingOneRecordAtATime_GivesTheSameAdjustmentAsCountingAll()
    {
        var records = new PreparedRecords(Model, People);
        var all = TermFrequencies.Count(records);
        var growing = new TermFrequencies(records);
        foreach (var row in records.Values.Take(People.Length - 1))
        {
            growing.Add(row);
        }

        // The last record is counted as the arriving one.
        Assert.Equal(all.Adjustment(0, records.Values[7]), growing.Adjustment(0, records.Values[7], extra: 0), 9);
    }

    [Fact]
    public void MatchWeights_OfExactPairs_CarryTheAdjustment_AndOtherLevelsDoNot()
    {
        var run = Matcher.Run(Model, People, new MatchOptions());
        var frequencies = TermFrequencies.Count(run.Records);
        var smiths = run.Weight(0, 1);
        var wollenskys = run.Weight(6, 7);

        // Same comparison vector (name exact, city exact): only the adjustment differs.
        Assert.Equal(run.Records.Compare(0, 1), run.Records.Compare(6, 7));
        Assert.Equal(frequencies.Adjustment(0, run.Records.Values[6]) - frequencies.Adjustment(0, run.Records.Values[0]), wollenskys - smiths, 5);
        Assert.True(wollenskys > smiths);
        var p = Array.IndexOf(run.Pairs, ComparisonVector.Pair(6, 7));
        Assert.Equal(wollenskys, run.Weights[p], 5);
    }

    [Fact]
    public void AModelWhoseAdjustedComparisonDoesNotStartExact_IsRejected()
    {
        var bad = Model with { Comparisons = [new Comparison("last_name", Preparation.Name, [new(LevelKind.JaroWinkler, 0.9)]) { TermFrequency = true }] };

        Assert.Throws<ArgumentException>(() => bad.Validate());
    }
}
