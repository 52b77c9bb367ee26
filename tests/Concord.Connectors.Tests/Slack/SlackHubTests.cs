using System.Net;
using Concord.Sandboxes.Slack;
using Concord.Testing;

namespace Concord.Connectors.Tests.Slack;

/// <summary>Through a real hub: changes posted to the hub become Slack messages, once each, outages included.</summary>
public sealed class SlackHubTests : IAsyncLifetime
{
    private readonly SlackSandbox _slack = new();
    private HubHarness _hub = null!;

    public async Task InitializeAsync()
    {
        await _slack.StartAsync();
        _hub = await HubHarness.StartAsync($$"""
            version: 1
            systems:
              crm:
                kind: http
                settings:
                  url: http://127.0.0.1:9/unused
                  webhook_secret: { env: CRM_SECRET }
              team:
                kind: slack
                settings:
                  base_url: "{{_slack.ApiUrl}}"
                  bot_token: { env: SLACK_BOT_TOKEN }
                  channel: "#general"
                retry: { max_attempts: 50, initial_delay: 50ms, max_delay: 200ms, timeout: 2s }
                circuit_breaker: { failure_threshold: 1000, break_duration: 1s }
            entities:
              ticket:
                owner: crm
            syncs:
              - { system: crm, type: ticket, direction: two-way }
              - { system: team, type: ticket, direction: push, fields: [subject, status, priority, customer_email] }
            """, new Dictionary<string, string> { ["CRM_SECRET"] = "crm-secret", ["SLACK_BOT_TOKEN"] = _slack.BotToken });
    }

    public async Task DisposeAsync()
    {
        await _hub.DisposeAsync();
        await _slack.DisposeAsync();
    }

    private async Task PostTicketAsync(string eventId, string status)
    {
        var response = await _hub.PostChangesAsync("crm", $$$"""
            {"changes":[{"type":"ticket","external_id":"t-1","event_id":"{{{eventId}}}",
              "fields":{"subject":"Printer on fire","status":"{{{status}}}","priority":"high","customer_email":"ann@acme.test"}}]}
            """);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task AChangePostedToTheHub_BecomesExactlyOneMessage()
    {
        await PostTicketAsync("e1", "open");
        await Eventually.TrueAsync(() => _slack.Messages().Count == 1, "the message in #general");
        await Eventually.TrueAsync(_hub.IsQuietAsync, "the hub to settle");

        // The same event again is a duplicate in the hub: no second message.
        await PostTicketAsync("e1", "open");
        await Task.Delay(300);
        await Eventually.TrueAsync(_hub.IsQuietAsync, "the hub to settle again");

        var message = Assert.Single(_slack.Messages());
        Assert.StartsWith("New ticket Printer on fire: ", message.Text, StringComparison.Ordinal);
        Assert.Contains("status → open", message.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("ann@acme.test", message.Text, StringComparison.Ordinal);
        Assert.NotNull(message.DeliveryKey);
    }

    [Fact]
    public async Task WithSlackDown_TheMessageArrivesOnceItIsBack()
    {
        _slack.Down = true;
        await PostTicketAsync("e1", "open");
        await Eventually.TrueAsync(() => _slack.Refused >= 2, "the hub to have tried and been refused");
        Assert.Empty(_slack.AllMessages);

        _slack.Down = false;
        await Eventually.TrueAsync(() => _slack.Messages().Count == 1, "the message after the outage");
        await Eventually.TrueAsync(_hub.IsQuietAsync, "the hub to settle");

        await PostTicketAsync("e2", "closed");
        await Eventually.TrueAsync(() => _slack.Messages().Count == 2, "the second message");
        Assert.Equal("Ticket Printer on fire: status → closed", _slack.Messages()[1].Text);
    }

    [Fact]
    public async Task A500ThenA200_ThroughTheHub_PostsExactlyOneMessage()
    {
        _slack.FailPosts(1);
        await PostTicketAsync("e1", "open");
        await Eventually.TrueAsync(() => _slack.Messages().Count == 1, "the message after the 500");
        await Eventually.TrueAsync(_hub.IsQuietAsync, "the hub to settle");

        Assert.Single(_slack.Messages());
        Assert.Equal(2, _slack.Requests.Count(r => r.PathAndQuery == "/api/chat.postMessage"));
    }
}
