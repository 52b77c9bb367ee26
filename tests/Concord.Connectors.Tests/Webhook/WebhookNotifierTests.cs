using System.Text;
using System.Text.Json.Nodes;
using Concord.Connectors.Webhook;
using Concord.Core.Configuration;
using Concord.Core.Sync;
using Concord.Engine.Connectors;
using Concord.Engine.Intake;
using Concord.Testing;

namespace Concord.Connectors.Tests.Webhook;

/// <summary>Flows' notifications through <c>webhook</c> and <c>http</c> systems, to a real HTTP server on loopback.</summary>
public sealed class WebhookNotifierTests : IAsyncLifetime
{
    private readonly HttpClient _http = new();
    private RecordingSink _sink = null!;

    public async Task InitializeAsync() => _sink = await RecordingSink.StartAsync();

    public async Task DisposeAsync()
    {
        await _sink.DisposeAsync();
        _http.Dispose();
    }

    /// <summary>A configured system's parts, built by its kind as the hub builds them.</summary>
    private SystemConnectors Create(string kind, Dictionary<string, string> settings, Dictionary<string, string> secrets)
    {
        var system = new SystemConfig { Name = "ops", Kind = kind };
        foreach (var (k, v) in settings)
        {
            system.Settings[k] = new SettingValue(v, SourceSpan.None);
        }

        foreach (var k in secrets.Keys)
        {
            system.Secrets[k] = new SecretRef("OPS_" + k.ToUpperInvariant(), SourceSpan.None);
        }

        var context = new ConnectorContext
        {
            Http = _http,
            Time = TimeProvider.System,
            Intake = new ChangeIntake(new SyncPlan(new HubConfig()), TimeProvider.System),
            Links = new MemoryLinks(),
            Credentials = new MemoryCredentials(),
            Environment = name => secrets.FirstOrDefault(s => "OPS_" + s.Key.ToUpperInvariant() == name).Value,
        };
        return new ConnectorCatalog().Create(system, context);
    }

    private INotifier Webhook(string? signingSecret = "sign-me", string? token = null)
    {
        var secrets = new Dictionary<string, string> { ["secret"] = "inbound" };
        if (signingSecret is not null)
        {
            secrets["signing_secret"] = signingSecret;
        }

        if (token is not null)
        {
            secrets["token"] = token;
        }

        return Create("webhook", new() { ["url"] = _sink.Url + "/alerts" }, secrets).Notifier!;
    }

    private static Notification Message(string args) => new((JsonObject)JsonNode.Parse(args)!, "run_1.ping.0", "run_1");

    [Fact]
    public async Task TheBody_IsPostedAsJson_SignedLikeDeliveries_WithTheStepsKey()
    {
        var result = await Webhook(token: "tok").NotifyAsync(Message("""{ "body": { "event": "paid", "amount": 1200, "tags": ["vip"] } }"""), default);

        var request = Assert.Single(_sink.Requests);
        Assert.Equal("/alerts", request.Headers["X-Path"]);
        Assert.Equal("""{"event":"paid","amount":1200,"tags":["vip"]}""", request.Raw);
        Assert.Equal("run_1.ping.0", request.IdempotencyKey);
        Assert.Equal("run_1", request.Headers[WebhookNotifier.RunHeader]);
        Assert.Equal("Bearer tok", request.Headers["Authorization"]);
        Assert.StartsWith("application/json", request.Headers["Content-Type"], StringComparison.Ordinal);
        Assert.Null(WebhookSignature.Verify("sign-me", request.Headers[WebhookSignature.TimestampHeader], request.Headers[WebhookSignature.SignatureHeader],
            Encoding.UTF8.GetBytes(request.Raw), DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1)));
        Assert.Equal(200, result.StatusCode);
        Assert.Equal(request.Raw, result.Request);
        Assert.Contains("external_id", result.Response, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Text_IsPostedAsATextObject_AndUnsignedWithoutASigningSecret()
    {
        await Webhook(signingSecret: null).NotifyAsync(Message("""{ "text": "Paid: 1,200.00 EUR" }"""), default);

        var request = Assert.Single(_sink.Requests);
        Assert.Equal("""{"text":"Paid: 1,200.00 EUR"}""", request.Raw);
        Assert.False(request.Headers.ContainsKey(WebhookSignature.SignatureHeader));
        Assert.False(request.Headers.ContainsKey("Authorization"));
    }

    [Fact]
    public async Task AnHttpSystem_NotifiesItsUrl_SignedWithItsSigningSecret()
    {
        var http = Create("http", new() { ["url"] = _sink.Url + "/concord" }, new() { ["signing_secret"] = "books-secret" }).Notifier!;

        await http.NotifyAsync(Message("""{ "text": "hello" }"""), default);

        var request = Assert.Single(_sink.Requests);
        Assert.Equal("/concord", request.Headers["X-Path"]);
        Assert.Null(WebhookSignature.Verify("books-secret", request.Headers[WebhookSignature.TimestampHeader], request.Headers[WebhookSignature.SignatureHeader],
            Encoding.UTF8.GetBytes(request.Raw), DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public void AWebhookSystemWithoutUrl_CannotNotify()
    {
        var parts = Create("webhook", [], new() { ["secret"] = "inbound" });

        Assert.NotNull(parts.Inbound);
        Assert.Null(parts.Notifier);
    }

    [Theory]
    [InlineData(429, true)]
    [InlineData(503, true)]
    [InlineData(408, true)]
    [InlineData(400, false)]
    [InlineData(401, false)]
    [InlineData(404, false)]
    public async Task FailedAnswers_SayWhetherToRetry(int status, bool retryable)
    {
        _sink.Behavior = _ => new SinkAnswer(status, "nope", new Dictionary<string, string> { ["Retry-After"] = "4" });

        var failed = await Assert.ThrowsAsync<DeliveryFailedException>(() => Webhook().NotifyAsync(Message("""{ "text": "x" }"""), default));

        Assert.Equal(retryable, failed.Retryable);
        Assert.Equal(status, failed.StatusCode);
        Assert.Equal("nope", failed.Body);
        Assert.Equal(TimeSpan.FromSeconds(4), failed.RetryAfter);
        Assert.StartsWith($"ops answered {status}", failed.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ }""", "notify through 'ops': needs body (any JSON) or text")]
    [InlineData("""{ "body": { "a": 1 }, "text": "x" }""", "notify through 'ops': give body or text, not both")]
    public async Task ANotificationWithNothingOrBoth_IsRefusedWithoutSending(string args, string message)
    {
        var failed = await Assert.ThrowsAsync<DeliveryFailedException>(() => Webhook().NotifyAsync(Message(args), default));

        Assert.False(failed.Retryable);
        Assert.Equal(message, failed.Message);
        Assert.Empty(_sink.Requests);
    }

    [Theory]
    [InlineData("webhook")]
    [InlineData("http")]
    public void BothKinds_DeclareWhatNotifyTakes(string kind)
    {
        var descriptor = new ConnectorCatalog().Find(kind)!;

        Assert.Equal(["body", "text"], descriptor.NotifyArguments);
        Assert.Empty(descriptor.NotifyRequires);
    }
}
