using System.Text.Json.Nodes;
using Concord.Core.Configuration;
using Concord.Core.Mapping;
using Concord.Engine.Connectors;
using Concord.Engine.Storage;

namespace Concord.Connectors.Stripe;

/// <summary>
/// Delivers golden customers and invoices to Stripe. A delivery whose record Stripe does not know
/// yet creates it (and returns Stripe's id for the hub to link); one it knows updates it with
/// <c>POST /v1/customers/{id}</c>. Every POST carries the delivery's idempotency key, so a retried
/// delivery whose first attempt did reach Stripe gets the saved answer instead of a second record.
/// </summary>
public sealed class StripeOutbound(SystemConfig system, StripeClient client, ILinkLookup links) : IOutboundConnector
{
    /// <summary>Customer parameters Stripe accepts on create and update; anything else a mapping reads (created) is not sent.</summary>
    internal static readonly HashSet<string> CustomerWritable = ["email", "name", "phone", "address", "description", "metadata", "shipping", "preferred_locales", "tax_exempt", "invoice_prefix"];

    private readonly FieldMap _customers = FieldMap.For(StripeMappings.Customer, system);
    private readonly StripeInvoiceWriter _invoices = new(system, client, links, FieldMap.For(StripeMappings.Invoice, system));

    public async Task<OutboundResult> SendAsync(Delivery delivery, CancellationToken cancellationToken)
    {
        var canonical = JsonNode.Parse(delivery.Payload) as JsonObject ?? [];
        return (delivery.Type, delivery.Operation) switch
        {
            ("customer", "delete") => await DeleteCustomerAsync(delivery, cancellationToken),
            ("customer", _) => await UpsertCustomerAsync(delivery, canonical, cancellationToken),
            ("invoice", "delete") => throw new DeliveryFailedException(
                $"{system.Name}: Concord does not delete Stripe invoices (only drafts can be deleted there; void the invoice in Stripe instead)", null, null, retryable: false),
            ("invoice", _) => await _invoices.UpsertAsync(delivery, canonical, cancellationToken),
            _ => throw new DeliveryFailedException($"{system.Name}: the stripe connector does not write {delivery.Type} records", null, null, retryable: false),
        };
    }

    private async Task<OutboundResult> UpsertCustomerAsync(Delivery delivery, JsonObject canonical, CancellationToken cancellationToken)
    {
        var parameters = Writable(_customers.ToVendor(canonical), CustomerWritable);
        if (delivery.ExternalId is not { } id)
        {
            // Nothing to unset on a new customer: a null would only send empty strings.
            var created = await client.PostAsync("/v1/customers", PruneNulls(parameters), delivery.IdempotencyKey, "create customer", cancellationToken);
            return new OutboundResult(created.Status, created.Body, created.Id);
        }

        var updated = await client.PostAsync($"/v1/customers/{StripeClient.Escape(id)}", parameters, delivery.IdempotencyKey, "update customer", cancellationToken);
        return new OutboundResult(updated.Status, updated.Body, updated.Id ?? id);
    }

    private async Task<OutboundResult> DeleteCustomerAsync(Delivery delivery, CancellationToken cancellationToken)
    {
        if (delivery.ExternalId is not { } id)
        {
            // The customer never reached Stripe, so there is nothing there to delete.
            return new OutboundResult(204, null, null);
        }

        // A customer already gone (deleted in Stripe's dashboard) is the outcome the delivery wants.
        var answer = await client.SendAsync(HttpMethod.Delete, $"/v1/customers/{StripeClient.Escape(id)}", null, null, "delete customer", cancellationToken, allowStatus: 404);
        return new OutboundResult(answer.Status, answer.Body, id);
    }

    /// <summary>Only the top-level parameters Stripe accepts for the object.</summary>
    internal static JsonObject Writable(JsonObject vendor, IReadOnlySet<string> allowed)
    {
        foreach (var key in vendor.Select(p => p.Key).Where(k => !allowed.Contains(k)).ToList())
        {
            vendor.Remove(key);
        }

        return vendor;
    }

    /// <summary>Drops nulls (and objects left empty by that) from a new object's parameters.</summary>
    internal static JsonObject PruneNulls(JsonObject parameters)
    {
        foreach (var (key, value) in parameters.ToList())
        {
            if (value is JsonObject child)
            {
                PruneNulls(child);
            }

            if (value is null || value is JsonObject { Count: 0 })
            {
                parameters.Remove(key);
            }
        }

        return parameters;
    }
}
