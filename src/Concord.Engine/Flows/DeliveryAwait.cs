using System.Text.Json.Nodes;
using Concord.Engine.Storage;

namespace Concord.Engine.Flows;

/// <summary>The delivery a record step waits for: the written version of a record, to one system.</summary>
public sealed record AwaitTarget(string System, string Type, string RecordId, long Version);

/// <summary>Where an awaited delivery stands: done (with the system's id, when known), failed for good, or still under way.</summary>
public sealed record AwaitState(bool Done, string? ExternalId, string? Failure)
{
    public bool Waiting => !Done && Failure is null;
}

/// <summary>
/// A record step with <c>in: &lt;system&gt;</c> and <c>await: delivered</c> completes only once the system
/// has the version it wrote. The write commits first; its output carries what it waits for under
/// <see cref="Key"/> (a name no field can have) until the delivery succeeded, and the engine polls.
/// </summary>
public static class DeliveryAwait
{
    /// <summary>The output property naming the awaited delivery.</summary>
    public const string Key = "$await";

    /// <summary>Marks <paramref name="output"/> as waiting for <paramref name="target"/>.</summary>
    public static void Mark(JsonObject output, AwaitTarget target) => output[Key] = new JsonObject
    {
        ["system"] = target.System,
        ["type"] = target.Type,
        ["record"] = target.RecordId,
        ["version"] = target.Version,
    };

    public static bool TryRead(JsonNode? output, out AwaitTarget target)
    {
        target = null!;
        if (output is not JsonObject obj || obj[Key] is not JsonObject mark
            || (string?)mark["system"] is not { } system || (string?)mark["type"] is not { } type || (string?)mark["record"] is not { } record || mark["version"] is null)
        {
            return false;
        }

        target = new AwaitTarget(system, type, record, (long)mark["version"]!);
        return true;
    }

    /// <summary>The output without the mark, with the system's id for the record when there is one.</summary>
    public static JsonObject Complete(JsonObject output, string? externalId)
    {
        var done = (JsonObject)output.DeepClone();
        done.Remove(Key);
        if (externalId is not null)
        {
            done["external_id"] = externalId;
        }

        return done;
    }

    /// <summary>
    /// Reads the delivery: succeeded (or none was owed: nothing the system receives changed) is done; dead fails the step.
    /// </summary>
    public static AwaitState Check(IPipelineTransaction tx, AwaitTarget target)
    {
        var delivery = tx.FindDelivery(target.System, target.RecordId, target.Version);
        return delivery?.Status switch
        {
            null or DeliveryStatus.Succeeded => new AwaitState(true, ExternalId(tx, target.System, target.Type, target.RecordId) ?? delivery?.ExternalId, null),
            DeliveryStatus.Dead => new AwaitState(false, null,
                $"the write did not reach {target.System}: delivery {delivery.Id} of {target.Type} {target.RecordId} v{target.Version} is dead ({delivery.LastError}); replay it, then replay the run"),
            _ => new AwaitState(false, null, null),
        };
    }

    /// <summary>The record's id in a system, from its links.</summary>
    public static string? ExternalId(IPipelineTransaction tx, string system, string type, string recordId) =>
        tx.LinksOf(recordId).FirstOrDefault(l => l.System == system && l.Type == type)?.ExternalId;
}
