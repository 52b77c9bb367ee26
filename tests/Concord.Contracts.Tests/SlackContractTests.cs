using Concord.Connectors.Slack;
using Concord.Core.Configuration;
using Concord.Core.Sync;
using Concord.Engine.Connectors;
using Concord.Engine.Intake;
using Concord.Engine.Storage;
using Concord.Testing;

namespace Concord.Contracts.Tests;

/// <summary>
/// The Slack connector's real Web API requests (chat.postMessage, auth.test, conversations.info)
/// sent to Prism serving Slack's own OpenAPI document. Incoming webhooks have no specification;
/// they are tested against the sandbox only.
/// </summary>
public sealed class SlackContractTests : IAsyncLifetime
{
    private const string Spec = "slack/slack_web_openapi_v2.json";
    private const string Token = "xoxb-contract-test";
    private readonly List<HttpClient> _clients = [];
    private PrismMock _prism = null!;

    public async Task InitializeAsync() => _prism = await PrismMock.StartAsync(Spec);

    public async Task DisposeAsync()
    {
        _clients.ForEach(c => c.Dispose());
        await _prism.DisposeAsync();
    }

    [Fact]
    public async Task ChatPostMessage_AsTheConnectorSendsIt_FollowsTheSpec()
    {
        var (parts, seen) = Create(channel: "C0123456789");

        try
        {
            await parts.Outbound!.SendAsync(Delivery(), default);
        }
        catch (DeliveryFailedException)
        {
            // Prism answers with the spec's own examples, which may say ok:false; only the request is judged here.
        }

        var call = Assert.Single(seen);
        Assert.Equal("/chat.postMessage", call.RequestMessage!.RequestUri!.AbsolutePath);
        PrismMock.AssertAccepted(call, "chat.postMessage (form body with channel, text and metadata)");
    }

    [Fact]
    public async Task AuthTest_AndConversationsInfo_FromVerify_FollowTheSpec()
    {
        var (parts, seen) = Create(channel: "C0123456789");

        await parts.Verifier!.VerifyAsync(default);

        Assert.Contains(seen, r => r.RequestMessage!.RequestUri!.AbsolutePath == "/auth.test");
        foreach (var response in seen)
        {
            PrismMock.AssertAccepted(response, response.RequestMessage!.RequestUri!.PathAndQuery);
        }
    }

    [Fact]
    public async Task ConversationsInfo_FollowsTheSpec()
    {
        var recorder = new Recorder();
        using var http = new HttpClient(new SpecTokenHeader(recorder));
        var client = new SlackApiClient(http, _prism.BaseUrl, Token, TimeProvider.System);

        await client.ConversationInfoAsync("C0123456789", default);

        PrismMock.AssertAccepted(Assert.Single(recorder.Responses), "conversations.info?channel=");
    }

    [Fact]
    public async Task WithoutTheSpecsTokenHeader_PrismRejectsChatPostMessage_SoTheCheckIsLive()
    {
        var recorder = new Recorder();
        using var http = new HttpClient(recorder);
        var client = new SlackApiClient(http, _prism.BaseUrl, Token, TimeProvider.System);

        await client.PostMessageAsync("C0123456789", "hello", "rec_1.v1.team", default);

        Assert.Throws<Xunit.Sdk.XunitException>(() => PrismMock.AssertAccepted(Assert.Single(recorder.Responses), "chat.postMessage without the token header"));
    }

    private (SystemConnectors Parts, IReadOnlyList<HttpResponseMessage> Seen) Create(string channel)
    {
        var recorder = new Recorder();
        var http = new HttpClient(new SpecTokenHeader(recorder));
        _clients.Add(http);
        var system = new SystemConfig { Name = "team", Kind = "slack" };
        system.Settings["base_url"] = new SettingValue(_prism.BaseUrl.AbsoluteUri, SourceSpan.None);
        system.Settings["channel"] = new SettingValue(channel, SourceSpan.None);
        system.Secrets["bot_token"] = new SecretRef("TEAM_BOT_TOKEN", SourceSpan.None);
        var context = new ConnectorContext
        {
            Http = http,
            Time = TimeProvider.System,
            Intake = new ChangeIntake(new SyncPlan(new HubConfig()), TimeProvider.System),
            Links = new MemoryLinks(),
            Credentials = new MemoryCredentials(),
            Environment = name => name == "TEAM_BOT_TOKEN" ? Token : null,
        };
        return (new SlackConnector.Kind().Create(system, context), recorder.Responses);
    }

    private static Delivery Delivery() => new()
    {
        Id = 1,
        System = "team",
        Type = "invoice",
        RecordId = "rec_1",
        Version = 2,
        Operation = "upsert",
        Payload = """{"number":"INV-1042","amount":1200,"currency":"usd","status":"paid"}""",
        Changed = """["status"]""",
        IdempotencyKey = "rec_1.v2.team",
        CorrelationId = "chg_1",
    };

    /// <summary>
    /// The 2021 specification models the token as a required header named <c>token</c>; Slack reads
    /// <c>Authorization: Bearer</c>, which the connector sends. The test adds the spec's header so
    /// that Prism judges the rest of the request, rather than bending the connector to the artifact.
    /// </summary>
    private sealed class SpecTokenHeader(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Headers.Authorization is { Scheme: "Bearer", Parameter: { } token })
            {
                request.Headers.Add("token", token);
            }

            return base.SendAsync(request, cancellationToken);
        }
    }

    /// <summary>Keeps every response (with its request) for the assertions.</summary>
    private sealed class Recorder : DelegatingHandler
    {
        public Recorder()
            : base(new HttpClientHandler())
        {
        }

        public List<HttpResponseMessage> Responses { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            await response.Content.LoadIntoBufferAsync(cancellationToken);
            Responses.Add(response);
            return response;
        }
    }
}
