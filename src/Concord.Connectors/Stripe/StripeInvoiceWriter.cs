using System.Globalization;
using System.Text.Json.Nodes;
using Concord.Core.Configuration;
using Concord.Core.Mapping;
using Concord.Engine.Connectors;
using Concord.Engine.Storage;

namespace Concord.Connectors.Stripe;

/// <summary>
/// Creates and updates Stripe invoices. A Stripe invoice has no amount of its own: it sums its
/// items. Creating one is two calls: a draft invoice for the customer that takes in no pending
/// items (<c>pending_invoice_items_behavior=exclude</c>), then one invoice item for the amount
/// attached to that invoice by id. Attaching by id, rather than letting the invoice sweep in the
/// customer's pending items, keeps another item of the same customer out of it. Each call has
/// its own idempotency key derived from the delivery's, so a retry after a crash between the two
/// replays the first and makes only the missing second. The invoice stays a draft. It carries the
/// hub's record id in <c>metadata[concord_record_id]</c>, so the events Stripe sends about it
/// (often before the hub has the invoice's id) join that record instead of making another.
/// </summary>
public sealed class StripeInvoiceWriter(SystemConfig system, StripeClient client, ILinkLookup links, FieldMap map)
{
    /// <summary>Invoice parameters Stripe accepts on update (and create); read-only fields such as number and status are not sent.</summary>
    private static readonly HashSet<string> Writable = ["description", "due_date", "metadata", "footer", "days_until_due", "collection_method", "auto_advance"];

    public async Task<OutboundResult> UpsertAsync(Delivery delivery, JsonObject canonical, CancellationToken cancellationToken)
    {
        var parameters = StripeOutbound.Writable(map.ToVendor(canonical), Writable);
        if (parameters.ContainsKey("due_date") && parameters["due_date"] is null)
        {
            // Stripe's due_date takes only a timestamp: there is no empty string to unset it with.
            parameters.Remove("due_date");
        }

        if (delivery.ExternalId is not null && parameters.ContainsKey("due_date") && !Changed(delivery).Contains("due_date"))
        {
            // Deliveries carry the whole record. Stripe refuses due_date and collection_method on a
            // finalized invoice, so an unchanged due date is not sent again: an update of another
            // field (description, metadata) must not fail for it.
            parameters.Remove("due_date");
        }

        if (parameters["due_date"] is not null)
        {
            // Stripe accepts a due date only on invoices sent to the customer, not charged automatically.
            parameters["collection_method"] = "send_invoice";
        }

        if (delivery.ExternalId is { } id)
        {
            var updated = await client.PostAsync($"/v1/invoices/{StripeClient.Escape(id)}", parameters, delivery.IdempotencyKey, "update invoice", cancellationToken);
            return new OutboundResult(updated.Status, updated.Body, updated.Id ?? id);
        }

        var customer = await CustomerAsync(delivery, canonical, cancellationToken);
        var amount = canonical["amount"] is JsonValue a && a.TryGetValue<decimal>(out var major) ? major : (decimal?)null;
        
        // The hub keeps ISO codes in upper case; Stripe documents its currencies in lower case.
        var currency = canonical["currency"] is JsonValue c && c.TryGetValue<string>(out var code) ? code.ToLowerInvariant() : null;
        if (amount is null || currency is null)
        {
            throw new DeliveryFailedException($"{system.Name}: a new Stripe invoice needs amount and currency (record {delivery.RecordId})", null, null, retryable: false);
        }

        var invoice = StripeOutbound.PruneNulls(parameters);
        if (invoice["metadata"] is not JsonObject metadata)
        {
            metadata = [];
            invoice["metadata"] = metadata;
        }

        metadata[StripeMappings.RecordIdKey] = delivery.RecordId;
        invoice["customer"] = customer;
        invoice["currency"] = currency;
        invoice["pending_invoice_items_behavior"] = "exclude";
        var created = await client.PostAsync("/v1/invoices", invoice, delivery.IdempotencyKey + "/invoice", "create invoice", cancellationToken);
        var invoiceId = created.Id ?? throw new DeliveryFailedException($"{system.Name}: Stripe created an invoice but named no id", created.Status, created.Body, retryable: false);

        var item = new JsonObject
        {
            ["customer"] = customer,
            ["invoice"] = invoiceId,
            ["amount"] = (long)decimal.Round(amount.Value * MinorUnits.PerMajor(currency), MidpointRounding.AwayFromZero),
            ["currency"] = currency,
        };
        if (canonical["description"] is JsonValue d && d.TryGetValue<string>(out var description))
        {
            item["description"] = description;
        }

        await client.PostAsync("/v1/invoiceitems", item, delivery.IdempotencyKey + "/item", "create invoice item", cancellationToken);
        return new OutboundResult(created.Status, created.Body, invoiceId);
    }

    private static IReadOnlyList<string> Changed(Delivery delivery) =>
        delivery.Changed.Length == 0 ? [] : System.Text.Json.JsonSerializer.Deserialize<List<string>>(delivery.Changed) ?? [];

    /// <summary>The Stripe id of the invoice's customer; waits (deferred) until that customer has reached Stripe.</summary>
    private async Task<string> CustomerAsync(Delivery delivery, JsonObject canonical, CancellationToken cancellationToken)
    {
        if (canonical["customer"] is not JsonValue v || !v.TryGetValue<string>(out var recordId))
        {
            throw new DeliveryFailedException($"{system.Name}: a Stripe invoice needs a customer (record {delivery.RecordId} has none)", null, null, retryable: false);
        }

        return await links.ExternalIdAsync(system.Name, recordId, cancellationToken)
            ?? throw DeliveryFailedException.Deferred(
                string.Create(CultureInfo.InvariantCulture, $"waiting for customer {recordId} to reach {system.Name}"), TimeSpan.FromSeconds(5));
    }
}
