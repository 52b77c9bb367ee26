using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Concord.Connectors.Webhook;
using Concord.Testing;

namespace Concord.Sandboxes.Tests;

/// <summary>The sandbox behaves like a careful vendor: signed deliveries only, idempotency keys honoured, signed webhooks out.</summary>
public sealed class SystemSandboxTests : IAsyncLifetime
{
    private readonly HttpClient _http = new();
    private SystemSandbox _sandbox = null!;
    private RecordingSink _hub = null!;

    public async Task InitializeAsync()
    {
        _hub = await RecordingSink.StartAsync();
        _sandbox = new SystemSandbox("billing", "cus_", "webhook-secret", "delivery-secret") { HubUrl = _hub.Url, EchoHubChanges = false };
        await _sandbox.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _sandbox.DisposeAsync();
        await _hub.DisposeAsync();
        _http.Dispose();
    }

    private async Task<HttpResponseMessage> DeliverAsync(string key, string secret = "delivery-secret", string name = "Ann")
    {
        var body = Encoding.UTF8.GetBytes(new JsonObject
        {
            ["type"] = "customer", ["operation"] = "upsert", ["record_id"] = "rec_1", ["version"] = 1, ["external_id"] = null,
            ["fields"] = new JsonObject { ["name"] = name },
        }.ToJsonString());
        var ts = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, _sandbox.DeliveryUrl) { Content = new ByteArrayContent(body) };
        request.Headers.Add("Idempotency-Key", key);
        request.Headers.Add(WebhookSignature.TimestampHeader, ts.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Sign(secret, ts, body));
        return await _http.SendAsync(request);
    }

    [Fact]
    public async Task ADelivery_CreatesARecord_AndARepeatedKeyGetsTheSameAnswerWithoutASecondRecord()
    {
        var first = await (await DeliverAsync("k1")).Content.ReadAsStringAsync();
        var again = await (await DeliverAsync("k1", name: "Changed")).Content.ReadAsStringAsync();

        Assert.Equal(first, again);
        Assert.Equal("cus_0001", (string?)JsonNode.Parse(first)!["external_id"]);
        Assert.Equal("Ann", Assert.Single(_sandbox.Records).Field("name"));
        Assert.Equal(1, _sandbox.DuplicateDeliveries);
    }

    [Fact]
    public async Task AnUnsignedOrMissignedDelivery_IsRefused()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await DeliverAsync("k1", secret: "wrong")).StatusCode);
        Assert.Empty(_sandbox.Records);
    }

    [Fact]
    public async Task WhileDown_EveryDeliveryGets503()
    {
        _sandbox.Down = true;
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await DeliverAsync("k1")).StatusCode);
        Assert.Equal(1, _sandbox.DeliveriesRefused);
        _sandbox.Down = false;
        Assert.Equal(HttpStatusCode.OK, (await DeliverAsync("k1")).StatusCode);
    }

    [Fact]
    public async Task APersonsEdit_IsPostedToTheHubAsASignedWebhook()
    {
        var record = await _sandbox.CreateAsync("customer", new JsonObject { ["name"] = "Bo", ["email"] = "bo@example.com" });

        var hook = Assert.Single(_hub.Requests);
        Assert.Null(WebhookSignature.Verify("webhook-secret", hook.Headers[WebhookSignature.TimestampHeader], hook.Headers[WebhookSignature.SignatureHeader],
            Encoding.UTF8.GetBytes(hook.Raw), DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1)));
        var change = hook.Body["changes"]![0]!;
        Assert.Equal((record.Id, "bo@example.com"), ((string?)change["external_id"], (string?)change["fields"]!["email"]));
    }
}
