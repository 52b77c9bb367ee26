using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Concord.Core.Configuration;
using Concord.Engine.Connectors;
using Concord.Engine.Intake;
using Concord.Engine.Storage;
using Microsoft.Extensions.Logging;

namespace Concord.Connectors.QuickBooks;

/// <summary>
/// QuickBooks webhooks: a list of CloudEvents (<c>qbo.customer.updated.v1</c>…) that name the
/// changed object but carry none of its fields. A deletion becomes a deleted change at once;
/// anything else asks the hub to read the change data capture feed now, which brings the fields.
/// The older <c>eventNotifications[].dataChangeEvent</c> shape is read the same way.
/// </summary>
public sealed class QuickBooksInbound(SystemConfig system, string realmId, string verifierToken, ConnectorContext context) : IInboundConnector
{
    private readonly ILogger _logger = context.Loggers.CreateLogger("Concord.QuickBooks." + system.Name);

    public IReadOnlyList<InboundChange> Receive(InboundRequest request)
    {
        if (QuickBooksSignature.Verify(verifierToken, request.Header(QuickBooksSignature.Header), request.Body.Span) is { } why)
        {
            throw new WebhookRejectedException(why);
        }

        JsonNode? root;
        try
        {
            root = JsonNode.Parse(request.Body.Span);
        }
        catch (JsonException ex)
        {
            throw new IntakeException(400, "Malformed webhook", "$", $"not JSON: {ex.Message}");
        }

        var events = root switch
        {
            JsonArray cloudEvents => cloudEvents.OfType<JsonObject>().Select(FromCloudEvent),
            JsonObject { } legacy when legacy["eventNotifications"] is JsonArray notifications => notifications.OfType<JsonObject>().SelectMany(FromNotification),
            _ => throw new IntakeException(400, "Malformed webhook", "$", "expected a list of CloudEvents or {\"eventNotifications\": [...]}"),
        };

        var changes = new List<InboundChange>();
        var poll = false;
        foreach (var e in events)
        {
            if (e is null || e.Realm != realmId || QuickBooksMappings.ByVendorObject(e.Entity) is not { } support)
            {
                continue;
            }

            if (!e.Deleted)
            {
                poll = true;
                continue;
            }

            try
            {
                changes.Add(context.Intake.FromFields(system.Name, support.Type, e.Id, e.EventId, e.At, [], deleted: true, "webhook"));
            }
            catch (IntakeException ex)
            {
                // A type this system does not send to the hub: nothing to do with it.
                _logger.LogDebug("Ignored {Entity} {Id} from {System}: {Error}", e.Entity, e.Id, system.Name, ex.Message);
            }
        }

        if (poll)
        {
            context.RequestPoll(system.Name);
        }

        return changes;
    }

    private static WebhookEvent? FromCloudEvent(JsonObject e)
    {
        // type is qbo.<entity>.<operation>.v1
        var parts = e["type"]?.ToString().Split('.') ?? [];
        if (parts.Length < 3 || e["id"]?.ToString() is not { } id || e["intuitentityid"]?.ToString() is not { } entityId)
        {
            return null;
        }

        return new WebhookEvent(id, e["intuitaccountid"]?.ToString(), parts[1], entityId, parts[2] == "deleted", Time(e["time"]));
    }

    private static IEnumerable<WebhookEvent?> FromNotification(JsonObject notification)
    {
        var realm = notification["realmId"]?.ToString();
        foreach (var entity in (notification["dataChangeEvent"]?["entities"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var name = entity["name"]?.ToString();
            var id = entity["id"]?.ToString();
            var operation = entity["operation"]?.ToString();
            if (name is null || id is null || operation is null)
            {
                continue;
            }

            var lastUpdated = entity["lastUpdated"]?.ToString();
            yield return new WebhookEvent($"{name}:{id}:{operation}:{lastUpdated}", realm, name, id, operation == "Delete", Time(entity["lastUpdated"]));
        }
    }

    private static DateTimeOffset? Time(JsonNode? node) =>
        node?.ToString() is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;

    private sealed record WebhookEvent(string EventId, string? Realm, string Entity, string Id, bool Deleted, DateTimeOffset? At);
}
