using System.Diagnostics;

namespace Concord.Core.Matching;

/// <summary>
/// A batch run of the matcher over a set of records: block, train, and score every candidate
/// pair. The result keeps each pair's match weight and probability; what to do with them is
/// the caller's (see <see cref="MatchThresholds"/> and <see cref="Clustering"/>).
/// </summary>
public sealed class Matcher
{
    private readonly float[]?[] _adjustments;

    private Matcher(PreparedRecords records, FellegiSunterParameters parameters, float[]?[] adjustments, long[] pairs, double[] weights,
        IReadOnlyList<BlockingCount> blocking, IReadOnlyList<TrainingSession> sessions, TimeSpan blockingTime, TimeSpan trainingTime, TimeSpan scoringTime)
    {
        Records = records;
        Parameters = parameters;
        _adjustments = adjustments;
        Pairs = pairs;
        Weights = weights;
        Blocking = blocking;
        Sessions = sessions;
        BlockingTime = blockingTime;
        TrainingTime = trainingTime;
        ScoringTime = scoringTime;
    }

    /// <summary>The prepared records.</summary>
    public PreparedRecords Records { get; }

    /// <summary>The trained model.</summary>
    public FellegiSunterParameters Parameters { get; }

    /// <summary>Candidate pairs (<see cref="ComparisonVector.Pair"/>), sorted.</summary>
    public long[] Pairs { get; }

    /// <summary>Match weight of each candidate pair.</summary>
    public double[] Weights { get; }

    /// <summary>Pairs per blocking rule.</summary>
    public IReadOnlyList<BlockingCount> Blocking { get; }

    /// <summary>The EM sessions that trained the model.</summary>
    public IReadOnlyList<TrainingSession> Sessions { get; }

    /// <summary>Time spent preparing and blocking.</summary>
    public TimeSpan BlockingTime { get; }

    /// <summary>Time spent estimating u and m.</summary>
    public TimeSpan TrainingTime { get; }

    /// <summary>Time spent scoring the candidates.</summary>
    public TimeSpan ScoringTime { get; }

    /// <summary>Blocks, trains and scores.</summary>
    public static Matcher Run(MatchModel model, IReadOnlyList<MatchRecord> records, MatchOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var clock = Stopwatch.StartNew();
        var prepared = new PreparedRecords(model, records);
        var blocker = new Blocker(prepared, options.LinkOnly);
        var (pairs, counts) = blocker.Candidates();
        var blockingTime = clock.Elapsed;
        var (parameters, sessions) = MatchTrainer.Train(prepared, blocker, options);
        var trainingTime = clock.Elapsed - blockingTime;
        var frequencies = TermFrequencies.Count(prepared);
        var adjustments = frequencies.PerRecord(prepared);
        var weights = Score(prepared, parameters, adjustments, pairs);
        var scoringTime = clock.Elapsed - blockingTime - trainingTime;
        return new Matcher(prepared, parameters, adjustments, pairs, weights, counts, sessions, blockingTime, trainingTime, scoringTime);
    }

    /// <summary>
    /// The match weight of each pair, on every core: pairs are handed out in ranges, and each
    /// worker keeps its own weight per comparison vector (few distinct vectors recur often); a
    /// term-frequency comparison at its exact level then adds its value's adjustment.
    /// </summary>
    private static double[] Score(PreparedRecords prepared, FellegiSunterParameters parameters, float[]?[] adjustments, long[] pairs)
    {
        var adjusted = Enumerable.Range(0, adjustments.Length).Where(k => adjustments[k] is not null).ToArray();
        var weights = new double[pairs.Length];
        if (pairs.Length == 0)
        {
            // A partitioner cannot split an empty range: records that share no blocking key at all.
            return weights;
        }

        Parallel.ForEach(
            System.Collections.Concurrent.Partitioner.Create(0, pairs.Length, 16_384),
            () => new Dictionary<long, double>(),
            (range, _, cache) =>
            {
                for (var p = range.Item1; p < range.Item2; p++)
                {
                    var (i, j) = ComparisonVector.Unpair(pairs[p]);
                    var vector = prepared.Compare(i, j);
                    if (!cache.TryGetValue(vector, out var weight))
                    {
                        cache[vector] = weight = parameters.MatchWeight(vector);
                    }

                    foreach (var k in adjusted)
                    {
                        if (ComparisonVector.Level(vector, k) == Comparison.ExactLevel)
                        {
                            weight += adjustments[k]![i];
                        }
                    }

                    weights[p] = weight;
                }

                return cache;
            },
            _ => { });
        return weights;
    }

    /// <summary>The match weight of any two records, whether or not a blocking rule brought them together.</summary>
    public double Weight(int i, int j)
    {
        var vector = Records.Compare(i, j);
        var weight = Parameters.MatchWeight(vector);
        for (var k = 0; k < _adjustments.Length; k++)
        {
            if (_adjustments[k] is { } adjustment && ComparisonVector.Level(vector, k) == Comparison.ExactLevel)
            {
                weight += adjustment[i];
            }
        }

        return weight;
    }

    /// <summary>Pairs whose match probability is at least <paramref name="threshold"/>.</summary>
    public IEnumerable<(int I, int J, double Probability)> Above(double threshold)
    {
        for (var p = 0; p < Pairs.Length; p++)
        {
            var probability = FellegiSunterParameters.Probability(Weights[p]);
            if (probability >= threshold)
            {
                var (i, j) = ComparisonVector.Unpair(Pairs[p]);
                yield return (i, j, probability);
            }
        }
    }
}
