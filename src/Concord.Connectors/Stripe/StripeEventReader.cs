using System.Text.Json.Nodes;
using Concord.Core.Configuration;
using Concord.Core.Mapping;
using Concord.Engine.Connectors;
using Concord.Engine.Intake;
using Concord.Engine.Storage;
using Microsoft.Extensions.Logging;

namespace Concord.Connectors.Stripe;

/// <summary>
/// Turns one Stripe event (from a webhook or from <c>GET /v1/events</c>) into a change: the event's
/// <c>data.object</c> mapped by its <c>object</c> field, the event id as the change's event id (so
/// the same event arriving both ways is stored once), <c>created</c> as when it happened, and
/// <c>*.deleted</c> events as deletions, and the hub's record id an object the hub created keeps in
/// <c>metadata</c> as the record it was made from. Events about objects the system does not sync give nothing.
/// </summary>
public sealed class StripeEventReader(SystemConfig system, ChangeIntake intake, ILogger logger)
{
    private readonly Dictionary<string, FieldMap> _maps = StripeMappings.All.ToDictionary(e => e.Type, e => FieldMap.For(e, system), StringComparer.Ordinal);

    /// <summary>The change the event carries, or null when it carries nothing this system syncs.</summary>
    public InboundChange? Read(JsonNode? stripeEvent, string via)
    {
        var eventId = Text(stripeEvent?["id"]);
        var eventType = Text(stripeEvent?["type"]);
        var obj = stripeEvent?["data"]?["object"] as JsonObject;
        if (eventId is null || eventType is null || obj is null || StripeMappings.TypeOf(Text(obj["object"])) is not { } type || Text(obj["id"]) is not { } objectId)
        {
            return null;
        }

        var occurredAt = stripeEvent?["created"] is JsonValue c && c.TryGetValue<long>(out var created) ? DateTimeOffset.FromUnixTimeSeconds(created) : (DateTimeOffset?)null;
        var deleted = eventType.EndsWith(".deleted", StringComparison.Ordinal) || obj["deleted"] is JsonValue d && d.TryGetValue<bool>(out var gone) && gone;
        var fields = deleted ? [] : _maps[type].FromVendor(obj);
        return Build(type, objectId, eventId, occurredAt, fields, deleted, via, Text(obj["metadata"]?[StripeMappings.RecordIdKey])) is { } change
            ? change with { VendorObject = obj }
            : null;
    }

    /// <summary>
    /// Builds the change; the hub's intake refuses what the configuration does not allow (a type
    /// the system does not contribute, a field outside its sync rule, a value that is not valid).
    /// A Stripe event cannot be fixed by sending it again, so those fields are left out (and a type
    /// that is not synced is skipped) rather than failing the whole webhook or stalling the feed.
    /// </summary>
    private InboundChange? Build(string type, string objectId, string eventId, DateTimeOffset? occurredAt, JsonObject fields, bool deleted, string via, string? recordId)
    {
        for (var attempt = 0; attempt < 2; attempt++)
        {
            try
            {
                return intake.FromFields(system.Name, type, objectId, eventId, occurredAt, fields, deleted, via, recordId);
            }
            catch (IntakeException ex)
            {
                var refused = ex.Errors.Select(e => FieldOf(e.Path)).ToList();
                if (refused.Any(f => f is null) || attempt == 1)
                {
                    logger.LogDebug("Stripe event {EventId} ({Type} {Id}) gives no change for {System}: {Error}", eventId, type, objectId, system.Name, ex.Message);
                    return null;
                }

                foreach (var field in refused)
                {
                    fields.Remove(field!);
                }

                logger.LogWarning("Stripe event {EventId}: left out fields the hub does not take from {System}: {Error}", eventId, system.Name, ex.Message);
            }
        }

        return null;
    }

    /// <summary>The field an intake error is about (<c>$.fields.email</c> → <c>email</c>), or null for errors about the change itself.</summary>
    private static string? FieldOf(string path) => path.StartsWith("$.fields.", StringComparison.Ordinal) ? path["$.fields.".Length..] : null;

    private static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
