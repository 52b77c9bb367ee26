using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Concord.Core.Flows.Model;
using Concord.Engine.Flows;
using Concord.Engine.Flows.Steps;
using Concord.Testing;

namespace Concord.Engine.Tests.Flows.Steps;

/// <summary>The http step against a real HTTP server on loopback.</summary>
public sealed class HttpStepHandlerTests : IAsyncLifetime
{
    private readonly HttpClient _http = new() { Timeout = Timeout.InfiniteTimeSpan };
    private readonly ManualTimeProvider _time = new(new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.Zero));
    private RecordingSink _sink = null!;

    public async Task InitializeAsync() => _sink = await RecordingSink.StartAsync();

    public async Task DisposeAsync()
    {
        await _sink.DisposeAsync();
        _http.Dispose();
    }

    private Task<StepOutcome> RunAsync(JsonObject args, bool dryRun = false, TimeProvider? time = null) =>
        new HttpStepHandler(_http, time ?? _time).RunAsync(Steps.Run(StepAction.Http, args, dryRun, key: "run_1.call.0"), default);

    private JsonObject Args(string json)
    {
        var args = (JsonObject)JsonNode.Parse(json)!;
        args["url"] ??= _sink.Url + "/orders";
        return args;
    }

    [Fact]
    public async Task AnObjectBody_IsPostedAsJson_WithTheStepsIdempotencyKey_AndAJsonAnswerIsReadAsJson()
    {
        var output = Steps.Output(await RunAsync(Args("""{ "body": { "order": "A-1", "amount": 12.5, "lines": [1, 2] } }""")));

        var request = Assert.Single(_sink.Requests);
        Assert.Equal("run_1.call.0", request.IdempotencyKey);
        Assert.Equal("""{"order":"A-1","amount":12.5,"lines":[1,2]}""", request.Raw);
        Assert.StartsWith("application/json", request.Headers["Content-Type"], StringComparison.Ordinal);
        Assert.Equal("/orders", request.Headers["X-Path"]);
        Assert.Equal(200, (int)output["status"]!);
        Assert.Equal("ext-1", (string?)output["body"]!["external_id"]);
        Assert.Equal("ext-1", (string?)output["response"]!["external_id"]);
        Assert.StartsWith("application/json", (string?)output["headers"]!["content-type"], StringComparison.Ordinal);
        Assert.Equal("POST", (string?)output["request"]!["method"]);
    }

    [Fact]
    public async Task WithoutABody_TheMethodIsGet_AndNoIdempotencyKeyIsSent()
    {
        var output = Steps.Output(await RunAsync(Args("""{ "headers": { "Accept": "application/json", "X-Tenant": 42 } }""")));

        var request = Assert.Single(_sink.Requests);
        Assert.Equal("", request.IdempotencyKey);
        Assert.Equal("", request.Raw);
        Assert.Equal("42", request.Headers["X-Tenant"]);
        Assert.Equal("GET", (string?)output["request"]!["method"]);
    }

    [Theory]
    [InlineData("PUT")]
    [InlineData("patch")]
    [InlineData("DELETE")]
    public async Task OtherMethods_CarryTheKey(string method)
    {
        await RunAsync(Args($$"""{ "method": "{{method}}" }"""));

        Assert.Equal("run_1.call.0", Assert.Single(_sink.Requests).IdempotencyKey);
    }

    [Fact]
    public async Task AScalarBody_IsSentAsText_AndAContentTypeHeaderReplacesTheDefault()
    {
        await RunAsync(Args("""{ "body": "hello, world" }"""));
        await RunAsync(Args("""{ "method": "PUT", "body": "<a/>", "headers": { "Content-Type": "application/xml" } }"""));

        var (text, xml) = (_sink.Requests[0], _sink.Requests[1]);
        Assert.Equal("hello, world", text.Raw);
        Assert.StartsWith("text/plain", text.Headers["Content-Type"], StringComparison.Ordinal);
        Assert.Equal("<a/>", xml.Raw);
        Assert.Equal("application/xml", xml.Headers["Content-Type"]);
    }

    [Fact]
    public async Task AKeyGivenAsAHeader_IsSentInsteadOfTheStepsKey()
    {
        await RunAsync(Args("""{ "body": {}, "headers": { "Idempotency-Key": "order-A-1" } }"""));

        Assert.Equal("order-A-1", Assert.Single(_sink.Requests).IdempotencyKey);
    }

    [Fact]
    public async Task AServerError_IsRetryable_AfterTheRetryAfterItGives()
    {
        _sink.Behavior = _ => new SinkAnswer(503, """{"error":"busy"}""", new Dictionary<string, string> { ["Retry-After"] = "7", ["Content-Type"] = "application/json" });

        var failed = await Assert.ThrowsAsync<StepFailedException>(() => RunAsync(Args("""{ "body": { "a": 1 } }""")));

        Assert.True(failed.Retryable);
        Assert.Equal(TimeSpan.FromSeconds(7), failed.RetryAfter);
        Assert.Contains($"POST {_sink.Url}/orders answered 503", failed.Message, StringComparison.Ordinal);
        Assert.Equal(503, (int)failed.Detail!["status"]!);
        Assert.Equal("busy", (string?)failed.Detail!["body"]!["error"]);
    }

    [Fact]
    public async Task ARetryAfterDate_IsReadAgainstTheClock()
    {
        var at = _time.GetUtcNow().AddMinutes(2).ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        _sink.Behavior = _ => new SinkAnswer(429, "slow down", new Dictionary<string, string> { ["Retry-After"] = at });

        var failed = await Assert.ThrowsAsync<StepFailedException>(() => RunAsync(Args("""{ "body": { "a": 1 } }""")));

        Assert.True(failed.Retryable);
        Assert.Equal(TimeSpan.FromMinutes(2), failed.RetryAfter);
        Assert.Equal("slow down", (string?)failed.Detail!["body"]);
    }

    [Theory]
    [InlineData(408)]
    [InlineData(500)]
    [InlineData(502)]
    public async Task TimeoutAndServerStatuses_AreRetryable(int status)
    {
        _sink.Behavior = _ => new SinkAnswer(status);

        var failed = await Assert.ThrowsAsync<StepFailedException>(() => RunAsync(Args("""{ "body": { "a": 1 } }""")));

        Assert.True(failed.Retryable);
        Assert.Null(failed.RetryAfter);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(404)]
    [InlineData(409)]
    [InlineData(422)]
    public async Task OtherUnexpectedStatuses_FailForGood(int status)
    {
        _sink.Behavior = _ => new SinkAnswer(status, """{"error":"no"}""");

        var failed = await Assert.ThrowsAsync<StepFailedException>(() => RunAsync(Args("""{ "body": { "a": 1 } }""")));

        Assert.False(failed.Retryable);
        Assert.Contains("(expected 2xx)", failed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Expect_DecidesWhatSucceeds()
    {
        _sink.Behavior = _ => new SinkAnswer(404, "not here");
        var missing = Steps.Output(await RunAsync(Args("""{ "expect": [200, 404] }""")));

        _sink.Behavior = _ => null;
        var failed = await Assert.ThrowsAsync<StepFailedException>(() => RunAsync(Args("""{ "body": { "a": 1 }, "expect": [201] }""")));

        Assert.Equal(404, (int)missing["status"]!);
        Assert.Equal("not here", (string?)missing["body"]);
        Assert.False(failed.Retryable);
        Assert.Contains("answered 200 OK (expected 201)", failed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnAnswerSlowerThanTheTimeout_IsRetryable()
    {
        _sink.Behavior = _ => new SinkAnswer(200, Stall: TimeSpan.FromSeconds(10));

        var failed = await Assert.ThrowsAsync<StepFailedException>(() => RunAsync(Args("""{ "timeout": "300ms" }"""), time: TimeProvider.System));

        Assert.True(failed.Retryable);
        Assert.Contains("did not answer within 300ms", failed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NobodyListening_IsRetryable()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var failed = await Assert.ThrowsAsync<StepFailedException>(() => RunAsync(Args($$"""{ "url": "http://127.0.0.1:{{port}}/x", "body": {} }""")));

        Assert.True(failed.Retryable);
        Assert.Contains($"POST http://127.0.0.1:{port}/x failed", failed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ALargeAnswer_IsKeptAsText_CutAt64KiB()
    {
        var big = "[" + string.Join(",", Enumerable.Repeat("\"0123456789\"", 10_000)) + "]";
        _sink.Behavior = _ => new SinkAnswer(200, big, new Dictionary<string, string> { ["Content-Type"] = "application/json" });

        var output = Steps.Output(await RunAsync(Args("{}")));

        Assert.Equal(64 * 1024, ((string?)output["body"])!.Length);
        Assert.True((bool)output["truncated"]!);
    }

    [Fact]
    public async Task AnAnswerThatIsNotJson_IsText()
    {
        _sink.Behavior = _ => new SinkAnswer(200, "<html>ok</html>", new Dictionary<string, string> { ["Content-Type"] = "text/html", ["Location"] = "/orders/7" });

        var output = Steps.Output(await RunAsync(Args("{}")));

        Assert.Equal("<html>ok</html>", (string?)output["body"]);
        Assert.Equal("/orders/7", (string?)output["headers"]!["location"]);
        Assert.Null(output["truncated"]);
    }

    [Fact]
    public async Task ADryRun_SendsNothing_AndShowsTheRequest_WithCredentialsHidden()
    {
        var output = Steps.Output(await RunAsync(Args("""{ "body": { "a": 1 }, "headers": { "Authorization": "Bearer sk_live_1", "X-Trace": "t1" } }"""), dryRun: true));

        Assert.Empty(_sink.Requests);
        Assert.True((bool)output["dry_run"]!);
        var would = output["would_send"]!;
        Assert.Equal("POST", (string?)would["method"]);
        Assert.Equal(_sink.Url + "/orders", (string?)would["url"]);
        Assert.Equal("(hidden)", (string?)would["headers"]!["Authorization"]);
        Assert.Equal("t1", (string?)would["headers"]!["X-Trace"]);
        Assert.Equal("run_1.call.0", (string?)would["headers"]!["Idempotency-Key"]);
        Assert.Equal("""{"a":1}""", would["body"]!.ToJsonString());
    }

    [Theory]
    [InlineData("""{ "url": "/relative" }""", "url must be an absolute http(s) URL")]
    [InlineData("""{ "url": "ftp://example.com/x" }""", "url must be an absolute http(s) URL")]
    [InlineData("""{ "url": null }""", "url is required")]
    [InlineData("""{ "method": "FETCH" }""", "method must be one of GET, POST, PUT, PATCH, DELETE")]
    [InlineData("""{ "method": "GET", "body": { "a": 1 } }""", "body cannot be sent with GET")]
    [InlineData("""{ "headers": "X: 1" }""", "headers must be a mapping")]
    [InlineData("""{ "headers": { "Bad Name": "1" } }""", "is not a header name")]
    [InlineData("""{ "headers": { "X-A": "1\r\nX-B: 2" } }""", "headers.X-A must be one line")]
    [InlineData("""{ "expect": ["ok"] }""", "expect must list HTTP statuses")]
    [InlineData("""{ "timeout": "soon" }""", "timeout must be a duration")]
    public async Task ArgumentsThatCannotWork_FailForGood_WithoutSending(string args, string message)
    {
        var json = (JsonObject)JsonNode.Parse(args)!;
        if (!json.ContainsKey("url"))
        {
            json["url"] = _sink.Url + "/orders";
        }

        var failed = await Assert.ThrowsAsync<StepFailedException>(() => RunAsync(json));

        Assert.False(failed.Retryable);
        Assert.Contains(message, failed.Message, StringComparison.Ordinal);
        Assert.Empty(_sink.Requests);
    }
}
