using System.Globalization;
using Concord.Sandboxes.HubSpot;
using Concord.Testing;

namespace Concord.Connectors.Tests.HubSpot;

/// <summary>The connector inside a real hub: HubSpot's records reach the hub, and the hub's reach HubSpot.</summary>
public sealed class HubSpotHubTests : IAsyncLifetime
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
                  poll_interval: 1s
                  poll_from: "{{from}}"
                retry: { max_attempts: 6, initial_delay: 50ms, max_delay: 200ms, timeout: 5s }
              app:
                kind: webhook
                settings: { secret: { env: APP_SECRET } }
            entities:
              customer: { owner: hubspot, identity: [email], fill_in: true }
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
    public async Task AContactCreatedInHubSpot_ReachesTheHub_AndACustomerPostedToTheHub_ReachesHubSpot()
    {
        var contact = await _hubspot.CreateContactAsync("dana@example.com", "Dana", "Ortiz");
        Assert.Equal(202, _hubspot.LastWebhookStatus);
        var found = await Eventually.GetAsync(async () =>
        {
            var results = (await _hub.GetJsonAsync("/api/v1/records/customer?q=dana@example.com")).AsArray();
            return results.Count == 1 ? results[0] : null;
        }, "the HubSpot contact in the hub");
        Assert.Equal("Dana Ortiz", (string?)found!["values"]!["name"]);
        Assert.Contains(found["links"]!.AsArray(), l => (string?)l!["system"] == "hubspot" && (string?)l["external_id"] == contact.Id);

        // A property change made in HubSpot arrives by webhook.
        await _hubspot.UpdateAsync("contacts", contact.Id, new Dictionary<string, string?> { ["city"] = "Lisbon" });
        await Eventually.TrueAsync(async () =>
            (string?)(await _hub.GetJsonAsync("/api/v1/records/customer?q=dana@example.com")).AsArray()[0]!["values"]!["city"] == "Lisbon", "the city in the hub");

        using var posted = await _hub.PostChangesAsync("app", """{"changes":[{"type":"customer","external_id":"u-9","fields":{"email":"eli@example.com","name":"Eli Park","city":"Seoul"}}]}""");
        Assert.True(posted.IsSuccessStatusCode, await posted.Content.ReadAsStringAsync());
        var eli = await Eventually.GetAsync(() => Task.FromResult(_hubspot.Find("contacts", c => c["email"] == "eli@example.com")), "the hub's customer in HubSpot");
        Assert.Equal("Eli", eli!["firstname"]);
        Assert.Equal("Park", eli["lastname"]);
        Assert.Equal("Seoul", eli["city"]);
        await Eventually.TrueAsync(_hub.IsQuietAsync, "the hub to settle");
        Assert.Single(_hubspot.All("contacts"), c => c["email"] == "eli@example.com");
    }
}
