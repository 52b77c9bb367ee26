using System.Text.Json.Nodes;
using Concord.Engine.Connectors;
using Concord.Sandboxes.Slack;

namespace Concord.Connectors.Tests.Slack;

/// <summary>A flow's <c>notify:</c> through Slack, in both modes, against the stateful Slack sandbox.</summary>
public sealed class SlackNotifierTests : IAsyncLifetime
{
    private const string FinanceId = "C0FINANCE1";
    private readonly HttpClient _http = new();
    private readonly SlackSandbox _slack = new();

    public async Task InitializeAsync()
    {
        await _slack.StartAsync();
        _slack.AddChannel(new SlackChannel(FinanceId, "finance"));
    }

    public async Task DisposeAsync()
    {
        await _slack.DisposeAsync();
        _http.Dispose();
    }

    private INotifier Bot(string channel = "#general", string? token = null) => SlackTestSystem.Create(_http,
        new Dictionary<string, string> { ["base_url"] = _slack.ApiUrl, ["channel"] = channel },
        new Dictionary<string, string> { ["bot_token"] = token ?? _slack.BotToken }).Notifier!;

    private INotifier Hook(string? url = null) =>
        SlackTestSystem.Create(_http, new Dictionary<string, string>(), new Dictionary<string, string> { ["webhook_url"] = url ?? _slack.WebhookUrl }).Notifier!;

    private static Notification Message(string args, string key = "run_1.tell.0") => new((JsonObject)JsonNode.Parse(args)!, key, "run_1");

    [Fact]
    public async Task AChannelGivenByName_GetsTheText_CarryingTheStepsKey()
    {
        var result = await Bot().NotifyAsync(Message("""{ "channel": "#finance", "text": "Paid: 1,200.00 EUR by Acme" }"""), default);

        var message = Assert.Single(_slack.Messages(FinanceId));
        Assert.Equal("Paid: 1,200.00 EUR by Acme", message.Text);
        Assert.Equal("run_1.tell.0", message.DeliveryKey);
        Assert.Empty(_slack.Messages(SlackSandbox.GeneralId));
        Assert.Equal(200, result.StatusCode);
        Assert.Equal(message.Ts, result.ExternalId);
        Assert.Equal("""{"method":"chat.postMessage","channel":"#finance","text":"Paid: 1,200.00 EUR by Acme"}""", result.Request);
        Assert.Contains("\"ok\":true", result.Response, StringComparison.Ordinal);
        Assert.DoesNotContain(_slack.BotToken, result.Request, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutAChannel_TheSystemsChannelIsUsed_ByIdOrName()
    {
        await Bot().NotifyAsync(Message("""{ "text": "to general" }"""), default);
        await Bot(FinanceId).NotifyAsync(Message("""{ "text": "to finance", "channel": null }""", key: "k2"), default);

        Assert.Equal("to general", Assert.Single(_slack.Messages(SlackSandbox.GeneralId)).Text);
        Assert.Equal("to finance", Assert.Single(_slack.Messages(FinanceId)).Text);
    }

    [Fact]
    public async Task ARetriedStep_SendsTheSameKey()
    {
        var bot = Bot();
        _slack.LoseAnswers(1);

        var lost = await Assert.ThrowsAsync<DeliveryFailedException>(() => bot.NotifyAsync(Message("""{ "text": "Paid" }"""), default));
        await bot.NotifyAsync(Message("""{ "text": "Paid" }"""), default);

        Assert.True(lost.Retryable);
        Assert.Equal(2, _slack.Posts);
        Assert.Single(_slack.Messages());
    }

    [Theory]
    [InlineData("#nowhere", "channel_not_found")]
    [InlineData("#private", "not_in_channel")]
    public async Task ABadChannel_IsPermanent(string channel, string error)
    {
        _slack.AddChannel(new SlackChannel("C0PRIVATE1", "private", IsMember: false));

        var failed = await Assert.ThrowsAsync<DeliveryFailedException>(() => Bot().NotifyAsync(Message($$"""{ "channel": "{{channel}}", "text": "x" }"""), default));

        Assert.False(failed.Retryable);
        Assert.Contains(error, failed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Throttling_IsRetryableAfterSlacksWait()
    {
        _slack.Throttle(1, TimeSpan.FromSeconds(3));

        var failed = await Assert.ThrowsAsync<DeliveryFailedException>(() => Bot().NotifyAsync(Message("""{ "text": "x" }"""), default));

        Assert.True(failed.Retryable);
        Assert.Equal(TimeSpan.FromSeconds(3), failed.RetryAfter);
        Assert.Empty(_slack.AllMessages);
    }

    [Theory]
    [InlineData("""{ "channel": "#finance" }""", "notify through 'team': needs text")]
    [InlineData("""{ "text": "  " }""", "notify through 'team': needs text")]
    [InlineData("""{ "text": { "a": 1 } }""", "notify through 'team': text must be text")]
    public async Task WithoutText_NothingIsPosted_AndTheFailureIsPermanent(string args, string message)
    {
        var failed = await Assert.ThrowsAsync<DeliveryFailedException>(() => Bot().NotifyAsync(Message(args), default));

        Assert.False(failed.Retryable);
        Assert.Equal(message, failed.Message);
        Assert.Empty(_slack.Requests);
    }

    [Fact]
    public async Task AnIncomingWebhook_PostsTheText_IntoItsChannel()
    {
        var result = await Hook().NotifyAsync(Message("""{ "text": "Paid" }"""), default);

        var message = Assert.Single(_slack.Messages(SlackSandbox.GeneralId));
        Assert.Equal(("Paid", "webhook"), (message.Text, message.Via));
        Assert.Equal(200, result.StatusCode);
        Assert.Equal("ok", result.Response);
    }

    [Fact]
    public async Task AnIncomingWebhook_RefusesAChannel_RatherThanPostElsewhere()
    {
        var failed = await Assert.ThrowsAsync<DeliveryFailedException>(() => Hook().NotifyAsync(Message("""{ "channel": "#finance", "text": "Paid" }"""), default));

        Assert.False(failed.Retryable);
        Assert.Contains("posts only to the channel it was created for", failed.Message, StringComparison.Ordinal);
        Assert.Empty(_slack.AllMessages);
    }

    [Fact]
    public async Task AnIncomingWebhook_ThatIsGone_IsPermanent_AndAServerErrorIsNot()
    {
        var gone = await Assert.ThrowsAsync<DeliveryFailedException>(() => Hook(_slack.Url + "/services/T000/B000/GONE").NotifyAsync(Message("""{ "text": "x" }"""), default));
        _slack.FailPosts(1);
        var busy = await Assert.ThrowsAsync<DeliveryFailedException>(() => Hook().NotifyAsync(Message("""{ "text": "x" }"""), default));

        Assert.False(gone.Retryable);
        Assert.Contains("no_service", gone.Message, StringComparison.Ordinal);
        Assert.True(busy.Retryable);
    }

    [Fact]
    public void TheKind_DeclaresWhatNotifyTakes()
    {
        var kind = new ConnectorCatalog().Find("slack")!;

        Assert.Equal(["channel", "text"], kind.NotifyArguments);
        Assert.Equal(["text"], kind.NotifyRequires);
        Assert.Equal(kind.NotifyArguments, Bot().Arguments);
    }
}
