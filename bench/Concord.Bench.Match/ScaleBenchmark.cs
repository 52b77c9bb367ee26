using System.Diagnostics;
using System.Globalization;
using Concord.Core.Matching;

namespace Concord.Bench.Match;

/// <summary>
/// Speed at scale on made-up customers (<see cref="SyntheticPeople"/>): a batch run over the
/// whole set (preparation, blocking, training, scoring and clustering; wall clock, and the CPU
/// time of the process, which tells a figure taken on busy cores from a slow run), then
/// incremental matching of each record against the store built so far, with the latency of the
/// last 10,000 (the store at its largest) reported as p50 and p99.
/// </summary>
internal static class ScaleBenchmark
{
    public static string Run(int count)
    {
        var (records, truth) = SyntheticPeople.Generate(count, seed: 42);
        var cpuAtStart = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var run = Matcher.Run(MatchModels.Customer, records, new MatchOptions());
        var merged = run.Above(MatchModels.Customer.Thresholds.Merge).Select(p => (p.I, p.J)).ToList();
        var clusters = Clustering.ConnectedComponents(records.Count, merged);
        var batchSeconds = clock.Elapsed.TotalSeconds;
        var batchCpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpuAtStart).TotalSeconds;
        var bcubed = MatchMetrics.BCubed(truth, clusters);
        foreach (var b in run.Blocking)
        {
            Console.Error.WriteLine($"    blocking rule=\"{b.Rule}\" pairs={b.Pairs} new_pairs={b.NewPairs} skipped_blocks={b.SkippedBlocks} refined_blocks={b.RefinedBlocks}");
        }

        var incremental = new IncrementalMatcher(MatchModels.Customer, run.Parameters);
        var latencies = new double[Math.Min(10_000, count)];
        var tick = Stopwatch.StartNew();
        for (var i = 0; i < records.Count; i++)
        {
            var start = tick.Elapsed.TotalMilliseconds;
            incremental.MatchAndAdd(records[i]);
            var tail = i - (records.Count - latencies.Length);
            if (tail >= 0)
            {
                latencies[tail] = tick.Elapsed.TotalMilliseconds - start;
            }
        }

        var storeSeconds = tick.Elapsed.TotalSeconds;
        Array.Sort(latencies);
        double Percentile(double q) => latencies[Math.Min(latencies.Length - 1, (int)(q * latencies.Length))];
        return string.Create(
            CultureInfo.InvariantCulture,
            $"concord-match-scale records={count} candidates={run.Pairs.Length} batch_seconds={batchSeconds:0.0} batch_cpu_seconds={batchCpuSeconds:0.0} (block={run.BlockingTime.TotalSeconds:0.0} train={run.TrainingTime.TotalSeconds:0.0} score={run.ScoringTime.TotalSeconds:0.0}) bcubed_f1={bcubed.F1:0.0000} incremental_total_seconds={storeSeconds:0.0} incremental_p50_ms={Percentile(0.5):0.000} incremental_p99_ms={Percentile(0.99):0.000}");
    }
}
