using Concord.Sandboxes.Slack;

namespace Concord.Connectors.Tests.Slack;

/// <summary>Verify per mode, and the rule that exactly one mode is configured.</summary>
public sealed class SlackVerifierTests : IAsyncLifetime
{
    private readonly HttpClient _http = new();
    private readonly SlackSandbox _slack = new();

    public Task InitializeAsync() => _slack.StartAsync();

    public async Task DisposeAsync()
    {
        await _slack.DisposeAsync();
        _http.Dispose();
    }

    private Concord.Engine.Connectors.IVerifier Bot(string channel, string? token = null, string? baseUrl = null) => SlackTestSystem.Create(_http,
        new Dictionary<string, string> { ["base_url"] = baseUrl ?? _slack.ApiUrl, ["channel"] = channel },
        new Dictionary<string, string> { ["bot_token"] = token ?? _slack.BotToken }).Verifier!;

    private Concord.Engine.Connectors.IVerifier Hook(string url) =>
        SlackTestSystem.Create(_http, new Dictionary<string, string>(), new Dictionary<string, string> { ["webhook_url"] = url }).Verifier!;

    [Fact]
    public async Task TheRightToken_AndAChannelTheBotIsIn_Verify()
    {
        var result = await Bot(SlackSandbox.GeneralId).VerifyAsync(default);

        Assert.True(result.Ok, result.Message);
        Assert.Contains("Concord Sandbox", result.Message, StringComparison.Ordinal);
        Assert.Contains(_slack.Requests, r => r.PathAndQuery.StartsWith("/api/conversations.info", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AWrongToken_NamesBotToken()
    {
        var result = await Bot(SlackSandbox.GeneralId, token: "xoxb-wrong").VerifyAsync(default);

        Assert.False(result.Ok);
        Assert.Equal("bot_token", result.Setting);
        Assert.Contains("invalid_auth", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AChannelTheBotIsNotIn_OrThatDoesNotExist_NamesChannel()
    {
        _slack.AddChannel(new SlackChannel("C0PRIVATE1", "private", IsMember: false));

        var notIn = await Bot("C0PRIVATE1").VerifyAsync(default);
        var missing = await Bot("C0MISSING1").VerifyAsync(default);

        Assert.False(notIn.Ok);
        Assert.Equal("channel", notIn.Setting);
        Assert.False(missing.Ok);
        Assert.Equal("channel", missing.Setting);
        Assert.Contains("channel_not_found", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AChannelName_IsNotLookedUp_AndSaysSo()
    {
        var result = await Bot("#general").VerifyAsync(default);

        Assert.True(result.Ok);
        Assert.Contains("name", result.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(_slack.Requests, r => r.PathAndQuery.StartsWith("/api/conversations.info", StringComparison.Ordinal));
    }

    [Fact]
    public async Task NothingListening_NamesBaseUrl()
    {
        var result = await Bot(SlackSandbox.GeneralId, baseUrl: $"http://127.0.0.1:{Concord.Testing.HubHarness.FreePort()}/api").VerifyAsync(default);

        Assert.False(result.Ok);
        Assert.Equal("base_url", result.Setting);
    }

    [Theory]
    [InlineData("https://hooks.slack.com/services/T0001/B0001/abcdef", true)]
    [InlineData("http://hooks.slack.com/services/T0001/B0001/abcdef", false)]
    [InlineData("https://hooks.slack.com/workflows/T0001/A0001/1/abc", false)]
    [InlineData("https://example.com/hook", false)]
    public async Task AWebhookUrl_IsCheckedForShapeOnly(string url, bool ok)
    {
        var result = await Hook(url).VerifyAsync(default);

        Assert.Equal(ok, result.Ok);
        Assert.Equal(ok ? null : "webhook_url", result.Setting);
        if (ok)
        {
            Assert.Contains("cannot be checked without posting", result.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task TheSandboxWebhook_VerifiesWithANoteAboutTheHost_AndPostsNothing()
    {
        var result = await Hook(_slack.WebhookUrl).VerifyAsync(default);

        Assert.True(result.Ok, result.Message);
        Assert.Contains("not hooks.slack.com", result.Message, StringComparison.Ordinal);
        Assert.Empty(_slack.Requests);
    }

    [Fact]
    public void BothModes_OrNeither_OrABotWithoutChannel_AreRefusedClearly()
    {
        var both = Assert.Throws<InvalidOperationException>(() => SlackTestSystem.Create(_http, new Dictionary<string, string> { ["channel"] = "#general" },
            new Dictionary<string, string> { ["bot_token"] = "xoxb-1", ["webhook_url"] = _slack.WebhookUrl }));
        var neither = Assert.Throws<InvalidOperationException>(() => SlackTestSystem.Create(_http, new Dictionary<string, string>(), new Dictionary<string, string>()));
        var noChannel = Assert.Throws<InvalidOperationException>(() => SlackTestSystem.Create(_http, new Dictionary<string, string>(), new Dictionary<string, string> { ["bot_token"] = "xoxb-1" }));

        Assert.Contains("exactly one of settings.webhook_url", both.Message, StringComparison.Ordinal);
        Assert.Contains("exactly one of settings.webhook_url", neither.Message, StringComparison.Ordinal);
        Assert.Contains("settings.channel", noChannel.Message, StringComparison.Ordinal);
    }
}
