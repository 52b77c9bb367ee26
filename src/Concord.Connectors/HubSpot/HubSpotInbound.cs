using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Concord.Core.Configuration;
using Concord.Core.Mapping;
using Concord.Engine.Connectors;
using Concord.Engine.Storage;

namespace Concord.Connectors.HubSpot;

/// <summary>
/// Receives HubSpot's app webhooks: a JSON array of events, signed with <c>X-HubSpot-Signature-v3</c>
/// over method + URI + body + timestamp. The URI is the public address HubSpot called, which only the
/// configuration knows when the hub sits behind a proxy: <c>webhook_url</c>, else one rebuilt from the
/// forwarded or Host header. A property change becomes a change of that one field; a deletion a
/// deleted change; a creation (whose payload has no properties) asks the poller to fetch the record.
/// </summary>
public sealed class HubSpotInbound(SystemConfig system, HubSpotLayout layout, string clientSecret, string? webhookUrl, HubSpotChanges changes, Action<string> requestPoll, TimeProvider time) : IInboundConnector
{
    private readonly Dictionary<string, FieldMap> _maps = layout.Maps(system);

    public IReadOnlyList<InboundChange> Receive(InboundRequest request)
    {
        var body = Encoding.UTF8.GetString(request.Body.Span);
        var why = HubSpotSignature.VerifyV3(clientSecret, "POST", Uri(request), body, request.Header(HubSpotSignature.V3Header), request.Header(HubSpotSignature.TimestampHeader), time.GetUtcNow());
        if (why is not null)
        {
            throw new WebhookRejectedException(why);
        }

        JsonArray events;
        try
        {
            events = JsonNode.Parse(body) as JsonArray ?? throw new WebhookRejectedException("a HubSpot webhook body is a JSON array of events");
        }
        catch (System.Text.Json.JsonException)
        {
            throw new WebhookRejectedException("a HubSpot webhook body is a JSON array of events");
        }

        var result = new List<InboundChange>();
        var poll = false;
        foreach (var e in events.OfType<JsonObject>())
        {
            var kind = Text(e["subscriptionType"]) ?? "";
            var dot = kind.IndexOf('.', StringComparison.Ordinal);
            if (dot < 0 || layout.ForSingular(kind[..dot]) is not { } obj || Text(e["objectId"]) is not { } objectId)
            {
                continue;
            }

            var eventId = "hs-" + (Text(e["eventId"]) ?? $"{kind}-{objectId}-{Text(e["occurredAt"])}");
            DateTimeOffset? at = long.TryParse(Text(e["occurredAt"]), NumberStyles.None, CultureInfo.InvariantCulture, out var ms) ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
            switch (kind[(dot + 1)..])
            {
                case "propertyChange":
                    if (FieldFor(obj, Text(e["propertyName"]), e["propertyValue"]) is { Count: > 0 } fields
                        && changes.Build(obj.Type, objectId, eventId, at, fields, deleted: false, "webhook") is { } change)
                    {
                        result.Add(change);
                    }

                    break;
                case "deletion" or "privacyDeletion":
                    if (changes.Build(obj.Type, objectId, eventId, at, [], deleted: true, "webhook") is { } deletion)
                    {
                        result.Add(deletion);
                    }

                    break;
                case "creation" or "restore" or "merge" or "associationChange":
                    poll = true;
                    break;
            }
        }

        if (poll)
        {
            requestPoll(system.Name);
        }

        return result;
    }

    /// <summary>The canonical field a changed property maps to, converted as the field map says.</summary>
    private JsonObject? FieldFor(HubSpotObject obj, string? property, JsonNode? value)
    {
        if (property is null)
        {
            return null;
        }

        var vendor = new JsonObject { ["properties"] = new JsonObject { [property] = value?.DeepClone() } };
        var fields = HubSpotRecords.ToCanonical(_maps[obj.Type], vendor);

        // One property's event cannot rebuild a full name from its parts; the poller can.
        if (obj.Object == HubSpotObjects.ContactsObject)
        {
            fields.Remove("name");
        }

        return fields;
    }

    /// <summary>The URI HubSpot signed: the configured public webhook URL, or the one this request was sent to.</summary>
    private string Uri(InboundRequest request)
    {
        if (webhookUrl is not null)
        {
            return webhookUrl;
        }

        var scheme = request.Header("X-Forwarded-Proto") ?? "https";
        var host = request.Header("X-Forwarded-Host") ?? request.Header("Host") ?? "localhost";
        return $"{scheme}://{host}/hooks/{system.Name}";
    }

    private static string? Text(JsonNode? node) => node is JsonValue v
        ? (v.TryGetValue<string>(out var s) ? s : v.ToJsonString())
        : null;
}
