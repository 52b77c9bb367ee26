namespace Concord.Core.Matching;

/// <summary>Precision, recall and F1.</summary>
/// <param name="Precision">Share of predicted that are right.</param>
/// <param name="Recall">Share of the truth that was predicted.</param>
public readonly record struct Accuracy(double Precision, double Recall)
{
    /// <summary>The harmonic mean of precision and recall.</summary>
    public double F1 => Precision + Recall == 0 ? 0 : 2 * Precision * Recall / (Precision + Recall);
}

/// <summary>Accuracy of matches against ground truth, by pairs and by clusters (B-cubed).</summary>
public static class MatchMetrics
{
    /// <summary>
    /// Pairwise accuracy: predicted pairs against all true pairs (records with the same truth id;
    /// across sources only when <paramref name="linkOnly"/>). Each predicted pair is counted once.
    /// </summary>
    public static (Accuracy Accuracy, long TruePairs, long TruePositives) Pairwise(
        IReadOnlyList<string> truth, int[] sources, IEnumerable<(int I, int J)> predicted, bool linkOnly)
    {
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(predicted);
        long truePairs = 0;
        foreach (var group in Enumerable.Range(0, truth.Count).GroupBy(i => truth[i], StringComparer.Ordinal))
        {
            long n = group.Count();
            truePairs += n * (n - 1) / 2;
            if (linkOnly)
            {
                truePairs -= group.GroupBy(i => sources[i]).Sum(g => (long)g.Count() * (g.Count() - 1) / 2);
            }
        }

        long positives = 0, hits = 0;
        foreach (var (i, j) in predicted.Distinct())
        {
            positives++;
            if (string.Equals(truth[i], truth[j], StringComparison.Ordinal))
            {
                hits++;
            }
        }

        var accuracy = new Accuracy(positives == 0 ? 1 : (double)hits / positives, truePairs == 0 ? 1 : (double)hits / truePairs);
        return (accuracy, truePairs, hits);
    }

    /// <summary>
    /// B-cubed accuracy of clusters (Bagga and Baldwin 1998): per record, the share of its
    /// cluster that truly belongs with it (precision) and the share of its true group that its
    /// cluster holds (recall), averaged over records.
    /// </summary>
    public static Accuracy BCubed(IReadOnlyList<string> truth, IReadOnlyList<int> clusters)
    {
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(clusters);
        var clusterSize = clusters.GroupBy(c => c).ToDictionary(g => g.Key, g => g.Count());
        var truthSize = truth.GroupBy(t => t, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var both = Enumerable.Range(0, truth.Count).GroupBy(i => (clusters[i], truth[i])).ToDictionary(g => g.Key, g => g.Count());
        double precision = 0, recall = 0;
        for (var i = 0; i < truth.Count; i++)
        {
            var shared = both[(clusters[i], truth[i])];
            precision += (double)shared / clusterSize[clusters[i]];
            recall += (double)shared / truthSize[truth[i]];
        }

        return truth.Count == 0 ? new Accuracy(1, 1) : new Accuracy(precision / truth.Count, recall / truth.Count);
    }
}
