using System.Text.Json.Nodes;
using Concord.Core.Alerts;
using Concord.Core.Configuration;
using Concord.Engine.Alerts.Shapes;
using Concord.Engine.Alerts.Signals;
using Concord.Engine.Alerts;
using Concord.Sandboxes.HubSpot;
using Concord.Sandboxes.Stripe;
using Concord.Testing;

namespace Concord.Acceptance.Tests;

/// <summary>
/// The hub learns the shape of the customers the Stripe sandbox sends (webhooks and the events feed), sees
/// "Stripe change its API" as one schema-drift cause naming paths and kinds, and clears it when an operator
/// accepts the new shape through the API.
/// </summary>
public sealed class SchemaDriftTests : IAsyncLifetime
{
    private static readonly Dictionary<string, string> Secrets = new()
    {
        ["STRIPE_KEY"] = "sk_test_drift",
        ["STRIPE_WHSEC"] = "whsec_drift",
        ["HS_TOKEN"] = "pat-na1-drift",
        ["HS_CLIENT_SECRET"] = "hs-client-secret",
    };

    private static readonly AlertRule Rule = new("schema_drift", AlertRuleKind.SchemaDrift, [], null, null, null, new AlertSettings(), SourceSpan.None);

    private readonly StripeSandbox _stripe = new("stripe", Secrets["STRIPE_KEY"], Secrets["STRIPE_WHSEC"]);
    private readonly HubSpotSandbox _hubspot = new("hubspot", Secrets["HS_TOKEN"], Secrets["HS_CLIENT_SECRET"]);
    private HubHarness _hub = null!;

    public async Task InitializeAsync()
    {
        await _stripe.StartAsync();
        await _hubspot.StartAsync();
        _hub = await HubHarness.StartAsync($$"""
            version: 1
            hub:
              schema_min_samples: 20
            systems:
              stripe:
                kind: stripe
                settings:
                  base_url: {{_stripe.Url}}
                  api_key: { env: STRIPE_KEY }
                  webhook_secret: { env: STRIPE_WHSEC }
                  poll_interval: 500ms
              hubspot:
                kind: hubspot
                settings:
                  base_url: {{_hubspot.Url}}
                  access_token: { env: HS_TOKEN }
                  client_secret: { env: HS_CLIENT_SECRET }
                  poll_interval: 500ms
            entities:
              customer: { owner: hubspot, identity: [email] }
            syncs:
              - { system: stripe, type: customer, direction: pull }
              - { system: hubspot, type: customer, direction: pull }
            """, Secrets);
        _stripe.HubUrl = _hub.Url;
    }

    public async Task DisposeAsync()
    {
        await _hub.DisposeAsync();
        await _stripe.DisposeAsync();
        await _hubspot.DisposeAsync();
    }

    private ShapeLearner Shapes => _hub.Hub.Runtime.Shapes;

    private Task CreateCustomersAsync(int from, int count) => Task.WhenAll(Enumerable.Range(from, count).Select(i => _stripe.CreateCustomerAsync(new JsonObject
    {
        ["email"] = $"buyer{i}@example.com",
        ["name"] = $"Buyer {i}",
        ["address"] = new JsonObject { ["line1"] = $"{i} High Street", ["city"] = "Leeds", ["postal_code"] = $"LS{i} 1AA", ["country"] = "GB" },
    })));

    [Fact]
    public async Task StripeChangingItsCustomerPayload_IsOneCause_UntilTheNewShapeIsAccepted()
    {
        await CreateCustomersAsync(0, 20);
        await Eventually.TrueAsync(() => Shapes.Shape("stripe", "customer") is { Learned: true }, "Stripe's customer shape learned");
        Assert.Empty(await new SchemaDriftSignal(Shapes).EvaluateAsync(Rule, DateTimeOffset.UtcNow, default));

        // Stripe "changes its API": the postal code is gone, preferred_locales is an object, tax_ids is new.
        _stripe.ChangeApi(customer =>
        {
            customer["address"]?.AsObject().Remove("postal_code");
            customer["preferred_locales"] = new JsonObject { ["primary"] = "en" };
            customer["tax_ids"] = new JsonObject { ["object"] = "list", ["data"] = new JsonArray() };
        });
        await CreateCustomersAsync(100, 5);
        await Eventually.TrueAsync(() => Shapes.Shape("stripe", "customer")!.Drift.Count == 3, "the drift seen");
        var causes = await new SchemaDriftSignal(Shapes).EvaluateAsync(Rule, DateTimeOffset.UtcNow, default);
        var schemas = (await _hub.GetJsonAsync("/api/v1/schemas")).AsArray();

        var cause = Assert.Single(causes);
        Assert.Equal("stripe/customer", cause.Key);
        Assert.Equal(
            "stripe customer payloads changed: `address.postal_code` missing (was in 100% of 20), `preferred_locales` is now an object (was array), new field `tax_ids` (object)",
            cause.Summary);
        Assert.DoesNotContain("Leeds", cause.Summary + cause.Detail, StringComparison.Ordinal);
        var stripe = schemas.Single(s => (string?)s!["system"] == "stripe")!;
        Assert.Equal(["missing", "type", "new"], stripe["drift"]!.AsArray().Select(d => (string?)d!["change"]));
        Assert.Contains(stripe["fields"]!.AsArray(), f => (string?)f!["path"] == "address.postal_code" && (string?)f["kinds"] == "string" && (double)f["share"]! == 1.0);

        // The changes themselves were still taken in: the mapped fields arrive as before.
        Assert.NotNull(await Eventually.GetAsync(async () => (await _hub.Store.SearchAsync("customer", "buyer104@example.com", 1, default)).SingleOrDefault(), "the last customer"));

        using var accepted = await _hub.Http.PostAsync($"{_hub.Url}/api/v1/schemas/stripe/customer/accept", null);
        var body = JsonNode.Parse(await accepted.Content.ReadAsStringAsync())!;
        using var unknown = await _hub.Http.PostAsync($"{_hub.Url}/api/v1/schemas/stripe/invoice/accept", null);

        Assert.True(accepted.IsSuccessStatusCode, body.ToJsonString());
        Assert.Empty(body["drift"]!.AsArray());
        Assert.Equal(404, (int)unknown.StatusCode);
        await CreateCustomersAsync(200, 3);
        await Eventually.TrueAsync(() => Shapes.Shape("stripe", "customer")!.Samples == 8, "the new shape's payloads learned");
        Assert.Empty(await new SchemaDriftSignal(Shapes).EvaluateAsync(Rule, DateTimeOffset.UtcNow, default));
    }

    [Fact]
    public async Task HubSpotContacts_ReadByThePoller_AreLearnedByTheirProperties()
    {
        for (var i = 0; i < 3; i++)
        {
            await _hubspot.CreateContactAsync($"lead{i}@example.com", "Lead", $"Number {i}");
        }

        var shape = await Eventually.GetAsync(() => Task.FromResult(Shapes.Shape("hubspot", "customer") is { Samples: >= 3 } s ? s : null), "HubSpot's contacts learned");

        Assert.Contains(shape.Fields, f => f.Path == "properties.email" && f.Kinds == "string");
        Assert.False(shape.Learned);
        Assert.Empty(shape.Drift);
    }
}
