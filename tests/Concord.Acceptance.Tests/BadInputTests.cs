using System.Net;
using System.Text.Json.Nodes;
using Concord.Testing;

namespace Concord.Acceptance.Tests;

/// <summary>
/// Bad input gets a clear 4xx that says what and where, and nothing of it is stored.
/// </summary>
public sealed class BadInputTests : IAsyncLifetime
{
    private RecordingSink _sink = null!;
    private HubHarness _hub = null!;

    public async Task InitializeAsync()
    {
        _sink = await RecordingSink.StartAsync();
        _hub = await HubHarness.StartAsync(TestConfigs.TwoSystems(_sink.Url + "/crm", _sink.Url + "/sink").Replace("version: 1", "version: 1\nhub: { max_body: 2KiB }", StringComparison.Ordinal));
    }

    public async Task DisposeAsync()
    {
        await _hub.DisposeAsync();
        await _sink.DisposeAsync();
    }

    private static async Task<JsonNode> ProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonNode.Parse(text)!;
    }

    private async Task AssertNothingStoredAsync()
    {
        var health = await _hub.Store.GetHealthAsync(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5), default);
        Assert.Equal(0, health.InboxBacklog);
        Assert.Empty(health.RecordsByType);
        Assert.Empty(await _hub.Store.QueryLogAsync(new Engine.Storage.LogQuery(), default));
        Assert.Empty(_sink.Requests);
    }

    [Fact]
    public async Task MalformedJson_Is400_NamingLineAndColumn()
    {
        var problem = await ProblemAsync(await _hub.PostChangesAsync("crm", "{\"changes\": [\n  {\"type\": \"customer\" \"fields\": {}}\n]}"), HttpStatusCode.BadRequest);
        Assert.Equal("Malformed JSON", (string?)problem["title"]);
        Assert.StartsWith("line 2, column", (string?)problem["errors"]![0]!["path"], StringComparison.Ordinal);
        Assert.DoesNotContain("LineNumber", (string?)problem["detail"], StringComparison.Ordinal);
        await AssertNothingStoredAsync();
    }

    [Fact]
    public async Task AnUnknownSystem_Is404()
    {
        var problem = await ProblemAsync(await _hub.PostChangesAsync("crn", """{"changes":[{"type":"customer","fields":{"email":"a@b.co"}}]}"""), HttpStatusCode.NotFound);
        Assert.Contains("no system named 'crn'", (string?)problem["detail"], StringComparison.Ordinal);
        Assert.Contains("did you mean 'crm'", (string?)problem["detail"], StringComparison.Ordinal);
        await AssertNothingStoredAsync();
    }

    [Fact]
    public async Task UnknownTypesAndFields_Are400_WithEveryPathAndAHint()
    {
        var problem = await ProblemAsync(await _hub.PostChangesAsync("crm", """
            {"changes":[
              {"type":"customer","external_id":"c1","fields":{"email":"a@b.co"}},
              {"type":"custmer","fields":{"email":"a@b.co"}},
              {"type":"customer","fields":{"emial":"a@b.co","phone":42}}
            ]}
            """), HttpStatusCode.BadRequest);
        var errors = problem["errors"]!.AsArray().ToDictionary(e => (string)e!["path"]!, e => (string)e!["message"]!);
        Assert.Contains("did you mean 'customer'", errors["changes[1].type"], StringComparison.Ordinal);
        Assert.Contains("did you mean 'email'", errors["changes[2].fields.emial"], StringComparison.Ordinal);
        Assert.Contains("must be a string", errors["changes[2].fields.phone"], StringComparison.Ordinal);
        await AssertNothingStoredAsync();
    }

    [Fact]
    public async Task AnOversizedBody_Is413()
    {
        var big = new string('x', 4000);
        var problem = await ProblemAsync(await _hub.PostChangesAsync("crm", "{\"changes\":[{\"type\":\"customer\",\"fields\":{\"notes\":\"" + big + "\"}}]}"), HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("exceeds the limit of 2,048 bytes", (string?)problem["detail"], StringComparison.Ordinal);
        await AssertNothingStoredAsync();
    }

    [Fact]
    public async Task AChangeOfATypeTheSystemDoesNotSend_Is422()
    {
        var problem = await ProblemAsync(await _hub.PostChangesAsync("sink", """{"type":"customer","fields":{"email":"a@b.co"}}"""), HttpStatusCode.UnprocessableEntity);
        Assert.Contains("does not contribute customer", (string?)problem["detail"], StringComparison.Ordinal);
        await AssertNothingStoredAsync();
    }

    [Theory]
    [InlineData("missing")]
    [InlineData("wrong")]
    [InlineData("stale")]
    [InlineData("tampered")]
    public async Task AWebhookWithoutAValidSignature_Is401(string how)
    {
        const string body = """{"type":"customer","external_id":"c1","fields":{"email":"a@b.co"}}""";
        var secret = TestConfigs.Secrets["CRM_WEBHOOK_SECRET"];
        var response = how switch
        {
            "missing" => await _hub.PostWebhookAsync("crm", body, null),
            "wrong" => await _hub.PostWebhookAsync("crm", body, "not-the-secret"),
            "stale" => await _hub.PostWebhookAsync("crm", body, secret, DateTimeOffset.UtcNow.AddMinutes(-10)),
            _ => await TamperedAsync(body, secret),
        };
        var problem = await ProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Contains("webhook for 'crm' rejected", (string?)problem["detail"], StringComparison.Ordinal);
        await AssertNothingStoredAsync();
    }

    private async Task<HttpResponseMessage> TamperedAsync(string body, string secret)
    {
        var ts = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{_hub.Url}/hooks/crm") { Content = new StringContent(body.Replace("a@b.co", "evil@b.co", StringComparison.Ordinal)) };
        request.Headers.Add("X-Concord-Timestamp", ts.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("X-Concord-Signature", Connectors.Webhook.WebhookSignature.Sign(secret, ts, System.Text.Encoding.UTF8.GetBytes(body)));
        return await _hub.Http.SendAsync(request);
    }

    [Fact]
    public async Task TheApi_RequiresAValidKey()
    {
        using var anonymous = new HttpClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"{_hub.Url}/api/v1/health")).StatusCode);
        anonymous.DefaultRequestHeaders.Authorization = new("Bearer", "ck_not-a-key");
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync($"{_hub.Url}/api/v1/changes/crm", new StringContent("{}"))).StatusCode);
        await AssertNothingStoredAsync();
    }

    [Theory]
    [InlineData("/api/v1/log?since=yesterday", "since")]
    [InlineData("/api/v1/log?limit=abc", "limit")]
    [InlineData("/api/v1/deliveries?limit=0", "limit")]
    [InlineData("/api/v1/deliveries?status=lost", "status")]
    [InlineData("/api/v1/records/customer?q=a&limit=100000", "limit")]
    public async Task ABadQueryParameter_Is400_NamingIt(string path, string parameter)
    {
        var problem = await ProblemAsync(await _hub.Http.GetAsync(_hub.Url + path), HttpStatusCode.BadRequest);
        Assert.Equal(parameter, (string?)problem["errors"]![0]!["path"]);
    }

    [Fact]
    public async Task ASignatureTimestampBeyondTheCalendar_Is401_Not500()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{_hub.Url}/hooks/crm") { Content = new StringContent("""{"type":"customer","fields":{"name":"A"}}""") };
        request.Headers.Add("X-Concord-Timestamp", "99999999999999");
        request.Headers.Add("X-Concord-Signature", "v1=00");
        await ProblemAsync(await _hub.Http.SendAsync(request), HttpStatusCode.Unauthorized);
        await AssertNothingStoredAsync();
    }

    [Fact]
    public async Task ARevokedKey_IsRefusedAtOnce()
    {
        var (key, secret) = await _hub.Hub.ApiKeys.CreateAsync("short-lived", default);
        using var client = new HttpClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", secret);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"{_hub.Url}/api/v1/health")).StatusCode);

        Assert.True(await _hub.Hub.ApiKeys.RevokeAsync(key.Id, default));
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync($"{_hub.Url}/api/v1/health")).StatusCode);
    }

    [Fact]
    public async Task ASignedWebhook_IsAccepted_AndARedeliveryChangesNothing()
    {
        const string body = """{"type":"customer","external_id":"c1","event_id":"evt-1","fields":{"email":"ann@example.com","name":"Ann"}}""";
        var secret = TestConfigs.Secrets["CRM_WEBHOOK_SECRET"];
        var first = JsonNode.Parse(await (await _hub.PostWebhookAsync("crm", body, secret)).Content.ReadAsStringAsync())!;
        var again = JsonNode.Parse(await (await _hub.PostWebhookAsync("crm", body, secret)).Content.ReadAsStringAsync())!;
        Assert.Equal(1, (int)first["accepted"]!);
        Assert.Equal(1, (int)again["duplicates"]!);
        Assert.Equal((string?)first["changes"]![0]!["change_id"], (string?)again["changes"]![0]!["change_id"]);

        await Eventually.TrueAsync(_hub.IsQuietAsync, "the pipeline to settle");
        await Eventually.TrueAsync(() => _sink.Applied.Count == 1, "one delivery");
        await Task.Delay(300);
        Assert.Single(_sink.Requests);
        var log = await _hub.GetJsonAsync("/api/v1/log?system=crm");
        Assert.Single(log.AsArray());
    }
}
