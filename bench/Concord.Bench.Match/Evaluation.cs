using System.Diagnostics;
using System.Globalization;
using Concord.Core.Matching;

namespace Concord.Bench.Match;

/// <summary>A dataset ready to run: records, the true entity of each, and whether it links two sources.</summary>
internal sealed record LabelledData(string Name, MatchModel Model, IReadOnlyList<MatchRecord> Records, IReadOnlyList<string> Truth, bool LinkOnly);

/// <summary>Runs the matcher on a labelled dataset and measures it against the truth.</summary>
internal static class Evaluation
{
    /// <summary>
    /// The dataset's summary line. Pairs at or above the model's merge threshold are the
    /// predicted matches; their connected components are the clusters for B-cubed. Blocking and
    /// training details go to standard error.
    /// </summary>
    public static string Run(LabelledData data)
    {
        var clock = Stopwatch.StartNew();
        var run = Matcher.Run(data.Model, data.Records, new MatchOptions(data.LinkOnly));
        var threshold = data.Model.Thresholds.Merge;
        var predicted = run.Above(threshold).Select(p => (p.I, p.J)).ToList();
        var clusters = Clustering.ConnectedComponents(data.Records.Count, predicted);
        var seconds = clock.Elapsed.TotalSeconds;
        var (pairwise, truePairs, _) = MatchMetrics.Pairwise(data.Truth, run.Records.Sources, predicted, data.LinkOnly);
        var bcubed = MatchMetrics.BCubed(data.Truth, clusters);
        Report(data, run, truePairs);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"concord-match dataset={data.Name} records={data.Records.Count} pairs_true={truePairs} precision={pairwise.Precision:0.0000} recall={pairwise.Recall:0.0000} f1={pairwise.F1:0.0000} seconds={seconds:0.000} bcubed_f1={bcubed.F1:0.0000}");
    }

    private static void Report(LabelledData data, Matcher run, long truePairs)
    {
        var err = Console.Error;
        var candidatesTrue = run.Pairs.Count(p => { var (i, j) = ComparisonVector.Unpair(p); return data.Truth[i] == data.Truth[j]; });
        err.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {data.Name}: candidates={run.Pairs.Length} true_in_candidates={candidatesTrue}/{truePairs} lambda={run.Parameters.Lambda:g3} block={run.BlockingTime.TotalSeconds:0.00}s train={run.TrainingTime.TotalSeconds:0.00}s score={run.ScoringTime.TotalSeconds:0.00}s"));
        foreach (var b in run.Blocking)
        {
            err.WriteLine($"    blocking rule=\"{b.Rule}\" pairs={b.Pairs} new_pairs={b.NewPairs} skipped_blocks={b.SkippedBlocks}");
        }

        foreach (var s in run.Sessions)
        {
            err.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    em session=\"{s.Rule}\" pairs={s.Pairs} lambda={s.Lambda:0.0000} iterations={s.Iterations}"));
        }

        if (Environment.GetEnvironmentVariable("CONCORD_MATCH_VERBOSE") == "1")
        {
            var comparisons = data.Model.Comparisons;
            for (var k = 0; k < comparisons.Count; k++)
            {
                var levels = Enumerable.Range(1, comparisons[k].LevelCount - 1).Select(l =>
                    string.Create(CultureInfo.InvariantCulture, $"{comparisons[k].LevelLabel(l)} m={run.Parameters.M[k][l]:0.000} u={run.Parameters.U[k][l]:0.0000} w={run.Parameters.LevelWeight(k, l):0.0}"));
                err.WriteLine($"    {comparisons[k].Field}: {string.Join(" | ", levels)}");
            }

            foreach (var t in new[] { 0.1, 0.5, 0.8, 0.9, 0.95, 0.99, 0.999 })
            {
                var (acc, _, _) = MatchMetrics.Pairwise(data.Truth, run.Records.Sources, run.Above(t).Select(p => (p.I, p.J)), data.LinkOnly);
                err.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    at p>={t}: precision={acc.Precision:0.0000} recall={acc.Recall:0.0000} f1={acc.F1:0.0000}"));
            }
        }
    }
}
