using Concord.Core.Matching;

namespace Concord.Core.Tests.Matching;

public class ClusteringAndMetricsTests
{
    [Fact]
    public void ConnectedComponents_JoinChainsOfLinks()
    {
        var clusters = Clustering.ConnectedComponents(6, [(0, 1), (1, 2), (4, 5)]);

        Assert.Equal(new[] { 0, 0, 0, 3, 4, 4 }, clusters);
        Assert.Equal(new[] { (0, 1), (0, 2), (1, 2), (4, 5) }, Clustering.Pairs(clusters).Order());
    }

    [Fact]
    public void Pairwise_CountsTruePairsWithinEachTrueGroup()
    {
        string[] truth = ["a", "a", "a", "b", "c", "c"];
        var (accuracy, truePairs, hits) = MatchMetrics.Pairwise(truth, new int[6], [(0, 1), (0, 3), (4, 5)], linkOnly: false);

        Assert.Equal(4, truePairs);
        Assert.Equal(2, hits);
        Assert.Equal(2.0 / 3, accuracy.Precision, 9);
        Assert.Equal(0.5, accuracy.Recall, 9);
        Assert.Equal(2 * (2.0 / 3) * 0.5 / ((2.0 / 3) + 0.5), accuracy.F1, 9);
    }

    [Fact]
    public void Pairwise_WhenLinking_CountsOnlyPairsAcrossSources()
    {
        string[] truth = ["a", "a", "a"];
        var (_, truePairs, _) = MatchMetrics.Pairwise(truth, [0, 0, 1], [], linkOnly: true);

        Assert.Equal(2, truePairs);
    }

    [Fact]
    public void BCubed_AveragesPerRecordPrecisionAndRecall()
    {
        string[] truth = ["a", "a", "b", "b"];

        Assert.Equal(new Accuracy(1, 1), MatchMetrics.BCubed(truth, [0, 0, 2, 2]));

        // Everything in one cluster: each record's cluster is half right; recall is complete.
        var merged = MatchMetrics.BCubed(truth, [0, 0, 0, 0]);
        Assert.Equal(0.5, merged.Precision, 9);
        Assert.Equal(1, merged.Recall, 9);

        // Nothing merged: precision is complete, each record holds half its group.
        var apart = MatchMetrics.BCubed(truth, [0, 1, 2, 3]);
        Assert.Equal(1, apart.Precision, 9);
        Assert.Equal(0.5, apart.Recall, 9);
    }

    [Fact]
    public void Thresholds_SplitMergeReviewAndSeparate()
    {
        var thresholds = new MatchThresholds(0.95, 0.5);

        Assert.Equal(MatchDecision.Merge, thresholds.Decide(0.99));
        Assert.Equal(MatchDecision.Review, thresholds.Decide(0.7));
        Assert.Equal(MatchDecision.Separate, thresholds.Decide(0.2));
    }
}

/// <summary>A run over records that no blocking rule brings together.</summary>
public class NoCandidateTests
{
    [Fact]
    public void RecordsSharingNoBlockingKey_GiveNoPairs_AndNoError()
    {
        var records = Enumerable.Range(0, 50)
            .Select(i => new MatchRecord($"r{i}", new Dictionary<string, string?> { ["email"] = $"u{i}@example.com", ["last_name"] = null }))
            .ToList();

        var run = Matcher.Run(MatchModels.Customer, records, new MatchOptions());

        Assert.Empty(run.Pairs);
        Assert.Empty(run.Above(0.5));
    }
}
