using System.Text;
using Concord.Connectors.Http;
using Concord.Connectors.Webhook;
using Concord.Core.Configuration;
using Concord.Engine.Connectors;
using Concord.Engine.Storage;
using Concord.Testing;

namespace Concord.Connectors.Tests.Http;

/// <summary>The HTTP connector against a real HTTP server on loopback.</summary>
public sealed class HttpConnectorTests : IAsyncLifetime
{
    private readonly HttpClient _http = new();
    private RecordingSink _sink = null!;

    public async Task InitializeAsync() => _sink = await RecordingSink.StartAsync();

    public async Task DisposeAsync()
    {
        await _sink.DisposeAsync();
        _http.Dispose();
    }

    private HttpConnector Connector(string format = "envelope", string? secret = "sign-me", string? token = null)
    {
        var system = new SystemConfig { Name = "books", Kind = "http" };
        system.Settings["url"] = new SettingValue(_sink.Url + "/deliveries", SourceSpan.None);
        system.Settings["format"] = new SettingValue(format, SourceSpan.None);
        return new HttpConnector(system, _http, secret, token, TimeProvider.System);
    }

    private static Delivery Delivery(string operation = "upsert", string? externalId = null) => new()
    {
        Id = 17,
        System = "books",
        Type = "customer",
        RecordId = "rec_1",
        Version = 3,
        Operation = operation,
        Payload = """{"email":"ann@example.com","name":"Ann"}""",
        Changed = """["name"]""",
        IdempotencyKey = "rec_1.v3.books",
        CorrelationId = "chg_1",
        ExternalId = externalId,
    };

    [Fact]
    public async Task AnUpsert_IsPostedAsASignedEnvelopeWithAnIdempotencyKey()
    {
        var result = await Connector(token: "tok").SendAsync(Delivery(externalId: "QB-7"), default);

        var request = Assert.Single(_sink.Requests);
        Assert.Equal("rec_1.v3.books", request.IdempotencyKey);
        Assert.Equal("Bearer tok", request.Headers["Authorization"]);
        Assert.Equal(("customer", "rec_1", 3L, "upsert", "QB-7", "Ann"),
            ((string?)request.Body["type"], (string?)request.Body["record_id"], (long)request.Body["version"]!, (string?)request.Body["operation"],
             (string?)request.Body["external_id"], (string?)request.Body["fields"]!["name"]));
        Assert.Null(WebhookSignature.Verify("sign-me", request.Headers[WebhookSignature.TimestampHeader], request.Headers[WebhookSignature.SignatureHeader],
            Encoding.UTF8.GetBytes(request.Raw), DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1)));
        Assert.Equal(200, result.StatusCode);
        Assert.Equal("QB-7", result.ExternalId);
    }

    [Fact]
    public async Task TheFieldsFormat_SendsTheFieldsAlone()
    {
        await Connector("fields", secret: null).SendAsync(Delivery(), default);
        var request = Assert.Single(_sink.Requests);
        Assert.Equal(["email", "name"], request.Body.Select(p => p.Key));
        Assert.False(request.Headers.ContainsKey(WebhookSignature.SignatureHeader));
    }

    [Fact]
    public async Task AFieldsDelete_GoesToTheRecordsUrl_AndWithoutAKnownIdIsRefused()
    {
        await Connector("fields", secret: null).SendAsync(Delivery("delete", externalId: "QB 7"), default);
        Assert.EndsWith("/deliveries/QB%207", Assert.Single(_sink.Requests).Headers["X-Path"], StringComparison.Ordinal);

        var ex = await Assert.ThrowsAsync<DeliveryFailedException>(() => Connector("fields", secret: null).SendAsync(Delivery("delete"), default));
        Assert.False(ex.Retryable);
        Assert.Contains("never told the hub its id", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A429_IsRetryable_AndCarriesRetryAfter()
    {
        _sink.Behavior = _ => new SinkAnswer(429, Headers: new Dictionary<string, string> { ["Retry-After"] = "42" });
        var ex = await Assert.ThrowsAsync<DeliveryFailedException>(() => Connector().SendAsync(Delivery(), default));
        Assert.True(ex.Retryable);
        Assert.Equal(429, ex.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(42), ex.RetryAfter);
    }

    [Theory]
    [InlineData(500, true)]
    [InlineData(503, true)]
    [InlineData(408, true)]
    [InlineData(400, false)]
    [InlineData(404, false)]
    [InlineData(422, false)]
    public async Task StatusCodes_AreClassified(int status, bool retryable)
    {
        _sink.Behavior = _ => new SinkAnswer(status, """{"error":"nope"}""");
        var ex = await Assert.ThrowsAsync<DeliveryFailedException>(() => Connector().SendAsync(Delivery(), default));
        Assert.Equal(retryable, ex.Retryable);
        Assert.Equal("""{"error":"nope"}""", ex.Body);
    }

    [Fact]
    public async Task AnUnreachableSystem_Throws()
    {
        var system = new SystemConfig { Name = "gone", Kind = "http" };
        system.Settings["url"] = new SettingValue("http://127.0.0.1:1/nothing", SourceSpan.None);
        var connector = new HttpConnector(system, _http, null, null, TimeProvider.System);
        await Assert.ThrowsAsync<HttpRequestException>(() => connector.SendAsync(Delivery(), default));
    }
}
