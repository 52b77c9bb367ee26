using System.Globalization;
using Concord.Sandboxes.HubSpot;
using Concord.Testing;

namespace Concord.Connectors.Tests.HubSpot;

/// <summary>
/// <c>customer_object: companies</c> inside a real hub: a company made in HubSpot becomes a customer
/// without an email, and a business customer posted to the hub (no email either) becomes a HubSpot company.
/// </summary>
public sealed class HubSpotCustomerCompaniesHubTests : IAsyncLifetime
{
    private static readonly Dictionary<string, string> Secrets = new(HubSpotKit.Secrets()) { ["APP_SECRET"] = "app-secret" };
    private HubSpotSandbox _hubspot = null!;
    private HubHarness _hub = null!;

    public async Task InitializeAsync()
    {
        _hubspot = new HubSpotSandbox("hubspot", HubSpotKit.Token, HubSpotKit.ClientSecret) { WebhookUrl = HubSpotKit.WebhookUrl };
        await _hubspot.StartAsync();
        var from = DateTimeOffset.UtcNow.AddMinutes(-1).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        _hub = await HubHarness.StartAsync($$"""
            version: 1
            systems:
              hubspot:
                kind: hubspot
                settings:
                  base_url: {{_hubspot.Url}}
                  access_token: { env: HS_TOKEN }
                  client_secret: { env: HS_CLIENT_SECRET }
                  webhook_url: {{HubSpotKit.WebhookUrl}}
                  customer_object: companies
                  poll_interval: 1s
                  poll_from: "{{from}}"
                retry: { max_attempts: 6, initial_delay: 50ms, max_delay: 200ms, timeout: 5s }
              app:
                kind: webhook
                settings: { secret: { env: APP_SECRET } }
            entities:
              customer: { owner: hubspot, identity: [company_domain], fill_in: true }
            syncs:
              - { system: hubspot, type: customer, direction: two-way }
              - { system: app, type: customer, direction: pull }
            """, Secrets);
        _hubspot.HubUrl = _hub.Url;
    }

    public async Task DisposeAsync()
    {
        await _hub.DisposeAsync();
        await _hubspot.DisposeAsync();
    }

    [Fact]
    public async Task ACompanyCreatedInHubSpot_IsACustomerInTheHub_AndABusinessCustomerPostedToTheHub_BecomesACompany()
    {
        var company = await _hubspot.CreateCompanyAsync("Acme Corp", "acme.test");
        Assert.Equal(202, _hubspot.LastWebhookStatus);
        var found = await Eventually.GetAsync(async () =>
        {
            var results = (await _hub.GetJsonAsync("/api/v1/records/customer?q=acme.test")).AsArray();
            return results.Count == 1 ? results[0] : null;
        }, "the HubSpot company as a customer in the hub");
        Assert.Equal("Acme Corp", (string?)found!["values"]!["name"]);
        Assert.Equal("acme.test", (string?)found["values"]!["company_domain"]);
        Assert.Null(found["values"]!["email"]);
        Assert.Contains(found["links"]!.AsArray(), l => (string?)l!["system"] == "hubspot" && (string?)l["external_id"] == company.Id);

        // A property change made in HubSpot arrives by a company.propertyChange webhook.
        await _hubspot.UpdateAsync("companies", company.Id, new Dictionary<string, string?> { ["city"] = "Lisbon" });
        await Eventually.TrueAsync(async () =>
            (string?)(await _hub.GetJsonAsync("/api/v1/records/customer?q=acme.test")).AsArray()[0]!["values"]!["city"] == "Lisbon", "the city in the hub");

        using var posted = await _hub.PostChangesAsync("app", """{"changes":[{"type":"customer","external_id":"org-9","fields":{"name":"Globex Ltd","company_domain":"globex.test","city":"Leeds"}}]}""");
        Assert.True(posted.IsSuccessStatusCode, await posted.Content.ReadAsStringAsync());
        var globex = await Eventually.GetAsync(() => Task.FromResult(_hubspot.Find("companies", c => c["domain"] == "globex.test")), "the hub's customer as a HubSpot company");
        Assert.Equal("Globex Ltd", globex!["name"]);
        Assert.Equal("Leeds", globex["city"]);
        Assert.False(string.IsNullOrEmpty(globex["concord_id"]));
        await Eventually.TrueAsync(_hub.IsQuietAsync, "the hub to settle");
        Assert.Single(_hubspot.All("companies"), c => c["domain"] == "globex.test");
        Assert.Empty(_hubspot.All("contacts"));
    }
}
