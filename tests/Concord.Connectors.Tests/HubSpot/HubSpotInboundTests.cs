using System.Text.Json.Nodes;
using Concord.Engine.Connectors;

namespace Concord.Connectors.Tests.HubSpot;

/// <summary>Webhook events into changes, and signatures that must be refused.</summary>
public sealed class HubSpotInboundTests : IAsyncLifetime
{
    private HubSpotKit _kit = null!;

    public async Task InitializeAsync() => _kit = await HubSpotKit.StartAsync();

    public async Task DisposeAsync() => await _kit.DisposeAsync();

    private string Body(params JsonObject[] events) => new JsonArray(events.Select(e => (JsonNode)e).ToArray()).ToJsonString();

    private JsonObject Change(string obj, string id, string property, string value)
    {
        var e = _kit.Sandbox.Event(obj, "propertyChange", id);
        e["propertyName"] = property;
        e["propertyValue"] = value;
        return e;
    }

    [Fact]
    public void PropertyChanges_BecomeChangesOfTheMappedField_WithStableEventIds()
    {
        var city = Change("contacts", "1001", "city", "Bergen");
        var revenue = Change("companies", "2002", "annualrevenue", "5000");
        var unmapped = Change("contacts", "1001", "hs_analytics_source", "DIRECT");
        var body = Body(city, revenue, unmapped);

        var changes = _kit.Inbound.Receive(HubSpotKit.Webhook(body));
        Assert.Equal(2, changes.Count);
        Assert.Equal("customer", changes[0].Change.Type);
        Assert.Equal("1001", changes[0].Change.ExternalId);
        Assert.Equal("hs-" + city["eventId"], changes[0].Change.EventId);
        Assert.Equal("Bergen", (string?)changes[0].Change.Fields["city"]);
        Assert.Equal("company", changes[1].Change.Type);
        Assert.Equal(5000m, changes[1].Change.Fields["annual_revenue"]!.GetValue<decimal>());
        Assert.Equal(changes[0].Change.EventId, _kit.Inbound.Receive(HubSpotKit.Webhook(body))[0].Change.EventId);
        Assert.Empty(_kit.PollRequests);
    }

    [Fact]
    public void ADeletion_IsADeletedChange_AndACreationAsksForAPoll()
    {
        var changes = _kit.Inbound.Receive(HubSpotKit.Webhook(Body(_kit.Sandbox.Event("deals", "deletion", "3003"), _kit.Sandbox.Event("contacts", "creation", "1005"))));
        var deleted = Assert.Single(changes);
        Assert.True(deleted.Change.Deleted);
        Assert.Equal("deal", deleted.Change.Type);
        Assert.Equal("3003", deleted.Change.ExternalId);
        Assert.Equal(["hubspot"], _kit.PollRequests);
    }

    [Fact]
    public void AWrongSecret_AStaleTimestamp_OrAnotherUri_AreRejected()
    {
        var body = Body(Change("contacts", "1001", "city", "Bergen"));
        Assert.Throws<WebhookRejectedException>(() => _kit.Inbound.Receive(HubSpotKit.Webhook(body, "not-the-secret")));
        Assert.Throws<WebhookRejectedException>(() => _kit.Inbound.Receive(HubSpotKit.Webhook(body, at: DateTimeOffset.UtcNow.AddMinutes(-6))));

        var signedElsewhere = HubSpotKit.Webhook(body);
        var tampered = signedElsewhere with { Body = System.Text.Encoding.UTF8.GetBytes(body.Replace("Bergen", "Oslo", StringComparison.Ordinal)) };
        var why = Assert.Throws<WebhookRejectedException>(() => _kit.Inbound.Receive(tampered));
        Assert.Contains("does not match", why.Message, StringComparison.Ordinal);
    }
}
