using System.Text.Json.Nodes;
using Concord.Sandboxes.Stripe;
using Concord.Testing;

namespace Concord.Acceptance.Tests;

/// <summary>
/// The story Concord exists for: finance and operations each created "Acme" in Stripe, and both
/// copies pay $2,000 a month. The hub sees one customer held twice by Stripe, and raises an alert
/// naming both subscriptions, over the findings API.
/// </summary>
public sealed class DoubleBillingTests : IAsyncLifetime
{
    private static readonly Dictionary<string, string> Secrets = new() { ["STRIPE_KEY"] = "sk_test_acme", ["STRIPE_WHSEC"] = "whsec_acme", ["CRM_SECRET"] = "crm" };

    private readonly StripeSandbox _stripe = new("stripe", Secrets["STRIPE_KEY"], Secrets["STRIPE_WHSEC"]);
    private HubHarness _hub = null!;

    public async Task InitializeAsync()
    {
        await _stripe.StartAsync();
        _hub = await HubHarness.StartAsync($$"""
            version: 1
            systems:
              crm: { kind: webhook, settings: { secret: { env: CRM_SECRET } } }
              stripe:
                kind: stripe
                settings:
                  base_url: {{_stripe.Url}}
                  api_key: { env: STRIPE_KEY }
                  webhook_secret: { env: STRIPE_WHSEC }
            entities:
              customer: { owner: crm, identity: [email], fill_in: true }
              subscription: { owner: stripe }
            syncs:
              - { system: crm, type: customer, direction: pull }
              - { system: stripe, type: customer, direction: two-way, fields: [name, email] }
              - { system: stripe, type: subscription, direction: pull }
            """, Secrets);
        _stripe.HubUrl = _hub.Url;
    }

    public async Task DisposeAsync()
    {
        await _hub.DisposeAsync();
        await _stripe.DisposeAsync();
    }

    [Fact]
    public async Task AcmeBilledTwiceInStripe_IsAnAlertNamingBothSubscriptions()
    {
        var byFinance = await _stripe.CreateCustomerAsync(new JsonObject { ["email"] = "ap@acme.example", ["name"] = "Acme Corp" });
        var byOperations = await _stripe.CreateCustomerAsync(new JsonObject { ["email"] = "AP@acme.example", ["name"] = "ACME Corporation" });
        var first = await _stripe.CreateSubscriptionAsync((string)byFinance["id"]!, "price_pro_monthly", 200_000, "usd", "month");
        var second = await _stripe.CreateSubscriptionAsync((string)byOperations["id"]!, "price_pro_monthly", 200_000, "usd", "month");

        var alert = await Eventually.GetAsync(async () =>
            (await _hub.GetJsonAsync("/api/v1/findings?kind=double-billing")).AsArray().FirstOrDefault(), "the double-billing alert");
        Assert.Equal("alert", (string?)alert!["severity"]);
        var subscriptions = new[] { (string?)alert["record_id"], (string?)alert["other_record_id"] };
        var links = new List<string>();
        foreach (var id in subscriptions)
        {
            var record = await _hub.GetJsonAsync($"/api/v1/records/subscription/{id}");
            links.AddRange(record["links"]!.AsArray().Select(l => (string)l!["external_id"]!));
        }

        Assert.Equal(new[] { (string)first["id"]!, (string)second["id"]! }.Order(), links.Order());

        var duplicate = Assert.Single((await _hub.GetJsonAsync("/api/v1/findings?kind=duplicate-in-system")).AsArray());
        Assert.Contains((string)byFinance["id"]!, (string?)duplicate!["message"], StringComparison.Ordinal);
        Assert.Contains((string)byOperations["id"]!, (string?)duplicate["message"], StringComparison.Ordinal);

        using var bad = await _hub.Http.GetAsync($"{_hub.Url}/api/v1/findings?kind=nonsense");
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, bad.StatusCode);
    }
}
