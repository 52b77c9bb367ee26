namespace Concord.Core.Matching;

/// <summary>How the matcher trains and which pairs it compares.</summary>
/// <param name="LinkOnly">Only compare records from different sources (linking two sources rather than deduplicating).</param>
/// <param name="MaxRandomPairs">Random pairs drawn to estimate u.</param>
/// <param name="MaxSessionPairs">Most pairs an EM training session looks at (a sample beyond that).</param>
/// <param name="Seed">Seed of the random pairs, so runs repeat.</param>
public sealed record MatchOptions(bool LinkOnly = false, int MaxRandomPairs = 1_000_000, int MaxSessionPairs = 100_000, int Seed = 1);

/// <summary>One EM training session: the pairs of one blocking rule.</summary>
/// <param name="Rule">The blocking rule.</param>
/// <param name="Pairs">Pairs the rule brings together.</param>
/// <param name="Lambda">Share of matches EM found among them.</param>
/// <param name="Iterations">EM iterations.</param>
public sealed record TrainingSession(string Rule, long Pairs, double Lambda, int Iterations);

/// <summary>
/// Trains a Fellegi–Sunter model from unlabelled records the way Splink does: u from random
/// pairs, then one EM session per blocking rule over the pairs that rule brings together. A
/// session learns nothing about the fields it blocked on (they agree by construction), so
/// those comparisons sit out, and each comparison's m is the mean over the sessions it took
/// part in. λ is recovered from each session's share of matches, scaled up by the share of all
/// matches its rule can find (its blocked comparisons' m at the top level) and down to all pairs.
/// </summary>
public static class MatchTrainer
{
    /// <summary>Trains on <paramref name="records"/>; returns the parameters and the sessions run.</summary>
    public static (FellegiSunterParameters Parameters, IReadOnlyList<TrainingSession> Sessions) Train(
        PreparedRecords records, Blocker blocker, MatchOptions options)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(blocker);
        ArgumentNullException.ThrowIfNull(options);
        var comparisons = records.Model.Comparisons;
        var u = UEstimator.Estimate(records, options.LinkOnly, options.MaxRandomPairs, options.Seed);
        var start = comparisons.Select(c => StartingM(c.LevelCount)).ToArray();
        var sum = comparisons.Select(c => new double[c.LevelCount]).ToArray();
        var sessionsPerComparison = new int[comparisons.Count];
        var sessions = new List<TrainingSession>();
        var estimates = new List<(double Matches, string[] Fields)>();
        for (var r = 0; r < records.Model.Blocking.Count; r++)
        {
            var rule = records.Model.Blocking[r];
            var pairs = blocker.PairsOfRule(r);
            // Blocks split by the refinement also agree on the refinement's fields: those sit out too.
            var blocked = blocker.RefinedBlocks[r] > 0 ? rule.Fields.Concat(rule.Refinement.Select(k => k.Field)).ToArray() : rule.Fields.ToArray();
            var active = comparisons.Select(c => !blocked.Contains(c.Field, StringComparer.Ordinal)).ToArray();
            if (pairs.Length == 0 || !active.Any(a => a))
            {
                continue;
            }

            var counts = Vectors(records, Sample(pairs, options.MaxSessionPairs));
            var result = ExpectationMaximisation.Run(counts, start, u, 0.1, active);
            for (var k = 0; k < comparisons.Count; k++)
            {
                if (active[k])
                {
                    sessionsPerComparison[k]++;
                    for (var l = 0; l < sum[k].Length; l++)
                    {
                        sum[k][l] += result.M[k][l];
                    }
                }
            }

            sessions.Add(new TrainingSession(rule.Name, pairs.LongLength, result.Lambda, result.Iterations));
            estimates.Add((result.Lambda * pairs.LongLength, rule.Fields.ToArray()));
        }

        var m = sum.Select((levels, k) => sessionsPerComparison[k] == 0 ? start[k] : levels.Select(v => v / sessionsPerComparison[k]).ToArray()).ToArray();
        var lambda = Lambda(records, options, comparisons, m, estimates);
        return (new FellegiSunterParameters(lambda, m, u), sessions);
    }

    /// <summary>Number of pairs per comparison vector, computed in parallel.</summary>
    public static Dictionary<long, long> Vectors(PreparedRecords records, long[] pairs)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(pairs);
        var total = new Dictionary<long, long>();
        var gate = new object();
        Parallel.ForEach(
            System.Collections.Concurrent.Partitioner.Create(0, pairs.Length, 4096),
            () => new Dictionary<long, long>(),
            (range, _, local) =>
            {
                for (var p = range.Item1; p < range.Item2; p++)
                {
                    var (i, j) = ComparisonVector.Unpair(pairs[p]);
                    var v = records.Compare(i, j);
                    local[v] = local.GetValueOrDefault(v) + 1;
                }

                return local;
            },
            local =>
            {
                lock (gate)
                {
                    foreach (var (v, c) in local)
                    {
                        total[v] = total.GetValueOrDefault(v) + c;
                    }
                }
            });
        return total;
    }

    /// <summary>All pairs between records that could match: within one source, or across sources when linking.</summary>
    public static double TotalPairs(int[] sources, bool linkOnly)
    {
        ArgumentNullException.ThrowIfNull(sources);
        double n = sources.Length;
        var all = n * (n - 1) / 2;
        if (!linkOnly)
        {
            return all;
        }

        var within = sources.GroupBy(s => s).Sum(g => (double)g.Count() * (g.Count() - 1) / 2);
        return all - within;
    }

    /// <summary>Starting m: the closest level most likely, each further level half as likely, "else" rare.</summary>
    private static double[] StartingM(int levelCount)
    {
        var m = new double[levelCount];
        for (var l = 1; l < levelCount - 1; l++)
        {
            m[l] = Math.Pow(0.5, l - 1);
        }

        m[levelCount - 1] = 0.05;
        var sum = m.Sum();
        return m.Select(v => v / sum).ToArray();
    }

    private static double Lambda(PreparedRecords records, MatchOptions options, IReadOnlyList<Comparison> comparisons, double[][] m, List<(double Matches, string[] Fields)> estimates)
    {
        var totalPairs = TotalPairs(records.Sources, options.LinkOnly);
        if (estimates.Count == 0 || totalPairs <= 0)
        {
            return 1e-4;
        }

        // The share of true matches a rule can find: each blocked field must agree.
        var matches = estimates.Select(e =>
        {
            var recall = comparisons.Where(c => e.Fields.Contains(c.Field, StringComparer.Ordinal))
                .Select(c => m[comparisons.ToList().IndexOf(c)][1])
                .Aggregate(1.0, (a, b) => a * b);
            return e.Matches / Math.Max(recall, 0.05);
        }).Order().ToArray();
        // The lower median: each session's estimate errs high (blocked comparisons' exact level understates a rule's recall).
        var median = matches[(matches.Length - 1) / 2];
        return Math.Clamp(median / totalPairs, FellegiSunterParameters.Floor, 0.5);
    }

    private static long[] Sample(long[] pairs, int max)
    {
        if (pairs.Length <= max)
        {
            return pairs;
        }

        // Sorted first: the blocker returns pairs in no fixed order, and the sample must repeat.
        pairs = (long[])pairs.Clone();
        Array.Sort(pairs);
        var stride = (double)pairs.Length / max;
        return Enumerable.Range(0, max).Select(i => pairs[(long)(i * stride)]).ToArray();
    }
}
