using System.Text.Json;
using Concord.Core.Records;
using Concord.Core.Sync;
using Concord.Engine.Storage;

namespace Concord.Engine.Processing;

/// <summary>The emit stage: owes each receiving system a delivery of a record's new version.</summary>
internal static class DeliveryEmitter
{
    /// <summary>Enqueues the deliveries the sync plan calls for; returns how many.</summary>
    public static int Emit(IPipelineTransaction tx, SyncPlan plan, GoldenRecord record, IReadOnlyList<FieldChange> changed, string sourceSystem, bool deletedNow, string correlationId)
    {
        var count = 0;
        foreach (var planned in plan.Plan(record, changed, sourceSystem, deletedNow))
        {
            tx.EnqueueDelivery(new Delivery
            {
                System = planned.System,
                Type = record.Type,
                RecordId = record.Id,
                Version = record.Version,
                Operation = planned.Operation,
                Payload = planned.Fields.ToJsonString(JsonText.Options),
                Changed = JsonSerializer.Serialize(planned.ChangedFields),

                // Fixed per (record, version, system): every attempt of it carries the same key.
                IdempotencyKey = $"{record.Id}.v{record.Version}.{planned.System}",
                CorrelationId = correlationId,
                Status = DeliveryStatus.Pending,
                CreatedAt = record.UpdatedAt,
                NextAttemptAt = record.UpdatedAt,
            });
            count++;
        }

        return count;
    }
}
