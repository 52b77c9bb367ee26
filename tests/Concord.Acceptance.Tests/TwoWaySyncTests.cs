using System.Text.Json.Nodes;
using Concord.Sandboxes;
using Concord.Testing;

namespace Concord.Acceptance.Tests;

/// <summary>
/// Two systems that both send and receive, and both echo every change they receive (as real
/// vendors do): the hub must not loop. Shown by counting deliveries.
/// </summary>
public sealed class TwoWaySyncTests : IAsyncLifetime
{
    private static readonly Dictionary<string, string> Secrets = new()
    {
        ["CRM_SECRET"] = "crm-secret",
        ["BILLING_SECRET"] = "billing-secret",
        ["DELIVERY_SECRET"] = "delivery-secret",
    };

    private SystemSandbox _crm = null!;
    private SystemSandbox _billing = null!;
    private HubHarness _hub = null!;

    public async Task InitializeAsync()
    {
        _crm = new SystemSandbox("crm", "crm-", Secrets["CRM_SECRET"], Secrets["DELIVERY_SECRET"]);
        _billing = new SystemSandbox("billing", "cus_", Secrets["BILLING_SECRET"], Secrets["DELIVERY_SECRET"]);
        await _crm.StartAsync();
        await _billing.StartAsync();
        _hub = await HubHarness.StartAsync($$"""
            version: 1
            systems:
              crm:
                kind: http
                settings: { url: "{{_crm.DeliveryUrl}}", signing_secret: { env: DELIVERY_SECRET }, webhook_secret: { env: CRM_SECRET } }
              billing:
                kind: http
                settings: { url: "{{_billing.DeliveryUrl}}", signing_secret: { env: DELIVERY_SECRET }, webhook_secret: { env: BILLING_SECRET } }
            entities:
              customer:
                owner: crm
                fields:
                  subscription_status: { owner: billing }
            syncs:
              - { system: crm, type: customer, direction: two-way }
              - { system: billing, type: customer, direction: two-way, fields: [name, email, phone, subscription_status] }
            """, Secrets);
        _crm.HubUrl = _billing.HubUrl = _hub.Url;
    }

    public async Task DisposeAsync()
    {
        await _hub.DisposeAsync();
        await _crm.DisposeAsync();
        await _billing.DisposeAsync();
    }

    private async Task<int> DeliveriesAsync() => (await _hub.GetJsonAsync("/api/v1/deliveries?limit=1000")).AsArray().Count;

    private async Task SettleAsync()
    {
        // Quiet in the hub, and no echo webhook still on its way: quiet twice, 300 ms apart.
        await Eventually.TrueAsync(_hub.IsQuietAsync, "the hub to settle");
        await Task.Delay(300);
        await Eventually.TrueAsync(_hub.IsQuietAsync, "the hub to settle after echoes");
    }

    [Fact]
    public async Task ChangesOnBothSides_CauseOneDeliveryEach_AndNoLoop()
    {
        var ann = await _crm.CreateAsync("customer", new JsonObject { ["name"] = "Ann", ["email"] = "ann@example.com" });
        var inBilling = await Eventually.GetAsync(() => Task.FromResult(_billing.Find("customer", r => r.Field("email") == "ann@example.com")), "ann in billing");
        await SettleAsync();
        Assert.Equal(1, await DeliveriesAsync());

        await _billing.UpdateAsync(inBilling.Id, new JsonObject { ["subscription_status"] = "active" });
        await Eventually.TrueAsync(() => _crm.Get(ann.Id)?.Field("subscription_status") == "active", "the status in the crm");
        await SettleAsync();
        Assert.Equal(2, await DeliveriesAsync());

        await _crm.UpdateAsync(ann.Id, new JsonObject { ["phone"] = "+44 20 7946 0000" });
        await Eventually.TrueAsync(() => _billing.Get(inBilling.Id)?.Field("phone") == "+44 20 7946 0000", "the phone in billing");
        await SettleAsync();

        var before = await DeliveriesAsync();
        var webhooks = _crm.WebhooksSent + _billing.WebhooksSent;
        await Task.Delay(1500);
        Assert.Equal(3, before);
        Assert.Equal(before, await DeliveriesAsync());
        Assert.Equal(webhooks, _crm.WebhooksSent + _billing.WebhooksSent);
        Assert.True(webhooks >= 6, $"both systems echoed what they received ({webhooks} webhooks)");
    }
}
