using Concord.Engine.Connectors;
using Concord.Sandboxes.Slack;

namespace Concord.Connectors.Tests.Slack;

/// <summary>Incoming-webhook mode against the Slack sandbox (incoming webhooks have no OpenAPI).</summary>
public sealed class SlackWebhookOutboundTests : IAsyncLifetime
{
    private readonly HttpClient _http = new();
    private readonly SlackSandbox _slack = new();

    public Task InitializeAsync() => _slack.StartAsync();

    public async Task DisposeAsync()
    {
        await _slack.DisposeAsync();
        _http.Dispose();
    }

    private IOutboundConnector Outbound(string? url = null, string? template = null)
    {
        var settings = new Dictionary<string, string>();
        if (template is not null)
        {
            settings["message"] = template;
        }

        return SlackTestSystem.Create(_http, settings, new Dictionary<string, string> { ["webhook_url"] = url ?? _slack.WebhookUrl }).Outbound!;
    }

    private static Concord.Engine.Storage.Delivery Ticket(string operation = "upsert") =>
        SlackTestSystem.Delivery("ticket", """{"subject":"Printer on fire","status":"open","priority":"high","body":"smoke everywhere"}""", """["status","priority","body"]""", operation);

    [Fact]
    public async Task ADelivery_IsPostedAsText_AndSlacksOkIsASuccess()
    {
        var result = await Outbound().SendAsync(Ticket(), default);

        Assert.Equal(200, result.StatusCode);
        Assert.Equal("ok", result.Body);
        var message = Assert.Single(_slack.Messages(SlackSandbox.GeneralId));
        Assert.Equal("Ticket Printer on fire: status → open, priority → high, body → (hidden)", message.Text);
        Assert.Equal("webhook", message.Via);
    }

    [Fact]
    public async Task TheMessageSetting_ShapesTheText()
    {
        await Outbound(template: "[{type}/{operation}] {subject} ({priority})").SendAsync(Ticket("delete"), default);

        Assert.Equal("[ticket/delete] Printer on fire (high)", Assert.Single(_slack.Messages()).Text);
    }

    [Fact]
    public async Task AnUnknownWebhook_IsPermanent_AndNamesTheSetting()
    {
        var failed = await Assert.ThrowsAsync<DeliveryFailedException>(() => Outbound(_slack.Url + "/services/T000/B000/GONE").SendAsync(Ticket(), default));

        Assert.False(failed.Retryable);
        Assert.Equal(404, failed.StatusCode);
        Assert.Contains("no_service", failed.Message, StringComparison.Ordinal);
        Assert.Contains("settings.webhook_url", failed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnArchivedChannel_IsPermanent()
    {
        _slack.AddChannel(new SlackChannel("C0OLD00001", "old", IsArchived: true));
        _slack.AddWebhook("/services/T000/B111/OLD", "C0OLD00001");

        var failed = await Assert.ThrowsAsync<DeliveryFailedException>(() => Outbound(_slack.Url + "/services/T000/B111/OLD").SendAsync(Ticket(), default));

        Assert.False(failed.Retryable);
        Assert.Equal(410, failed.StatusCode);
        Assert.Contains("channel_is_archived", failed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A429_IsRetryableAfterTheWait_AndHoldsTheSystem()
    {
        _slack.Throttle(1, TimeSpan.FromSeconds(3));
        var failed = await Assert.ThrowsAsync<DeliveryFailedException>(() => Outbound().SendAsync(Ticket(), default));

        Assert.True(failed.Retryable);
        Assert.True(failed.HoldsSystem);
        Assert.Equal(TimeSpan.FromSeconds(3), failed.RetryAfter);
        Assert.Empty(_slack.Messages());
    }

    [Fact]
    public async Task A500ThenA200_PostsExactlyOneMessage()
    {
        var outbound = Outbound();
        _slack.FailPosts(1);

        var failed = await Assert.ThrowsAsync<DeliveryFailedException>(() => outbound.SendAsync(Ticket(), default));
        Assert.True(failed.Retryable);
        Assert.Empty(_slack.Messages());

        await outbound.SendAsync(Ticket(), default);
        Assert.Single(_slack.Messages());
    }
}
