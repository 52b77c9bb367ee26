using Concord.Core.Matching;

namespace Concord.Core.Tests.Matching;

public class BlockingTests
{
    private static readonly MatchModel Model = new(
        "test",
        [new Comparison("name", Preparation.Name, [new(LevelKind.Exact)])],
        [
            new("city", [new("city", Preparation.Text)]),
            new("name sound", [new("name", Preparation.Name, KeyTransform.Phonetic)]),
            new("word", [new("name", Preparation.Name, KeyTransform.Tokens, 3)], MaxBlockSize: 2),
        ],
        new MatchThresholds());

    private static MatchRecord Record(string id, string name, string? city, int source = 0) =>
        new(id, new Dictionary<string, string?> { ["name"] = name, ["city"] = city }, source);

    private static readonly MatchRecord[] People =
    [
        Record("0", "Ann Smith", "Leeds"),
        Record("1", "Anne Smith", "Leeds"),
        Record("2", "Ann Smyth", null),
        Record("3", "Bob Jones", "Leeds"),
        Record("4", "Bob Smith", "York"),
    ];

    [Fact]
    public void Rules_AreOredAndEachPairIsCandidateOnce_WithCountsPerRule()
    {
        var blocker = new Blocker(new PreparedRecords(Model, People), linkOnly: false);

        var (pairs, counts) = blocker.Candidates();

        // city: Leeds {0,1,3} → 3 pairs. Sound of the first word: AN {0,1,2}, BAB {3,4} → 4 pairs, (0,1) already found.
        // Words of 3+ letters, blocks of at most 2: "ann" {0,2} and "bob" {3,4}, both already found; "smith" {0,1,4} is too big.
        Assert.Equal(new[] { (0, 1), (0, 2), (0, 3), (1, 2), (1, 3), (3, 4) }, pairs.Select(ComparisonVector.Unpair).Select(p => (p.I, p.J)));
        Assert.Equal(new BlockingCount("city", 3, 3, 0), counts[0]);
        Assert.Equal(new BlockingCount("name sound", 4, 3, 0), counts[1]);
        Assert.Equal(new BlockingCount("word", 2, 0, 1), counts[2]);
        Assert.Equal(4, blocker.PairsOfRule(1).Length);
    }

    [Fact]
    public void Linking_PairsOnlyAcrossSources()
    {
        MatchRecord[] records = [Record("a0", "Ann", "Leeds", 0), Record("a1", "Bob", "Leeds", 0), Record("b0", "Ann", "Leeds", 1)];
        var (pairs, counts) = new Blocker(new PreparedRecords(Model, records), linkOnly: true).Candidates();

        Assert.Equal(new[] { (0, 2), (1, 2) }, pairs.Select(ComparisonVector.Unpair).Select(p => (p.I, p.J)));
        Assert.Equal(2, counts[0].Pairs);
        Assert.Equal(2, MatchTrainer.TotalPairs([0, 0, 1], linkOnly: true));
    }

    [Fact]
    public void CompositeKeys_NeedEveryPart()
    {
        var rule = new BlockingRule("sound + city", [new("name", Preparation.Name, KeyTransform.Phonetic), new("city", Preparation.Text)]);
        var model = Model with { Blocking = [rule] };
        var (pairs, _) = new Blocker(new PreparedRecords(model, People), linkOnly: false).Candidates();

        Assert.Equal(new[] { (0, 1) }, pairs.Select(ComparisonVector.Unpair).Select(p => (p.I, p.J)));
    }

    [Fact]
    public void ABlockAboveTheRefineLimit_IsSplitByTheRefinementKeys_AndSmallBlocksAreNot()
    {
        // City blocks: Leeds {0,1,2,3} is above the limit of 3 and splits by either initial; York {4,5} stays whole.
        var rule = new BlockingRule("city", [new("city", Preparation.Text)])
        {
            Refinement = [new("first", Preparation.Name, KeyTransform.Prefix, 1), new("last", Preparation.Name, KeyTransform.Prefix, 1)],
            RefineAbove = 3,
        };
        var model = new MatchModel("test", [new Comparison("first", Preparation.Name, [new(LevelKind.Exact)])], [rule], new MatchThresholds());
        MatchRecord Person(string id, string first, string last, string city) =>
            new(id, new Dictionary<string, string?> { ["first"] = first, ["last"] = last, ["city"] = city });
        MatchRecord[] people =
        [
            Person("0", "Ann", "Smith", "Leeds"),
            Person("1", "Smith", "Ann", "Leeds"), // names swapped: the pooled initials still meet
            Person("2", "Bob", "Jones", "Leeds"),
            Person("3", "Bill", "Stone", "Leeds"), // shares B with 2 and S with 0 and 1
            Person("4", "Cy", "Wu", "York"),
            Person("5", "Di", "Xu", "York"),
        ];

        var blocker = new Blocker(new PreparedRecords(model, people), linkOnly: false);
        var (pairs, counts) = blocker.Candidates();

        Assert.Equal(new[] { (0, 1), (0, 3), (1, 3), (2, 3), (4, 5) }, pairs.Select(ComparisonVector.Unpair).Select(p => (p.I, p.J)));
        Assert.Equal(1, counts[0].RefinedBlocks);
        Assert.Equal(5, counts[0].Pairs);

        // The incremental matcher searches the same blocks once the store holds them.
        var parameters = new FellegiSunterParameters(0.01, [[0, 0.9, 0.1]], [[0, 0.1, 0.9]]);
        var incremental = new IncrementalMatcher(model, parameters);
        var found = people.Select(p => incremental.MatchAndAdd(p).Select(c => c.Index).Order().ToArray()).ToArray();
        Assert.Equal(new[] { 0, 1 }, found[2]); // a block of three is still whole
        Assert.Equal(new[] { 0, 1, 2 }, found[3]); // with the fourth, Leeds is searched by initials: S finds 0 and 1, B finds 2
        Assert.Equal(new[] { 4 }, found[5]);
    }
}
