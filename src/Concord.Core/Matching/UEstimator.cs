namespace Concord.Core.Matching;

/// <summary>
/// Estimates u-probabilities from pairs of records drawn at random, as Splink does: nearly all
/// random pairs are non-matches, so how often a level occurs among them is P(level | non-match).
/// </summary>
public static class UEstimator
{
    /// <summary>u-probabilities [comparison][level] from at most <paramref name="maxPairs"/> random pairs (all pairs when there are fewer).</summary>
    public static double[][] Estimate(PreparedRecords records, bool linkOnly, int maxPairs, int seed = 1)
    {
        ArgumentNullException.ThrowIfNull(records);
        var comparisons = records.Model.Comparisons;
        var n = records.Count;
        var total = (long)n * (n - 1) / 2;
        IEnumerable<(int I, int J)> pairs = total <= maxPairs ? AllPairs(n) : RandomPairs(n, maxPairs, seed);
        var chosen = pairs.Where(p => !linkOnly || records.Sources[p.I] != records.Sources[p.J]).Select(p => ComparisonVector.Pair(p.I, p.J)).ToArray();
        return Distribution(comparisons, MatchTrainer.Vectors(records, chosen));
    }

    /// <summary>Per comparison, the share of non-null pairs at each level (level 0 is left at 0).</summary>
    internal static double[][] Distribution(IReadOnlyList<Comparison> comparisons, Dictionary<long, long> counts)
    {
        var u = comparisons.Select(c => new double[c.LevelCount]).ToArray();
        foreach (var (vector, count) in counts)
        {
            for (var k = 0; k < u.Length; k++)
            {
                u[k][ComparisonVector.Level(vector, k)] += count;
            }
        }

        foreach (var levels in u)
        {
            levels[Comparison.Null] = 0;
            var sum = levels.Sum();
            for (var l = 1; l < levels.Length; l++)
            {
                // A level never seen among random pairs is rare, not impossible: half a pair's worth.
                levels[l] = sum > 0 ? Math.Max(levels[l], 0.5) / sum : 1.0 / (levels.Length - 1);
            }
        }

        return u;
    }

    private static IEnumerable<(int, int)> AllPairs(int n)
    {
        for (var i = 0; i < n; i++)
        {
            for (var j = i + 1; j < n; j++)
            {
                yield return (i, j);
            }
        }
    }

    private static IEnumerable<(int, int)> RandomPairs(int n, int count, int seed)
    {
        var random = new Random(seed);
        for (var drawn = 0; drawn < count;)
        {
            var (i, j) = (random.Next(n), random.Next(n));
            if (i != j)
            {
                drawn++;
                yield return (Math.Min(i, j), Math.Max(i, j));
            }
        }
    }
}
