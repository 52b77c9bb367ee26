using System.Text.Json.Nodes;
using Concord.Sandboxes.Stripe;
using Concord.Testing;

namespace Concord.Connectors.Tests.Stripe;

/// <summary>
/// A whole hub with a Stripe system pointed at the sandbox: a customer posted to the hub reaches
/// Stripe, and what a person does in Stripe (a phone change, a payment) comes back through the
/// signed webhooks, with Stripe's ids translated to the hub's.
/// </summary>
public sealed class StripeHubTests : IAsyncLifetime
{
    private static readonly Dictionary<string, string> Secrets = new()
    {
        ["CRM_SECRET"] = "crm-secret",
        ["STRIPE_KEY"] = StripeTestbed.ApiKey,
        ["STRIPE_WHSEC"] = StripeTestbed.WebhookSecret,
    };

    private StripeSandbox _stripe = null!;
    private HubHarness _hub = null!;

    public async Task InitializeAsync()
    {
        _stripe = new StripeSandbox("stripe", StripeTestbed.ApiKey, StripeTestbed.WebhookSecret, StripeTestbed.SpecForBodies);
        await _stripe.StartAsync();
        _hub = await HubHarness.StartAsync($$"""
            version: 1
            systems:
              crm:
                kind: webhook
                settings: { secret: { env: CRM_SECRET } }
              stripe:
                kind: stripe
                settings:
                  base_url: {{_stripe.Url}}
                  api_key: { env: STRIPE_KEY }
                  webhook_secret: { env: STRIPE_WHSEC }
                  poll_interval: 200ms
                retry: { max_attempts: 20, initial_delay: 50ms, max_delay: 500ms, timeout: 5s }
            entities:
              customer:
                owner: crm
                identity: [email]
                fields:
                  phone: { owner: stripe }
              payment: { owner: stripe }
              invoice: { owner: stripe }
            syncs:
              - { system: crm, type: customer, direction: pull }
              - { system: stripe, type: customer, direction: two-way }
              - { system: stripe, type: payment, direction: pull }
              - { system: stripe, type: invoice, direction: pull }
            """, Secrets);
        _stripe.HubUrl = _hub.Url;
    }

    public async Task DisposeAsync()
    {
        await _hub.DisposeAsync();
        await _stripe.DisposeAsync();
    }

    private async Task<JsonObject?> HubRecordAsync(string type, string q)
    {
        var found = (await _hub.GetJsonAsync($"/api/v1/records/{type}?q={Uri.EscapeDataString(q)}")).AsArray();
        return found.Count == 1 ? found[0]!.AsObject() : null;
    }

    [Fact]
    public async Task A_customer_posted_to_the_hub_reaches_Stripe_and_Stripes_changes_and_payments_come_back()
    {
        using var posted = await _hub.PostChangesAsync("crm", """
            {"changes":[{"type":"customer","external_id":"crm-1","event_id":"e1","fields":{"email":"ann@example.com","name":"Ann Lee","city":"Leeds"}}]}
            """);
        Assert.True(posted.IsSuccessStatusCode, await posted.Content.ReadAsStringAsync());

        var inStripe = await Eventually.GetAsync(() => Task.FromResult(_stripe.Customers.FirstOrDefault(c => (string?)c["email"] == "ann@example.com")), "Ann in Stripe");
        Assert.Equal("Ann Lee", (string?)inStripe["name"]);
        Assert.Equal("Leeds", (string?)inStripe["address"]!["city"]);
        var customerId = (string)inStripe["id"]!;

        // The hub links its record to Stripe's id.
        var record = await Eventually.GetAsync(() => HubRecordAsync("customer", customerId), "the hub to link Ann to Stripe");
        var recordId = (string)record["id"]!;

        // A person edits the phone in Stripe (Stripe owns it): the webhook brings it to the hub.
        await _stripe.UpdateCustomerAsync(customerId, new JsonObject { ["phone"] = "+44 113 496 0000" });
        await Eventually.TrueAsync(async () => (string?)(await HubRecordAsync("customer", customerId))?["values"]?["phone"] == "+44 113 496 0000", "the phone in the hub");

        // A payment made in Stripe reaches the hub with its customer as the hub's record id.
        var payment = await _stripe.SimulatePaymentAsync(customerId, 2599, "gbp");
        var hubPayment = await Eventually.GetAsync(() => HubRecordAsync("payment", (string)payment["id"]!), "the payment in the hub");
        Assert.Equal(25.99m, hubPayment["values"]!["amount"]!.GetValue<decimal>());
        Assert.Equal(recordId, (string?)hubPayment["values"]!["customer"]);
        Assert.Equal(0, _stripe.WebhookFailures);
    }

    [Fact]
    public async Task Events_missed_while_the_hub_was_unreachable_are_read_from_the_event_feed()
    {
        // Let the poller take its starting point, then lose the webhooks.
        await Eventually.TrueAsync(() => _stripe.Requests.Any(r => r.PathAndQuery.StartsWith("/v1/events", StringComparison.Ordinal)), "the first poll");
        _stripe.HubUrl = null;
        var customer = await _stripe.CreateCustomerAsync(new JsonObject { ["email"] = "quiet@example.com", ["name"] = "Quiet" });
        var invoice = await _stripe.CreateInvoiceAsync((string)customer["id"]!, 1000, "usd", "Setup");
        await _stripe.FinalizeInvoiceAsync((string)invoice["id"]!);

        var hubInvoice = await Eventually.GetAsync(() => HubRecordAsync("invoice", (string)invoice["id"]!), "the invoice via the event feed");
        Assert.Equal(10m, hubInvoice["values"]!["amount"]!.GetValue<decimal>());
        Assert.Equal("open", (string?)hubInvoice["values"]!["status"]);
    }
}
