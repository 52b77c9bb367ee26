using System.Net;
using System.Text.Json.Nodes;
using Concord.Sandboxes.Stripe;
using Concord.Testing;

namespace Concord.Acceptance.Tests;

/// <summary>
/// The story Concord exists for: finance and operations each created "Acme" in Stripe, and both
/// copies pay $2,000 a month. The hub sees one customer held twice by Stripe, and raises an alert
/// naming both subscriptions, over the findings API. Cancelling one of them from the hub fixes it: Stripe cancels
/// it, and the finding closes when Stripe's own event comes back. Asking again cancels nothing twice.
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

    [Fact]
    public async Task CancellingTheLaterSubscription_CancelsItInStripe_AndTheDoubleBillingFindingClosesWhenStripeSaysSo()
    {
        var acme = await _stripe.CreateCustomerAsync(new JsonObject { ["email"] = "ap@acme.example", ["name"] = "Acme Corp" });
        var first = await _stripe.CreateSubscriptionAsync((string)acme["id"]!, "price_pro_monthly", 200_000, "usd", "month");
        var second = await _stripe.CreateSubscriptionAsync((string)acme["id"]!, "price_pro_monthly", 200_000, "usd", "month");
        var finding = await Eventually.GetAsync(async () => (await OpenDoubleBillingAsync()).FirstOrDefault(), "a double-billing finding");

        using var cancelled = await _hub.Http.PostAsync($"{_hub.Url}/api/v1/records/subscription/{(string)finding["record_id"]!}/cancel", null);
        var body = await cancelled.Content.ReadAsStringAsync();
        Assert.True(cancelled.StatusCode == HttpStatusCode.OK, body);
        var answer = Assert.Single(JsonNode.Parse(body)!["systems"]!.AsArray());
        Assert.Equal("stripe", (string?)answer!["system"]);
        Assert.Equal((string)second["id"]!, (string?)answer["external_id"]);
        Assert.Equal("cancelled", (string?)answer["result"]);
        Assert.Equal("canceled", (string?)answer["status"]);

        // Stripe now bills Acme once: the later subscription is cancelled, the first is untouched.
        Assert.Equal("canceled", (string?)Subscription(second)["status"]);
        Assert.Equal("active", (string?)Subscription(first)["status"]);

        // The hub changed nothing itself: Stripe's event came back and the rule no longer holds.
        await Eventually.TrueAsync(async () => (await OpenDoubleBillingAsync()).Count == 0, "the finding closed");
        // Stripe's customer.subscription.deleted ends the hub's record, which takes it out of the rule.
        var record = await _hub.GetJsonAsync($"/api/v1/records/subscription/{(string)finding["record_id"]!}");
        Assert.True((bool)record["deleted"]!);
        Assert.Equal("stripe", (string?)record["history"]![0]!["system"]);
        var kept = await _hub.GetJsonAsync($"/api/v1/records/subscription/{(string)finding["other_record_id"]!}");
        Assert.False((bool)kept["deleted"]!);

        // Asked again (a lost answer, a second click): nothing is cancelled twice.
        using var again = await _hub.Http.PostAsync($"{_hub.Url}/api/v1/records/subscription/{(string)finding["record_id"]!}/cancel", null);
        var againBody = await again.Content.ReadAsStringAsync();
        Assert.True(again.StatusCode == HttpStatusCode.OK, againBody);
        Assert.Equal("already-cancelled", (string?)JsonNode.Parse(againBody)!["systems"]![0]!["result"]);
        Assert.Single(_stripe.Events, e => (string?)e["type"] == "customer.subscription.deleted");
    }

    [Fact]
    public async Task ARecordThatIsNotASubscription_OrUnknown_IsRefusedWithoutCallingStripe()
    {
        await _stripe.CreateCustomerAsync(new JsonObject { ["email"] = "ann@example.com", ["name"] = "Ann Lee" });
        var customer = await Eventually.GetAsync(async () => (await _hub.GetJsonAsync("/api/v1/records/customer?q=ann")).AsArray().FirstOrDefault(), "Ann in the hub");

        using var notASubscription = await _hub.Http.PostAsync($"{_hub.Url}/api/v1/records/subscription/{(string)customer!["id"]!}/cancel", null);
        Assert.Equal(HttpStatusCode.NotFound, notASubscription.StatusCode);
        using var unknown = await _hub.Http.PostAsync($"{_hub.Url}/api/v1/records/subscription/rec_nothing/cancel", null);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("no subscription record rec_nothing", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(_stripe.Events, e => (string?)e["type"] == "customer.subscription.deleted");
    }

    private JsonObject Subscription(JsonObject created) => _stripe.Subscriptions.Single(s => (string?)s["id"] == (string?)created["id"]);

    private async Task<List<JsonNode>> OpenDoubleBillingAsync() =>
        [.. (await _hub.GetJsonAsync("/api/v1/findings?kind=double-billing")).AsArray().Select(f => f!)];
}
