using System.Text.Json.Nodes;
using System.Text.Json;
using Concord.Core.Configuration;
using Concord.Core.Identity;
using Concord.Core.Ownership;
using Concord.Core.Records;
using Concord.Core.Sync;
using Concord.Engine.Flows;
using Concord.Engine.Storage;

namespace Concord.Engine.Processing;

/// <summary>
/// The resolve → apply → emit stages for a batch of inbox changes, inside one store transaction:
/// find the golden record, let field owners decide, record the event, and owe each receiving
/// system a delivery (except the echo), and start the flows the event triggers.
/// </summary>
public sealed class ChangeProcessor(SyncPlan plan, IRecordResolver resolver, TimeProvider time, MatchStage? matching = null, FlowTriggers? flows = null)
{
    private readonly CardinalityRules _rules = new(plan.Config, time);

    /// <summary>
    /// Processes a batch, each change under its own savepoint: a change that fails leaves nothing
    /// behind (no link, key, event or delivery, no half-applied record) and is marked failed.
    /// Records are cached for the batch, so a record created by one change is the one the next
    /// change of the batch finds.
    /// </summary>
    public BatchStats Process(IPipelineTransaction tx, IReadOnlyList<PendingChange> batch)
    {
        var loaded = new Dictionary<string, GoldenRecord?>(StringComparer.Ordinal);
        GoldenRecord? Load(string id)
        {
            if (!loaded.TryGetValue(id, out var r))
            {
                r = tx.LoadRecord(id);
                loaded[id] = r;
            }

            return r;
        }

        var stats = new BatchStats();
        foreach (var pending in batch)
        {
            var touched = new Dictionary<string, GoldenRecord>(StringComparer.Ordinal);
            var merged = new HashSet<string>(StringComparer.Ordinal);
            var dirty = new Dictionary<string, GoldenRecord>(StringComparer.Ordinal);
            var mine = new BatchStats();
            var events = new List<FlowRecordEvent>();
            tx.BeginChange();
            try
            {
                var (result, recordId) = ProcessOne(tx, pending, Load, touched, dirty, merged, mine, events);
                foreach (var record in dirty.Values)
                {
                    loaded[record.Id] = record;
                    var conflicts = plan.Config.Entities.TryGetValue(record.Type, out var type) ? FieldApplier.Conflicts(record, type).Count() : record.Conflicts().Count();
                    tx.SaveRecord(record, conflicts);
                }

                // After the records are saved: a trigger reads the records the event's record refers to.
                foreach (var recordEvent in events)
                {
                    mine.FlowRuns += flows?.Fire(tx, recordEvent) ?? 0;
                }

                tx.CompleteChange(pending.Sequence, result, recordId, null);
                tx.CommitChange();

                // A merge wrote both records itself; the cached copies are out of date.
                foreach (var id in merged)
                {
                    loaded.Remove(id);
                }

                stats.Applied += mine.Applied;
                stats.Deliveries += mine.Deliveries;
                stats.FlowRuns += mine.FlowRuns;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // One bad change must not wedge the inbox: its effects are undone, it is marked
                // failed and visible in the log. Records it touched are read again if needed.
                tx.AbortChange();
                foreach (var id in touched.Keys.Concat(merged))
                {
                    loaded.Remove(id);
                }

                tx.CompleteChange(pending.Sequence, "failed", null, ex.Message);
                stats.Failed++;
            }
        }

        return stats;
    }

    private (string Result, string? RecordId) ProcessOne(
        IPipelineTransaction tx, PendingChange pending, Func<string, GoldenRecord?> load,
        Dictionary<string, GoldenRecord> touched, Dictionary<string, GoldenRecord> dirty, HashSet<string> merged, BatchStats stats, List<FlowRecordEvent> events)
    {
        var change = pending.Inbound.Change;
        if (!plan.Config.Entities.TryGetValue(change.Type, out var type))
        {
            // The configuration changed since the change was accepted.
            return ("rejected: type no longer configured", null);
        }

        (change, var vendorRefs) = ReferencesToRecords(tx, change, type, load, dirty);
        var rule = plan.ContributorRule(change.System, change.Type);
        var resolution = resolver.Resolve(tx, change, type, load);
        if (resolution.Record is not { } record)
        {
            return ("no-op: unknown record", null);
        }

        touched[record.Id] = record;
        if (!resolution.IsNew && resolution.How != "link")
        {
            // The change was linked to a record the hub knew by other means: its system may now hold it twice.
            _rules.CheckLinks(tx, record, type);
        }

        if (change.Deleted && change.System != type.Owner)
        {
            // A non-owner deleting its copy ends its link; the golden record lives on.
            tx.RemoveLink(change.System, change.Type, change.ExternalId!);
            _rules.CheckLinks(tx, record, type);
            return ("unlinked", record.Id);
        }

        var before = IdentityKeys.Values(record, type);
        var wasEmpty = record.Fields.Count == 0 && record.Observations.Count == 0;
        var applied = FieldApplier.Apply(record, type, rule, change, system => plan.ContributorRule(system, change.Type));
        RememberVendorRefs(record, change, vendorRefs);
        if (!applied.AlteredRecord)
        {
            if (applied.Observed.Count > 0 || resolution.IsNew)
            {
                dirty[record.Id] = record;
                IdentityKeys.Maintain(tx, record, type, before, time);
                _rules.Check(tx, record, type);
            }

            if (resolution.IsNew)
            {
                // Nothing this system may write: keep the record only for its observations.
                record.Version = 1;
                tx.AppendEvent(new RecordEvent(record.Id, record.Type, record.Version, time.GetUtcNow(), "created", change.System, pending.Inbound.ChangeId, []));
                events.Add(new FlowRecordEvent(record, FlowRecordEvent.Created, [], change.System, pending.Inbound.ChangeId));
                return ("observed", record.Id);
            }

            return (applied.Observed.Count > 0 ? "observed" : applied.Stale.Count > 0 ? "stale" : "no-op", record.Id);
        }

        record.Version++;
        record.UpdatedAt = time.GetUtcNow();
        dirty[record.Id] = record;
        IdentityKeys.Maintain(tx, record, type, before, time);
        _rules.Check(tx, record, type);

        var kind = applied.DeletedNow ? "deleted" : resolution.IsNew ? "created" : applied.Restored ? "restored" : "updated";
        tx.AppendEvent(new RecordEvent(record.Id, record.Type, record.Version, record.UpdatedAt, kind, change.System, pending.Inbound.ChangeId, applied.Changed));

        if (matching is not null && !record.Deleted && Match(tx, record, type, resolution.IsNew || wasEmpty, load, dirty, merged) is { } merge)
        {
            // Merged into the record it matched: that merge owed receivers what the survivor gained.
            stats.Deliveries += merge.Deliveries;
            stats.FlowRuns += merge.FlowRuns;
            stats.Applied++;
            return ("merged", merge.Merge.SurvivorId);
        }

        // A restored record is owed to every receiver again, whole.
        var emitted = applied.Restored
            ? record.Fields.Select(f => new FieldChange(f.Key, null, f.Value.Value, f.Value.System)).ToList()
            : applied.Changed;
        stats.Deliveries += DeliveryEmitter.Emit(tx, plan, record, emitted, change.System, applied.DeletedNow, pending.Inbound.ChangeId);
        events.Add(new FlowRecordEvent(record, kind, emitted, change.System, pending.Inbound.ChangeId));

        stats.Applied++;
        return (kind, record.Id);
    }

    /// <summary>
    /// The probabilistic step. Only a record that nobody has been sent yet (created by this change,
    /// or an empty placeholder until now) may be merged away here.
    /// </summary>
    private MergeResult? Match(IPipelineTransaction tx, GoldenRecord record, EntityTypeConfig type, bool mayMerge, Func<string, GoldenRecord?> load,
        Dictionary<string, GoldenRecord> dirty, HashSet<string> merged)
    {
        if (matching!.Apply(tx, record, mayMerge, load, () => tx.SaveRecord(record, FieldApplier.Conflicts(record, type).Count())) is not { } merge)
        {
            return null;
        }

        dirty.Remove(record.Id);
        merged.Add(record.Id);
        merged.Add(merge.Merge.SurvivorId);
        return merge;
    }

    /// <summary>
    /// A system names other records by its own ids (an invoice's <c>customer: cus_123</c>); the golden
    /// record keeps the hub's id instead, so every receiver can be sent its own id for it. A record the
    /// hub has not seen yet gets an empty record linked to that id, which its own change fills in later.
    /// </summary>
    private (Change Change, Dictionary<string, string>? VendorRefs) ReferencesToRecords(
        IPipelineTransaction tx, Change change, EntityTypeConfig type, Func<string, GoldenRecord?> load, Dictionary<string, GoldenRecord> dirty)
    {
        Dictionary<string, JsonNode?>? translated = null;
        Dictionary<string, string>? vendorRefs = null;
        foreach (var (name, value) in change.Fields)
        {
            if (!type.Schema.TryGetField(name, out var field) || field.RefersTo is not { } target || value is not JsonValue v || !v.TryGetValue<string>(out var id)
                || !plan.Config.Entities.ContainsKey(target))
            {
                continue;
            }

            if (load(id) is { } existing && existing.Type == target)
            {
                continue;
            }

            var recordId = tx.FindLink(change.System, target, id);
            if (recordId is null)
            {
                var now = time.GetUtcNow();
                var shell = new GoldenRecord { Id = Ids.New("rec", time), Type = target, CreatedAt = now, UpdatedAt = now };
                tx.SetLink(change.System, target, id, shell.Id);
                dirty[shell.Id] = shell;
                recordId = shell.Id;
            }

            translated ??= new Dictionary<string, JsonNode?>(change.Fields, StringComparer.Ordinal);
            translated[name] = JsonValue.Create(recordId);
            (vendorRefs ??= new(StringComparer.Ordinal))[name] = id;
        }

        return translated is null ? (change, null) : (change with { Fields = translated }, vendorRefs);
    }

    /// <summary>Keeps, beside each reference this change set, the system's own id it was given as.</summary>
    private static void RememberVendorRefs(GoldenRecord record, Change change, Dictionary<string, string>? vendorRefs)
    {
        foreach (var (field, id) in vendorRefs ?? [])
        {
            if (record.Fields.TryGetValue(field, out var golden) && golden.System == change.System && golden.SourceId == change.ExternalId)
            {
                golden.Ref = id;
            }

            if (record.Observations.TryGetValue(field, out var bySystem) && bySystem.TryGetValue(change.System, out var observation))
            {
                observation.Ref = id;
            }
        }
    }
}

/// <summary>What one processed batch did, for metrics and signalling.</summary>
public sealed class BatchStats
{
    public int Applied { get; set; }

    public int Deliveries { get; set; }

    public int Failed { get; set; }

    /// <summary>Flow runs the batch's events started (the flow runner is woken for them).</summary>
    public int FlowRuns { get; set; }
}
