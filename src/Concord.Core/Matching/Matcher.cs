using System.Diagnostics;

namespace Concord.Core.Matching;

/// <summary>
/// A batch run of the matcher over a set of records: block, train, and score every candidate
/// pair. The result keeps each pair's match weight and probability; what to do with them is
/// the caller's (see <see cref="MatchThresholds"/> and <see cref="Clustering"/>).
/// </summary>
public sealed class Matcher
{
    private Matcher(PreparedRecords records, FellegiSunterParameters parameters, long[] pairs, double[] weights,
        IReadOnlyList<BlockingCount> blocking, IReadOnlyList<TrainingSession> sessions, TimeSpan blockingTime, TimeSpan trainingTime, TimeSpan scoringTime)
    {
        Records = records;
        Parameters = parameters;
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
        var weights = new double[pairs.Length];
        var cache = new System.Collections.Concurrent.ConcurrentDictionary<long, double>();
        Parallel.For(0, pairs.Length, p =>
        {
            var (i, j) = ComparisonVector.Unpair(pairs[p]);
            var vector = prepared.Compare(i, j);
            weights[p] = cache.GetOrAdd(vector, parameters.MatchWeight);
        });
        var scoringTime = clock.Elapsed - blockingTime - trainingTime;
        return new Matcher(prepared, parameters, pairs, weights, counts, sessions, blockingTime, trainingTime, scoringTime);
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
