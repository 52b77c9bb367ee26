using System.Text.Json.Nodes;
using Concord.Core.Configuration;
using Concord.Core.Ownership;
using Concord.Core.Records;
using Concord.Core.Schema;
using Concord.Core.Sync;
using Concord.Engine.Processing;
using Concord.Engine.Storage;

namespace Concord.Engine.Flows.Records;

/// <summary>
/// A flow's write to a golden record, done as every other writer of the pipeline does it: the values
/// become golden with the flow as their source (<c>flow:&lt;name&gt;</c>), except where a steward's
/// override stands (then they are kept as an observation); a new version, its identity keys and
/// cardinality rules kept in step, an event whose change id is the run's id, the deliveries the sync
/// rules call for (correlated with the run), and the flows the event triggers, caused by the run.
/// </summary>
internal sealed class GoldenWriter(SyncPlan plan, FlowTriggers? triggers, TimeProvider time)
{
    private readonly CardinalityRules _rules = new(plan.Config, time);

    /// <summary>Creates a record of <paramref name="type"/> with <paramref name="values"/>.</summary>
    public GoldenRecord Create(IPipelineTransaction tx, StepRun step, EntityTypeConfig type, IReadOnlyDictionary<string, JsonNode?> values)
    {
        var now = time.GetUtcNow();
        var record = new GoldenRecord { Id = Ids.New("rec", time), Type = type.Name, CreatedAt = now, UpdatedAt = now };
        Write(tx, step, type, record, values, isNew: true);
        return record;
    }

    /// <summary>Writes <paramref name="values"/> to <paramref name="record"/>; false when nothing changed (no new version).</summary>
    public bool Update(IPipelineTransaction tx, StepRun step, EntityTypeConfig type, GoldenRecord record, IReadOnlyDictionary<string, JsonNode?> values) =>
        Write(tx, step, type, record, values, isNew: false);

    private bool Write(IPipelineTransaction tx, StepRun step, EntityTypeConfig type, GoldenRecord record, IReadOnlyDictionary<string, JsonNode?> values, bool isNew)
    {
        CheckReferences(tx, type, values);
        var source = FlowTriggers.Source(step.Flow.Name);
        var now = time.GetUtcNow();
        var keysBefore = IdentityKeys.Values(record, type);
        var changes = new List<FieldChange>();
        foreach (var (field, value) in values)
        {
            var current = record.Fields.GetValueOrDefault(field);
            if (current?.Override is not null)
            {
                // A steward's value stands until cleared, against flows as against systems.
                if (!record.Observations.TryGetValue(field, out var bySystem))
                {
                    record.Observations[field] = bySystem = new Dictionary<string, Observation>(StringComparer.Ordinal);
                }

                bySystem[source] = new Observation { Value = value?.DeepClone(), ObservedAt = now };
                continue;
            }

            if ((current is null && value is null) || (current is not null && FieldApplier.SameValue(type, field, current.Value, value)))
            {
                continue;
            }

            record.Fields[field] = new FieldValue { Value = value?.DeepClone(), System = source, ObservedAt = now, Version = record.Version + 1 };
            changes.Add(new FieldChange(field, current?.Value?.DeepClone(), value?.DeepClone(), source));
        }

        if (changes.Count == 0 && !isNew)
        {
            return false;
        }

        record.Version++;
        record.UpdatedAt = now;
        tx.SaveRecord(record, FieldApplier.Conflicts(record, type).Count());
        IdentityKeys.Maintain(tx, record, type, keysBefore, time);
        _rules.Check(tx, record, type);
        var kind = isNew ? FlowRecordEvent.Created : FlowRecordEvent.Updated;
        tx.AppendEvent(new RecordEvent(record.Id, record.Type, record.Version, now, kind, source, step.Run.Id, changes));
        DeliveryEmitter.Emit(tx, plan, record, changes, source, deletedNow: false, step.Run.Id);
        triggers?.Fire(tx, new FlowRecordEvent(record, kind, changes, source, step.Run.Id, step.Run));
        return true;
    }

    /// <summary>A reference names a golden record by the hub's id; one that names nothing would send systems a dangling id.</summary>
    private void CheckReferences(IPipelineTransaction tx, EntityTypeConfig type, IReadOnlyDictionary<string, JsonNode?> values)
    {
        foreach (var (field, value) in values)
        {
            if (value is not JsonValue v || !v.TryGetValue<string>(out var id) || !type.Schema.TryGetField(field, out var schema)
                || schema.Type != FieldType.Reference || schema.RefersTo is not { } target || !plan.Config.Entities.ContainsKey(target))
            {
                continue;
            }

            if (tx.LoadRecord(id) is not { } referenced || referenced.Type != target)
            {
                throw new StepFailedException($"fields.{field}: '{id}' is not the id of a {target} record (write the hub's id, e.g. \"{{{{ {target}.id }}}}\")", retryable: false);
            }
        }
    }
}
