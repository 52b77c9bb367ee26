using System.Text.Json.Nodes;
using Concord.Core.Configuration;
using Concord.Core.Mapping;
using Concord.Engine.Connectors;
using Concord.Engine.Storage;

namespace Concord.Connectors.HubSpot;

/// <summary>
/// Delivers contacts, companies and deals to HubSpot. A record HubSpot already has (the hub knows
/// its id) is PATCHed; a new one is written with batch upsert by a unique property — the contact's
/// email, or the <c>id_property</c> (default <c>concord_id</c>, holding the hub's record id) for
/// companies (whichever canonical type lives on them) and deals. A customer kept on a company needs
/// no email: HubSpot companies have none, and the upsert does not use it. HubSpot has no idempotency key, so the upsert is what makes a retried
/// create land on the record the first attempt made instead of creating a second one.
/// Reference fields of a deal become v4 default associations once the deal is saved.
/// </summary>
public sealed class HubSpotOutbound(SystemConfig system, HubSpotLayout layout, HubSpotClient client, ILinkLookup links, string idProperty) : IOutboundConnector
{
    private readonly Dictionary<string, FieldMap> _maps = layout.Maps(system);

    public async Task<OutboundResult> SendAsync(Delivery delivery, CancellationToken cancellationToken)
    {
        var obj = layout.ForType(delivery.Type)
            ?? throw new DeliveryFailedException($"the hubspot connector does not sync {delivery.Type}", null, null, retryable: false);
        if (delivery.Operation == "delete")
        {
            return await DeleteAsync(obj, delivery, cancellationToken);
        }

        var map = _maps[obj.Type];
        var canonical = JsonNode.Parse(delivery.Payload) as JsonObject ?? [];
        var references = await ResolveReferencesAsync(map, canonical, cancellationToken);
        var (properties, associations) = HubSpotRecords.ToVendor(map, canonical, references);

        var saved = delivery.ExternalId is { } id
            ? await client.PatchAsync($"{HubSpotClient.ObjectsPath(obj.Object)}/{Uri.EscapeDataString(id)}", new JsonObject { ["properties"] = properties }, $"update {obj.Object} {id}", cancellationToken)
            : await UpsertAsync(obj, delivery, properties, cancellationToken);
        var hubSpotId = delivery.ExternalId ?? IdOf(saved.Json)
            ?? throw new DeliveryFailedException($"{system.Name} saved {obj.Object} but named no id", saved.Status, saved.Body, retryable: false);

        // Associating twice is harmless (PUT), so a retry after a failed association is safe.
        foreach (var (toObject, toId) in associations)
        {
            await client.PutAsync($"/crm/v4/objects/{obj.Object}/{Uri.EscapeDataString(hubSpotId)}/associations/default/{toObject}/{Uri.EscapeDataString(toId)}",
                $"associate {obj.Object} {hubSpotId} with {toObject} {toId}", cancellationToken);
        }

        return new OutboundResult(saved.Status, saved.Body, hubSpotId);
    }

    private async Task<HubSpotResponse> UpsertAsync(HubSpotObject obj, Delivery delivery, JsonObject properties, CancellationToken ct)
    {
        string by, value;
        if (obj.Object == HubSpotObjects.ContactsObject)
        {
            by = "email";
            value = properties["email"]?.GetValue<string>() is { Length: > 0 } email
                ? email
                : throw new DeliveryFailedException($"customer {delivery.RecordId} has no email, which HubSpot needs to upsert a contact", null, null, retryable: false);
        }
        else
        {
            by = idProperty;
            value = delivery.RecordId;
        }

        var body = new JsonObject
        {
            ["inputs"] = new JsonArray(new JsonObject { ["id"] = value, ["idProperty"] = by, ["properties"] = properties }),
        };
        var response = await client.PostAsync($"{HubSpotClient.ObjectsPath(obj.Object)}/batch/upsert", body, $"upsert {obj.Object} by {by}", ct);
        return response with { Json = response.Json?["results"]?[0] };
    }

    private async Task<OutboundResult> DeleteAsync(HubSpotObject obj, Delivery delivery, CancellationToken ct)
    {
        if (delivery.ExternalId is not { } id)
        {
            // The record never reached HubSpot (or the hub never learned its id): nothing to archive.
            return new OutboundResult(204, null, null);
        }

        var response = await client.DeleteAsync($"{HubSpotClient.ObjectsPath(obj.Object)}/{Uri.EscapeDataString(id)}", $"archive {obj.Object} {id}", ct);
        return new OutboundResult(response.Status, response.Body, id);
    }

    /// <summary>HubSpot ids of the referenced records; a reference that has not reached HubSpot yet defers the delivery.</summary>
    private async Task<Dictionary<string, string>> ResolveReferencesAsync(FieldMap map, JsonObject canonical, CancellationToken ct)
    {
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var field in map.ReferenceFields)
        {
            if (canonical[field] is not JsonValue v || !v.TryGetValue<string>(out var hubRecordId) || hubRecordId.Length == 0)
            {
                continue;
            }

            ids[field] = await links.ExternalIdAsync(system.Name, hubRecordId, ct)
                ?? throw DeliveryFailedException.Deferred($"waiting for {field} {hubRecordId} to reach {system.Name}", TimeSpan.FromSeconds(5));
        }

        return ids;
    }

    private static string? IdOf(JsonNode? node) => node?["id"] is JsonValue v ? (v.TryGetValue<string>(out var s) ? s : v.ToJsonString()) : null;
}
