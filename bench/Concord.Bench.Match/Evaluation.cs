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
    /// The dataset's summary line. Pairs at or above the model's merge threshold are merged;
    /// their connected components are the clusters (golden records). Pairwise figures count
    /// every pair of records that ends up in one cluster, across sources only when linking;
    /// B-cubed scores the clusters per record. Blocking and training details go to standard error.
    /// </summary>
    public static string Run(LabelledData data)
    {
        var clock = Stopwatch.StartNew();
        var run = Matcher.Run(data.Model, data.Records, new MatchOptions(data.LinkOnly));
        var threshold = data.Model.Thresholds.Merge;
        var predicted = run.Above(threshold).Select(p => (p.I, p.J)).ToList();
        var clusters = Clustering.ConnectedComponents(data.Records.Count, predicted);
        var seconds = clock.Elapsed.TotalSeconds;
        var clustered = Clustering.Pairs(clusters).Where(p => !data.LinkOnly || run.Records.Sources[p.I] != run.Records.Sources[p.J]);
        var (pairwise, truePairs, _) = MatchMetrics.Pairwise(data.Truth, run.Records.Sources, clustered, data.LinkOnly);
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
            err.WriteLine($"    blocking rule=\"{b.Rule}\" pairs={b.Pairs} new_pairs={b.NewPairs} skipped_blocks={b.SkippedBlocks} refined_blocks={b.RefinedBlocks}");
        }

        foreach (var s in run.Sessions)
        {
            err.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    em session=\"{s.Rule}\" pairs={s.Pairs} lambda={s.Lambda:0.0000} iterations={s.Iterations}"));
        }

        if (Environment.GetEnvironmentVariable("CONCORD_MATCH_VERBOSE") == "2")
        {
            Examples(data, run);
        }

        if (Environment.GetEnvironmentVariable("CONCORD_MATCH_VERBOSE") is "1" or "2")
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
                var links = run.Above(t).Select(p => (p.I, p.J)).ToList();
                var (acc, _, _) = MatchMetrics.Pairwise(data.Truth, run.Records.Sources, links, data.LinkOnly);
                var groups = Clustering.ConnectedComponents(data.Records.Count, links);
                var (inClusters, _, _) = MatchMetrics.Pairwise(data.Truth, run.Records.Sources, Clustering.Pairs(groups).Where(p => !data.LinkOnly || run.Records.Sources[p.I] != run.Records.Sources[p.J]), data.LinkOnly);
                err.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"    at p>={t}: scored pairs precision={acc.Precision:0.0000} recall={acc.Recall:0.0000} f1={acc.F1:0.0000}; clusters precision={inClusters.Precision:0.0000} recall={inClusters.Recall:0.0000} f1={inClusters.F1:0.0000} bcubed_f1={MatchMetrics.BCubed(data.Truth, groups).F1:0.0000}"));
            }
        }
    }

    /// <summary>A sample of wrongly merged and of missed candidate pairs, of wrong pairs the clusters assert, and of true pairs no rule brought together.</summary>
    private static void Examples(LabelledData data, Matcher run)
    {
        string Show(int i) => string.Join(" | ", data.Records[i].Fields.Values);
        var threshold = data.Model.Thresholds.Merge;
        var scored = run.Pairs.Select((p, k) => (Pair: ComparisonVector.Unpair(p), Probability: FellegiSunterParameters.Probability(run.Weights[k]))).ToList();
        foreach (var (label, wanted) in new[] { ("false merge", false), ("missed", true) })
        {
            foreach (var ((i, j), probability) in scored.Where(s => (s.Probability >= threshold) != wanted && (data.Truth[s.Pair.I] == data.Truth[s.Pair.J]) == wanted).Take(12))
            {
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {label} p={probability:0.000}\n      {Show(i)}\n      {Show(j)}"));
            }
        }

        var clusters = Clustering.ConnectedComponents(data.Records.Count, run.Above(threshold).Select(p => (p.I, p.J)));
        foreach (var (i, j) in Clustering.Pairs(clusters).Where(p => data.Truth[p.I] != data.Truth[p.J]).Take(12))
        {
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    wrong in one cluster p={FellegiSunterParameters.Probability(run.Weight(i, j)):0.000}\n      {Show(i)}\n      {Show(j)}"));
        }

        var candidates = run.Pairs.ToHashSet();
        var unblocked = Enumerable.Range(0, data.Records.Count).GroupBy(i => data.Truth[i]).SelectMany(g => g.SelectMany(i => g.Where(j => j > i).Select(j => (i, j))))
            .Where(p => !candidates.Contains(ComparisonVector.Pair(p.i, p.j)) && (!data.LinkOnly || run.Records.Sources[p.i] != run.Records.Sources[p.j])).Take(12);
        foreach (var (i, j) in unblocked)
        {
            Console.Error.WriteLine($"    not blocked\n      {Show(i)}\n      {Show(j)}");
        }
    }
}
