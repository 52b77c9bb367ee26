using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Concord.Core.Configuration;
using Concord.Core.Mapping;
using Concord.Engine.Connectors;
using Concord.Engine.Storage;

namespace Concord.Connectors.QuickBooks;

/// <summary>
/// Writes golden changes to QuickBooks: a create is a POST without <c>Id</c>; an update is a sparse
/// POST with the object's <c>Id</c> and current <c>SyncToken</c>. QuickBooks rejects a stale token
/// (Fault 5010), so the token is re-read and the write sent once more within the same attempt — the
/// vendor's own concurrency protocol, not a retry. Every write carries a <c>requestid</c> derived
/// from the delivery's idempotency key, so a repeated attempt gets the first answer back.
/// </summary>
public sealed class QuickBooksOutbound(SystemConfig system, QuickBooksClient client, ConnectorContext context) : IOutboundConnector
{
    /// <summary>QuickBooks' limit on the length of a <c>requestid</c>.</summary>
    public const int MaxRequestIdLength = 50;

    private readonly ConcurrentDictionary<string, FieldMap> _maps = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _syncTokens = new(StringComparer.Ordinal);
    private readonly string _itemId = system.GetSetting("item_id") ?? "1";

    public async Task<OutboundResult> SendAsync(Delivery delivery, CancellationToken cancellationToken)
    {
        var support = QuickBooksMappings.Entities.FirstOrDefault(e => e.Type == delivery.Type)
            ?? throw new DeliveryFailedException($"the quickbooks connector does not sync {delivery.Type}", null, null, retryable: false);
        if (delivery.Operation == "delete")
        {
            return await DeleteAsync(support, delivery, cancellationToken);
        }

        var body = await BodyAsync(support, delivery, cancellationToken);
        if (delivery.ExternalId is null)
        {
            var created = await client.PostAsync(Path(support), [RequestId(delivery.IdempotencyKey)], body, $"create {support.VendorObject}", cancellationToken);
            return Result(support, created);
        }

        if (!support.Can(EntityOperations.Update))
        {
            throw new DeliveryFailedException($"QuickBooks {support.VendorObject} objects are only created by Concord, never changed; {delivery.ExternalId} was left as it is",
                null, null, retryable: false);
        }

        return Result(support, await WriteExistingAsync(support, delivery, body, cancellationToken));
    }

    /// <summary>The requestid for an idempotency key: the key itself, or its hash when QuickBooks would find it too long.</summary>
    public static KeyValuePair<string, string> RequestId(string idempotencyKey, string suffix = "")
    {
        var id = idempotencyKey + suffix;
        if (id.Length > MaxRequestIdLength)
        {
            id = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id)))[..40];
        }

        return new("requestid", id);
    }

    /// <summary>The QuickBooks object for a delivery's fields, with references resolved to QuickBooks ids.</summary>
    public async Task<JsonObject> BodyAsync(EntitySupport support, Delivery delivery, CancellationToken cancellationToken)
    {
        var map = Map(support);
        var canonical = JsonNode.Parse(delivery.Payload) as JsonObject ?? [];
        var references = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var field in map.ReferenceFields)
        {
            if (canonical[field] is JsonValue v && v.TryGetValue<string>(out var hubId))
            {
                references[field] = await context.Links.ExternalIdAsync(system.Name, hubId, cancellationToken)
                    ?? throw DeliveryFailedException.Deferred($"waiting for {field} {hubId} to reach {system.Name}", TimeSpan.FromSeconds(5));
            }
        }

        var body = map.ToVendor(canonical, references);
        if (support == QuickBooksMappings.Invoice)
        {
            // QuickBooks computes TotalAmt and Balance from the lines and payments; it needs one line.
            body.Remove("TotalAmt");
            body.Remove("Balance");
            // Deliveries carry the whole record: an existing invoice's own lines (several items,
            // discounts, tax) are replaced by the one line only when the amount itself changed.
            if (canonical["amount"] is JsonValue amount && amount.TryGetValue<decimal>(out var total)
                && (delivery.ExternalId is null || Changed(delivery).Contains("amount")))
            {
                body["Line"] = new JsonArray(InvoiceLine(total, canonical["description"]?.ToString()));
            }
        }
        else if (support == QuickBooksMappings.Payment && body["Line"] is JsonArray { Count: > 0 } lines && lines[0] is JsonObject line)
        {
            line["Amount"] = body["TotalAmt"]?.DeepClone();
            if (line["LinkedTxn"] is JsonArray { Count: > 0 } linked && linked[0] is JsonObject txn)
            {
                txn["TxnType"] = "Invoice";
            }
        }

        return body;
    }

    private static IReadOnlyList<string> Changed(Delivery delivery) =>
        delivery.Changed.Length == 0 ? [] : System.Text.Json.JsonSerializer.Deserialize<List<string>>(delivery.Changed) ?? [];

    private JsonObject InvoiceLine(decimal amount, string? description)
    {
        var line = new JsonObject
        {
            ["Amount"] = amount,
            ["DetailType"] = "SalesItemLineDetail",
            ["SalesItemLineDetail"] = new JsonObject { ["ItemRef"] = new JsonObject { ["value"] = _itemId } },
        };
        if (description is { Length: > 0 })
        {
            line["Description"] = description;
        }

        return line;
    }

    private async Task<JsonObject> WriteExistingAsync(EntitySupport support, Delivery delivery, JsonObject changes, CancellationToken cancellationToken, string operation = "")
    {
        var id = delivery.ExternalId!;
        var key = support.VendorObject + ":" + id;
        var token = _syncTokens.TryGetValue(key, out var cached) ? cached : await ReadSyncTokenAsync(support, id, cancellationToken);
        for (var attempt = 1; ; attempt++)
        {
            var body = (JsonObject)changes.DeepClone();
            body["Id"] = id;
            body["SyncToken"] = token;
            if (operation.Length == 0)
            {
                body["sparse"] = true;
            }

            List<KeyValuePair<string, string>> query = [RequestId(delivery.IdempotencyKey, attempt == 1 ? "" : "~2")];
            if (operation.Length > 0)
            {
                query.Add(new("operation", operation));
            }

            try
            {
                return await client.PostAsync(Path(support), query, body, $"{(operation.Length > 0 ? operation : "update")} {support.VendorObject} {id}", cancellationToken);
            }
            catch (DeliveryFailedException ex) when (attempt == 1 && ex.Data[QuickBooksClient.FaultCodeKey] as string == QuickBooksFault.StaleObject)
            {
                token = await ReadSyncTokenAsync(support, id, cancellationToken);
            }
        }
    }

    private async Task<string> ReadSyncTokenAsync(EntitySupport support, string id, CancellationToken cancellationToken)
    {
        var read = await client.GetAsync(Path(support) + "/" + Uri.EscapeDataString(id), [], $"read {support.VendorObject} {id}", cancellationToken);
        return read[support.VendorObject]?["SyncToken"]?.ToString()
            ?? throw new DeliveryFailedException($"{system.Name} returned {support.VendorObject} {id} without a SyncToken", 200, read.ToJsonString(), retryable: true);
    }

    private async Task<OutboundResult> DeleteAsync(EntitySupport support, Delivery delivery, CancellationToken cancellationToken)
    {
        if (delivery.ExternalId is null)
        {
            return new OutboundResult(200, $"record {delivery.RecordId} never reached {system.Name}: nothing to delete", null);
        }

        if (support == QuickBooksMappings.Customer)
        {
            // QuickBooks keeps customers for their history: "deleting" one makes it inactive.
            return Result(support, await WriteExistingAsync(support, delivery, new JsonObject { ["Active"] = false }, cancellationToken));
        }

        if (!support.Can(EntityOperations.Delete))
        {
            throw new DeliveryFailedException($"Concord does not delete QuickBooks {support.VendorObject} objects; {delivery.ExternalId} was left as it is", null, null, retryable: false);
        }

        try
        {
            return Result(support, await WriteExistingAsync(support, delivery, [], cancellationToken, operation: "delete"));
        }
        catch (DeliveryFailedException ex) when (ex.Data[QuickBooksClient.FaultCodeKey] as string == "610")
        {
            // Object Not Found: someone deleted it first, which is what was asked.
            return new OutboundResult(200, ex.Body, delivery.ExternalId);
        }
    }

    private OutboundResult Result(EntitySupport support, JsonObject response)
    {
        var written = response[support.VendorObject] as JsonObject;
        var id = written?["Id"]?.ToString();
        if (id is not null && written?["SyncToken"]?.ToString() is { } token)
        {
            _syncTokens[support.VendorObject + ":" + id] = token;
        }
        else if (id is not null)
        {
            _syncTokens.TryRemove(support.VendorObject + ":" + id, out _);
        }

        return new OutboundResult(200, response.ToJsonString(), id);
    }

    private FieldMap Map(EntitySupport support) => _maps.GetOrAdd(support.Type, _ => FieldMap.For(support, system));

    private static string Path(EntitySupport support) => support.VendorObject.ToLower(CultureInfo.InvariantCulture);
}
