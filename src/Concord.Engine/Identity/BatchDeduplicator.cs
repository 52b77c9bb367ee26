using System.Diagnostics;
using System.Globalization;
using Concord.Core.Configuration;
using Concord.Core.Matching;
using Concord.Core.Records;
using Concord.Engine.Processing;
using Concord.Engine.Storage;

namespace Concord.Engine.Identity;

/// <summary>
/// Deduplicates the golden records of one entity type in a batch: the probabilistic matcher
/// scores every blocked pair, pairs at or above the model's merge threshold are clustered
/// (connected components) and each cluster is merged into its oldest record, one undoable merge
/// per absorbed record; pairs between the review and merge thresholds become possible-duplicate
/// findings. It reads the whole type at once, so it is meant to run while the hub is stopped.
/// </summary>
public sealed class BatchDeduplicator(IHubStore store, RecordMerger merger, TimeProvider time, HubConfig? config = null)
{
    /// <summary>Who the merge entries say merged the records.</summary>
    public const string MergedBy = "dedupe";

    /// <summary>Runs over every live record of <paramref name="type"/>; <paramref name="progress"/> hears each stage.</summary>
    /// <remarks><paramref name="merging"/> hears (done, total) as the merges are made, for a progress bar.</remarks>
    public async Task<DedupeReport> RunAsync(string type, bool dryRun, Action<string>? progress, CancellationToken cancellationToken, IProgress<(int Done, int Total)>? merging = null)
    {
        var clock = Stopwatch.StartNew();
        var say = progress ?? (_ => { });
        var entityType = config?.Entities.GetValueOrDefault(type);
        if (entityType?.Matching is { Enabled: false })
        {
            return new DedupeReport(type, "matching is off for this type", dryRun, 0, [], 0, [], 0, clock.Elapsed);
        }

        if ((entityType?.Matching?.ResolveModel() ?? MatchModels.For(type)) is not { } model)
        {
            return new DedupeReport(type, "no match model for this type (name one with matching: { model: … })", dryRun, 0, [], 0, [], 0, clock.Elapsed);
        }

        var records = new List<GoldenRecord>();
        await foreach (var record in store.ReadRecordsAsync(type, cancellationToken))
        {
            records.Add(record);
        }

        say($"{type}: read {records.Count} records");
        if (records.Count < 2)
        {
            return new DedupeReport(type, null, dryRun, records.Count, [], 0, [], 0, clock.Elapsed);
        }

        var run = Matcher.Run(model, records.Select(r => GoldenMatchRecords.For(model, r, entityType)).ToList(), new MatchOptions());
        say($"{type}: {run.Pairs.Length} candidate pairs (by the first blocking rule to find them: {string.Join(", ", run.Blocking.Select(b => $"{b.Rule}: {b.NewPairs}"))}), scored in {(run.BlockingTime + run.TrainingTime + run.ScoringTime).TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)}s");

        var likely = run.Above(model.Thresholds.Review).ToList();
        var clusters = Clustering.ConnectedComponents(records.Count, likely.Where(p => p.Probability >= model.Thresholds.Merge).Select(p => (p.I, p.J)));
        var survivors = Survivors(records, clusters);
        var merges = await MergeAsync(type, records, survivors, dryRun, merging, cancellationToken);
        say($"{type}: {merges.Count(m => m.Skipped is null)} {(dryRun ? "would-merge" : "merged")}");

        var reviews = Reviews(run, model, likely, records, survivors);
        if (!dryRun && reviews.Count > 0)
        {
            await store.ExecuteAsync(tx =>
            {
                foreach (var finding in reviews)
                {
                    tx.RaiseFinding(finding);
                }

                return reviews.Count;
            }, cancellationToken);
        }

        say($"{type}: {reviews.Count} {(dryRun ? "would-review" : "review findings")}");
        return new DedupeReport(type, null, dryRun, records.Count, run.Blocking, run.Pairs.Length, merges, reviews.Count, clock.Elapsed);
    }

    /// <summary>Each record's survivor: the oldest record of its cluster (ties by id, so reruns agree).</summary>
    private static int[] Survivors(List<GoldenRecord> records, int[] clusters)
    {
        var oldest = new Dictionary<int, int>();
        for (var i = 0; i < records.Count; i++)
        {
            if (!oldest.TryGetValue(clusters[i], out var o) || Older(records[i], records[o]))
            {
                oldest[clusters[i]] = i;
            }
        }

        return clusters.Select(c => oldest[c]).ToArray();
    }

    private static bool Older(GoldenRecord a, GoldenRecord b) =>
        a.CreatedAt < b.CreatedAt || (a.CreatedAt == b.CreatedAt && string.CompareOrdinal(a.Id, b.Id) < 0);

    private async Task<List<DedupeMerge>> MergeAsync(string type, List<GoldenRecord> records, int[] survivors, bool dryRun, IProgress<(int Done, int Total)>? merging,
        CancellationToken cancellationToken)
    {
        var merges = new List<DedupeMerge>();
        var total = survivors.Where((s, i) => s != i).Count();
        for (var i = 0; i < records.Count; i++)
        {
            if (survivors[i] == i)
            {
                continue;
            }

            var (survivorId, absorbedId) = (records[survivors[i]].Id, records[i].Id);
            if (dryRun)
            {
                merges.Add(new DedupeMerge(survivorId, absorbedId, null));
                merging?.Report((merges.Count, total));
                continue;
            }

            // As HubRuntime.MergeAsync: a delivery still owed for the absorbed id would go out under an id that no longer resolves.
            if (await HasDeliveriesUnderWayAsync(absorbedId, cancellationToken))
            {
                merges.Add(new DedupeMerge(survivorId, absorbedId, null, "deliveries under way"));
                merging?.Report((merges.Count, total));
                continue;
            }

            // One transaction per merge, so each is its own merge entry and can be undone alone.
            var result = await store.ExecuteAsync(tx => merger.Merge(tx, type, survivorId, absorbedId, MergedBy), cancellationToken);
            merges.Add(new DedupeMerge(survivorId, absorbedId, result.Merge.Id));
            merging?.Report((merges.Count, total));
        }

        return merges;
    }

    private async Task<bool> HasDeliveriesUnderWayAsync(string recordId, CancellationToken cancellationToken)
    {
        foreach (var status in new[] { DeliveryStatus.Pending, DeliveryStatus.Retrying })
        {
            if ((await store.QueryDeliveriesAsync(new DeliveryQuery(status, RecordId: recordId, Limit: 1), cancellationToken)).Count > 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Possible-duplicate findings for the pairs between the thresholds, between the records that
    /// remain after merging; a pair whose records end up merged together needs no review.
    /// </summary>
    private List<Finding> Reviews(Matcher run, MatchModel model, List<(int I, int J, double Probability)> likely, List<GoldenRecord> records, int[] survivors)
    {
        var findings = new List<Finding>();
        var seen = new HashSet<(int, int)>();
        foreach (var (i, j, probability) in likely.Where(p => p.Probability < model.Thresholds.Merge).OrderByDescending(p => p.Probability))
        {
            var (a, b) = (survivors[i], survivors[j]);
            if (a == b || !seen.Add((Math.Min(a, b), Math.Max(a, b))))
            {
                continue;
            }

            // Approving a finding merges its record into the other one, so the record is the newer of the two.
            var (newer, older) = Older(records[a], records[b]) ? (records[b], records[a]) : (records[a], records[b]);
            var message = FormattableString.Invariant(
                $"{newer.Id} looks like the same {model.EntityType} as {older.Id} (match probability {probability:0.00}; agreeing: {Agreeing(run, model, i, j)}); approving merges it into {older.Id}");
            findings.Add(new Finding(Ids.New("fnd", time), "possible-duplicate", "warning", newer.Type, newer.Id, older.Id, null, message, time.GetUtcNow()));
        }

        return findings;
    }

    /// <summary>The fields that agreed exactly, and with a <c>~</c> those that agreed only closely.</summary>
    private static string Agreeing(Matcher run, MatchModel model, int i, int j)
    {
        var vector = run.Records.Compare(i, j);
        var fields = new List<string>();
        for (var k = 0; k < model.Comparisons.Count; k++)
        {
            var level = ComparisonVector.Level(vector, k);
            var comparison = model.Comparisons[k];
            if (level != Comparison.Null && level < comparison.LevelCount - 1)
            {
                fields.Add(level == 1 ? comparison.Field : comparison.Field + "~");
            }
        }

        return fields.Count == 0 ? "none" : string.Join(", ", fields);
    }
}
