using System.Text.Json.Nodes;
using Concord.Core.Ownership;
using Concord.Core.Records;
using Concord.Core.Sync;
using Concord.Engine.Flows;
using Concord.Engine.Storage;

namespace Concord.Engine.Processing;

/// <summary>An override that cannot be set or cleared, and why; answered 404 or 409.</summary>
public sealed class OverrideRefusedException(string message, bool notFound = false) : Exception(message)
{
    public bool NotFound { get; } = notFound;
}

/// <summary>What setting or clearing an override did: the record after it, the field's change, the deliveries owed and the flow runs started.</summary>
public sealed record OverrideResult(GoldenRecord Record, FieldChange Change, int Deliveries, int FlowRuns = 0);

/// <summary>
/// A steward's hand-set golden values (<see cref="StewardOverrides"/>), as a new version of the
/// record: an event in its history with who and why, and a delivery to every receiving system,
/// the owner included, since the point of an override is to correct the data everywhere. Flows see
/// it as an update from the source <c>steward</c>.
/// </summary>
public sealed class StewardEditor(SyncPlan plan, TimeProvider time, FlowTriggers? flows = null)
{
    private readonly CardinalityRules _rules = new(plan.Config, time);

    /// <summary>Sets <paramref name="field"/> to <paramref name="value"/> (already checked against the schema) until cleared.</summary>
    public OverrideResult Set(IPipelineTransaction tx, string type, string id, string field, JsonNode? value, string by, string reason)
    {
        var record = Live(tx, type, id, field);
        return Commit(tx, record, "override-set", () => StewardOverrides.Set(record, field, value, by, reason, time.GetUtcNow()));
    }

    /// <summary>Clears the override of <paramref name="field"/>: the value survivorship chooses now comes back.</summary>
    public OverrideResult Clear(IPipelineTransaction tx, string type, string id, string field, string by, string reason)
    {
        var record = Live(tx, type, id, field);
        if (record.Fields.GetValueOrDefault(field)?.Override is null)
        {
            throw new OverrideRefusedException($"{type} {id} has no override of {field}");
        }

        var entityType = plan.Config.Entities[type];
        return Commit(tx, record, "override-cleared",
            () => StewardOverrides.Clear(record, entityType, field, system => plan.ContributorRule(system, type)?.Covers(field) == true, by, reason)!);
    }

    private OverrideResult Commit(IPipelineTransaction tx, GoldenRecord record, string kind, Func<FieldChange> edit)
    {
        var type = plan.Config.Entities[record.Type];
        var keysBefore = IdentityKeys.Values(record, type);
        var change = edit();

        record.Version++;
        record.UpdatedAt = time.GetUtcNow();
        tx.SaveRecord(record, FieldApplier.Conflicts(record, type).Count());
        IdentityKeys.Maintain(tx, record, type, keysBefore, time);
        _rules.Check(tx, record, type);
        var correlation = Ids.New("ovr", time);
        tx.AppendEvent(new RecordEvent(record.Id, record.Type, record.Version, record.UpdatedAt, kind, StewardOverrides.System, correlation, [change]));

        // A new reason for the same value is history, not news for the systems.
        var deliveries = FieldApplier.SameValue(type, change.Field, change.Old, change.New)
            ? 0
            : DeliveryEmitter.Emit(tx, plan, record, [change], StewardOverrides.System, deletedNow: false, correlation);
        var runs = flows?.Fire(tx, new FlowRecordEvent(record, FlowRecordEvent.Updated, [change], StewardOverrides.System, correlation)) ?? 0;
        return new OverrideResult(record, change, deliveries, runs);
    }

    private GoldenRecord Live(IPipelineTransaction tx, string type, string id, string field)
    {
        if (!plan.Config.Entities.TryGetValue(type, out var entityType))
        {
            throw new OverrideRefusedException($"no entity type '{type}' is configured", notFound: true);
        }

        if (!entityType.Schema.HasField(field))
        {
            throw new OverrideRefusedException($"'{field}' is not a field of {type}", notFound: true);
        }

        var record = tx.LoadRecord(id);
        if (record is null || record.Type != type)
        {
            throw new OverrideRefusedException($"no {type} record with id '{id}'", notFound: true);
        }

        return record.Deleted ? throw new OverrideRefusedException($"{type} {id} is deleted; an override needs a live record") : record;
    }
}
