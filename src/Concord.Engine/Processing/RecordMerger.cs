using System.Text.Json;
using System.Text.Json.Nodes;
using Concord.Core.Ownership;
using Concord.Core.Records;
using Concord.Core.Sync;
using Concord.Engine.Flows;
using Concord.Engine.Storage;

namespace Concord.Engine.Processing;

/// <summary>A merge or unmerge that cannot be done, and why; answered 404 or 409.</summary>
public sealed class MergeRefusedException(string message, bool notFound = false) : Exception(message)
{
    public bool NotFound { get; } = notFound;
}

/// <summary>What a merge or unmerge did.</summary>
/// <param name="Merge">The merge entry (undone, after an unmerge).</param>
/// <param name="Deliveries">Deliveries it owed receiving systems.</param>
/// <param name="FlowRuns">Flow runs the survivor's new version started.</param>
public sealed record MergeResult(MergeEntry Merge, int Deliveries, int FlowRuns = 0);

/// <summary>
/// Merges two golden records that are one real-world thing, and undoes a merge exactly. The
/// survivor's values are chosen field by field (<see cref="RecordCombiner"/>: overrides, then
/// survivorship, else the survivor's own values with gaps filled from the absorbed record); it gains
/// the absorbed record's observations and its links, so every system's id now resolves to the survivor. Nothing is
/// deleted in any system: receivers are sent the survivor's gained values, and the absorbed
/// record's systems keep their copy (the duplicate findings say where to merge by hand).
/// Unmerge puts both records back as they were at the merge (keeping overrides set on the survivor
/// since) and moves the links back. Flows see the survivor's new version as an update from the source <c>hub</c>.
/// </summary>
public sealed class RecordMerger(SyncPlan plan, TimeProvider time, FlowTriggers? flows = null)
{
    private readonly CardinalityRules _rules = new(plan.Config, time);
    private ReferenceRepointer? _references;

    private ReferenceRepointer References => _references ??= new ReferenceRepointer(plan, _rules, time);

    public MergeResult Merge(IPipelineTransaction tx, string type, string survivorId, string absorbedId, string by)
    {
        if (survivorId == absorbedId)
        {
            throw new MergeRefusedException("a record cannot be merged into itself");
        }

        var survivor = Live(tx, type, survivorId);
        var absorbed = Live(tx, type, absorbedId);
        var entityType = plan.Config.Entities[type];
        var entry = new MergeEntry(Ids.New("mrg", time), type, survivorId, absorbedId, Snapshot(survivor), Snapshot(absorbed), tx.LinksOf(absorbedId), by, time.GetUtcNow());

        var keysBefore = IdentityKeys.Values(survivor, entityType);
        var gained = RecordCombiner.Combine(survivor, absorbed, entityType, (system, field) => plan.ContributorRule(system, type)?.Covers(field) == true);

        // The absorbed record goes first, with its keys, so the survivor can claim what it gained.
        _rules.Forget(tx, absorbedId, entityType);
        tx.RemoveRecord(absorbedId);
        foreach (var link in entry.AbsorbedLinks)
        {
            tx.SetLink(link.System, link.Type, link.ExternalId, survivorId);
        }

        var (deliveries, runs) = Commit(tx, survivor, entityType, keysBefore, "merged", gained, entry.Id);
        tx.AppendEvent(new RecordEvent(absorbedId, type, absorbed.Version, time.GetUtcNow(), "merged-into", "hub", entry.Id, []));
        entry = entry with { Repointed = References.Repoint(tx, absorbedId, survivorId, entry.Id) };
        tx.SaveMerge(entry);
        return new MergeResult(entry, deliveries, runs);
    }

    public MergeResult Unmerge(IPipelineTransaction tx, string mergeId)
    {
        var entry = tx.LoadMerge(mergeId) ?? throw new MergeRefusedException($"no merge {mergeId}", notFound: true);
        if (entry.UndoneAt is not null)
        {
            throw new MergeRefusedException($"merge {mergeId} was undone already");
        }

        var survivor = tx.LoadRecord(entry.SurvivorId) ?? throw new MergeRefusedException($"the survivor {entry.SurvivorId} of merge {mergeId} no longer exists; undo the later merge first");

        // The snapshots are exact only for the state right after this merge: a later merge into the
        // same survivor would be silently lost, so it must be undone first.
        var history = tx.MergesOf(entry.SurvivorId);
        if (history.SkipWhile(m => m.Id != entry.Id).Skip(1).FirstOrDefault(m => m.UndoneAt is null) is { } later)
        {
            throw new MergeRefusedException($"{entry.SurvivorId} took part in a later merge ({later.Id}); undo that one first");
        }
        var entityType = plan.Config.Entities[entry.Type];
        var restoredSurvivor = Restore(entry.SurvivorBefore);
        var absorbed = Restore(entry.Absorbed);

        // An override a steward set on the survivor since the merge is a decision about that record: it stays.
        foreach (var (field, value) in survivor.Fields.Where(f => f.Value.Override is { } note && note.At > entry.MergedAt))
        {
            StewardOverrides.Keep(restoredSurvivor, field, value);
        }

        // Versions only move forward, so receivers apply the restored state after what they saw.
        var keysBefore = IdentityKeys.Values(survivor, entityType);
        var reverted = restoredSurvivor.Fields.Keys.Union(survivor.Fields.Keys)
            .Where(f => !JsonNode.DeepEquals(survivor.ValueOf(f), restoredSurvivor.ValueOf(f)))
            .Select(f => new FieldChange(f, survivor.ValueOf(f), restoredSurvivor.ValueOf(f), restoredSurvivor.Fields.TryGetValue(f, out var v) ? v.System : "hub"))
            .ToList();
        restoredSurvivor.Version = survivor.Version;

        foreach (var link in entry.AbsorbedLinks)
        {
            tx.SetLink(link.System, link.Type, link.ExternalId, entry.AbsorbedId);
        }

        var (deliveries, runs) = Commit(tx, restoredSurvivor, entityType, keysBefore, "unmerged", reverted, entry.Id);
        tx.SaveRecord(absorbed, FieldApplier.Conflicts(absorbed, entityType).Count());
        IdentityKeys.Maintain(tx, absorbed, entityType, [], time);
        _rules.Check(tx, absorbed, entityType);
        tx.AppendEvent(new RecordEvent(absorbed.Id, absorbed.Type, absorbed.Version, time.GetUtcNow(), "unmerged", "hub", entry.Id, []));
        References.Restore(tx, entry.Repointed ?? [], entry.AbsorbedId, entry.SurvivorId, entry.Id);
        References.FollowLinks(tx, entry.SurvivorId, entry.AbsorbedId, entry.AbsorbedLinks, entry.Id);
        var undone = entry with { UndoneAt = time.GetUtcNow() };
        tx.SaveMerge(undone);
        return new MergeResult(undone, deliveries, runs);
    }

    private GoldenRecord Live(IPipelineTransaction tx, string type, string id)
    {
        var record = tx.LoadRecord(id);
        if (record is null || record.Type != type)
        {
            throw new MergeRefusedException($"no {type} {id}", notFound: true);
        }

        return record.Deleted ? throw new MergeRefusedException($"{type} {id} is deleted; restore it before merging") : record;
    }

    /// <summary>
    /// Saves the survivor as a new version, keeps its keys and guardrails in step (a merge can leave a
    /// system holding the survivor twice, an unmerge ends that), and owes receivers what changed.
    /// </summary>
    private (int Deliveries, int FlowRuns) Commit(IPipelineTransaction tx, GoldenRecord record, Core.Configuration.EntityTypeConfig type, Dictionary<string, string?> keysBefore,
        string kind, List<FieldChange> changed, string correlation)
    {
        record.Version++;
        record.UpdatedAt = time.GetUtcNow();
        tx.SaveRecord(record, FieldApplier.Conflicts(record, type).Count());
        IdentityKeys.Maintain(tx, record, type, keysBefore, time);
        _rules.Check(tx, record, type);
        tx.AppendEvent(new RecordEvent(record.Id, record.Type, record.Version, record.UpdatedAt, kind, "hub", correlation, changed));
        var deliveries = DeliveryEmitter.Emit(tx, plan, record, changed, "hub", deletedNow: false, correlation);
        return (deliveries, flows?.Fire(tx, new FlowRecordEvent(record, FlowRecordEvent.Updated, changed, "hub", correlation)) ?? 0);
    }

    private static string Snapshot(GoldenRecord record) => JsonSerializer.Serialize(record, JsonText.Options);

    private static GoldenRecord Restore(string snapshot) => JsonSerializer.Deserialize<GoldenRecord>(snapshot, JsonText.Options)!;
}
