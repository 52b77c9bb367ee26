using Concord.Connectors.Slack;
using Concord.Engine.Connectors;
using Concord.Sandboxes.Slack;

namespace Concord.Connectors.Tests.Slack;

/// <summary>Bot mode (chat.postMessage) against the stateful Slack sandbox.</summary>
public sealed class SlackBotOutboundTests : IAsyncLifetime
{
    private const string InvoicePaid = """{"number":"INV-1042","amount":1200,"currency":"usd","status":"paid"}""";
    private readonly HttpClient _http = new();
    private readonly SlackSandbox _slack = new();

    public Task InitializeAsync() => _slack.StartAsync();

    public async Task DisposeAsync()
    {
        await _slack.DisposeAsync();
        _http.Dispose();
    }

    private IOutboundConnector Outbound(string channel = "#general", string? token = null) => SlackTestSystem.Create(_http,
        new Dictionary<string, string> { ["base_url"] = _slack.ApiUrl, ["channel"] = channel },
        new Dictionary<string, string> { ["bot_token"] = token ?? _slack.BotToken }).Outbound!;

    private static Concord.Engine.Storage.Delivery Paid(string key = "rec_1.v2.team") =>
        SlackTestSystem.Delivery("invoice", InvoicePaid, """["status"]""", key: key);

    [Fact]
    public async Task ADelivery_BecomesOneMessageInTheChannel_CarryingItsKey()
    {
        var result = await Outbound().SendAsync(Paid(), default);

        Assert.Equal(200, result.StatusCode);
        Assert.Null(result.ExternalId);
        var message = Assert.Single(_slack.Messages(SlackSandbox.GeneralId));
        Assert.Equal("Invoice INV-1042: status → paid (amount 1,200.00 usd)", message.Text);
        Assert.Equal("rec_1.v2.team", message.DeliveryKey);
        Assert.Equal("chat.postMessage", message.Via);
    }

    [Fact]
    public async Task TheChannelById_Works_AndEachDeliveryPostsItsOwnMessage()
    {
        var outbound = Outbound(SlackSandbox.GeneralId);
        await outbound.SendAsync(Paid("rec_1.v2.team"), default);
        await outbound.SendAsync(SlackTestSystem.Delivery("invoice", InvoicePaid.Replace("paid", "void", StringComparison.Ordinal), """["status"]""", key: "rec_1.v3.team"), default);

        Assert.Equal(["rec_1.v2.team", "rec_1.v3.team"], _slack.Messages().Select(m => m.DeliveryKey));
        Assert.EndsWith("status → void (amount 1,200.00 usd)", _slack.Messages()[1].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARetryAfterALostAnswer_SendsTheSameKey_SoTheSandboxKeepsOneMessage()
    {
        var outbound = Outbound();
        _slack.LoseAnswers(1);

        var lost = await Assert.ThrowsAsync<DeliveryFailedException>(() => outbound.SendAsync(Paid(), default));
        Assert.True(lost.Retryable);
        await outbound.SendAsync(Paid(), default);

        // Both attempts reached Slack with one key; real Slack would show both (at-least-once).
        Assert.Equal(2, _slack.Posts);
        Assert.Single(_slack.Messages());
    }

    [Fact]
    public async Task AServerError_IsRetryable_AndPostsNothing()
    {
        _slack.FailPosts(1);
        var failed = await Assert.ThrowsAsync<DeliveryFailedException>(() => Outbound().SendAsync(Paid(), default));

        Assert.True(failed.Retryable);
        Assert.Equal(500, failed.StatusCode);
        Assert.Empty(_slack.Messages());
    }

    [Fact]
    public async Task AWrongToken_IsPermanent_AndNamesTheSetting()
    {
        var failed = await Assert.ThrowsAsync<DeliveryFailedException>(() => Outbound(token: "xoxb-wrong").SendAsync(Paid(), default));

        Assert.False(failed.Retryable);
        Assert.Equal(200, failed.StatusCode);
        Assert.Contains("invalid_auth", failed.Message, StringComparison.Ordinal);
        Assert.Contains("settings.bot_token", failed.Message, StringComparison.Ordinal);
        Assert.Empty(_slack.Messages());
    }

    [Theory]
    [InlineData("#nowhere", "channel_not_found")]
    [InlineData("#private", "not_in_channel")]
    [InlineData("#old", "is_archived")]
    public async Task ABadChannel_IsPermanent_AndNamesTheChannelSetting(string channel, string error)
    {
        _slack.AddChannel(new SlackChannel("C0PRIVATE1", "private", IsMember: false));
        _slack.AddChannel(new SlackChannel("C0OLD00001", "old", IsArchived: true));

        var failed = await Assert.ThrowsAsync<DeliveryFailedException>(() => Outbound(channel).SendAsync(Paid(), default));

        Assert.False(failed.Retryable);
        Assert.Contains(error, failed.Message, StringComparison.Ordinal);
        Assert.Contains("settings.channel", failed.Message, StringComparison.Ordinal);
        Assert.Empty(_slack.AllMessages);
    }

    [Fact]
    public async Task A429_IsRetryable_AfterSlacksWait_AndHoldsTheWholeSystem()
    {
        _slack.Throttle(1, TimeSpan.FromSeconds(7));
        var failed = await Assert.ThrowsAsync<DeliveryFailedException>(() => Outbound().SendAsync(Paid(), default));

        Assert.True(failed.Retryable);
        Assert.True(failed.HoldsSystem);
        Assert.Equal(TimeSpan.FromSeconds(7), failed.RetryAfter);
        Assert.Equal(429, failed.StatusCode);
        Assert.Contains("ratelimited", failed.Message, StringComparison.Ordinal);

        await Outbound().SendAsync(Paid(), default);
        Assert.Single(_slack.Messages());
    }

    [Fact]
    public async Task AnOutage_IsRetryable()
    {
        _slack.Down = true;
        var failed = await Assert.ThrowsAsync<DeliveryFailedException>(() => Outbound().SendAsync(Paid(), default));

        Assert.True(failed.Retryable);
        Assert.False(failed.HoldsSystem);
        Assert.Equal(503, failed.StatusCode);
    }

    [Theory]
    [InlineData("ratelimited", 200, true, true)]
    [InlineData("fatal_error", 200, true, false)]
    [InlineData("internal_error", 200, true, false)]
    [InlineData("invalid_arguments", 200, false, false)]
    [InlineData("msg_too_long", 200, false, false)]
    [InlineData(null, 502, true, false)]
    public void SlackErrorCodes_DecideRetry(string? error, int status, bool retryable, bool holds)
    {
        var body = error is null ? "<html>bad gateway</html>" : $$"""{"ok":false,"error":"{{error}}"}""";
        var json = error is null ? null : System.Text.Json.Nodes.JsonNode.Parse(body)!.AsObject();
        var failure = SlackErrors.ForApi("team", "chat.postMessage", new SlackApiResponse(status, "x", null, body, json));

        Assert.Equal(retryable, failure.Retryable);
        Assert.Equal(holds, failure.HoldsSystem);
        Assert.Equal(holds ? SlackErrors.DefaultThrottleWait : null, failure.RetryAfter);
    }
}
