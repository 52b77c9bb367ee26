using System.Text.Json.Nodes;
using Concord.Core.Sync;
using Concord.Engine.Storage;

namespace Concord.Engine.Dispatch;

/// <summary>What a replay did.</summary>
public enum ReplayOutcome
{
    Requeued,
    NotFound,
    NotDead,

    /// <summary>The record has since been deleted (or restored): replaying would undo that in the system.</summary>
    Obsolete,
}

/// <summary>
/// Puts dead deliveries back in the queue. A replay sends the record as it is now (the fields the
/// system receives), so an old dead letter never overwrites newer data, under a new idempotency
/// key because the payload may differ from what was refused.
/// </summary>
public sealed class DeliveryReplayer(IHubStore store, SyncPlan plan, TimeProvider time, Action<string> wakeSystem)
{
    /// <summary>Requeues dead delivery <paramref name="id"/>; <paramref name="by"/> (who asked) is kept on the delivery.</summary>
    public async Task<ReplayOutcome> ReplayAsync(long id, string by, CancellationToken cancellationToken)
    {
        var delivery = await store.GetDeliveryAsync(id, cancellationToken);
        if (delivery is null)
        {
            return ReplayOutcome.NotFound;
        }

        if (delivery.Status != DeliveryStatus.Dead)
        {
            return ReplayOutcome.NotDead;
        }

        var payload = delivery.Payload;
        var record = await store.GetRecordAsync(delivery.RecordId, cancellationToken);
        var deleted = record is null || record.Deleted;
        if ((delivery.Operation == "upsert" && deleted) || (delivery.Operation == "delete" && !deleted))
        {
            return ReplayOutcome.Obsolete;
        }

        var rule = plan.Receivers(delivery.Type).FirstOrDefault(r => r.System == delivery.System);
        if (record is not null && rule is not null && delivery.Operation == "upsert")
        {
            var fields = new JsonObject();
            foreach (var (name, value) in record.Fields)
            {
                if (rule.Covers(name))
                {
                    fields[name] = value.Value?.DeepClone();
                }
            }

            payload = fields.ToJsonString(Core.Records.JsonText.Options);
        }

        var now = time.GetUtcNow();
        var key = $"{delivery.IdempotencyKey.Split(".r", 2)[0]}.r{now.ToUnixTimeMilliseconds()}";
        if (!await store.RequeueAsync(id, payload, key, now, by, cancellationToken))
        {
            return ReplayOutcome.NotDead;
        }

        wakeSystem(delivery.System);
        return ReplayOutcome.Requeued;
    }
}
