using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Concord.Testing;

namespace Concord.Acceptance.Tests;

/// <summary>A steward corrects a customer's name over the API: the owner and the sink are sent it, the owner cannot undo it, and clearing it puts the owner's value back.</summary>
public sealed class OverrideApiTests : IAsyncLifetime
{
    private RecordingSink _crm = null!;
    private RecordingSink _sink = null!;
    private HubHarness _hub = null!;

    public async Task InitializeAsync()
    {
        _crm = await RecordingSink.StartAsync();
        _sink = await RecordingSink.StartAsync();
        _hub = await HubHarness.StartAsync(TestConfigs.TwoSystems(_crm.Url, _sink.Url));
    }

    public async Task DisposeAsync()
    {
        await _hub.DisposeAsync();
        await _sink.DisposeAsync();
        await _crm.DisposeAsync();
    }

    private string FieldUrl(string id, string field) => $"{_hub.Url}/api/v1/records/customer/{id}/fields/{field}/override";

    private async Task<(HttpStatusCode Status, JsonNode? Body)> SendAsync(HttpMethod method, string url, string? json)
    {
        using var request = new HttpRequestMessage(method, url);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using var response = await _hub.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    [Fact]
    public async Task SetOverride_WinsOverTheOwner_IsDeliveredEverywhere_AndClearingRestoresTheOwnersValue()
    {
        using (var posted = await _hub.PostChangesAsync("crm", """{"type":"customer","external_id":"c1","fields":{"email":"ann@acme.example","name":"Ann Lee"}}"""))
        {
            Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        }

        var id = await Eventually.GetAsync(async () =>
            (await _hub.GetJsonAsync("/api/v1/records/customer?q=c1")).AsArray().SingleOrDefault()?["id"]?.ToString(), "c1 in the hub");
        await Eventually.TrueAsync(() => _sink.Requests.Count >= 1, "the customer at the sink");

        var (status, set) = await SendAsync(HttpMethod.Put, FieldUrl(id, "name"), """{"value":"Ann Lee-Smith","reason":"married; per signed contract","by":"pat"}""");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(("Ann Lee-Smith", "steward", "pat", 2), ((string?)set!["value"], (string?)set["system"], (string?)set["override"]!["by"], (int)set["deliveries"]!));
        await Eventually.TrueAsync(() => _crm.Requests.Any(r => r.Raw.Contains("Ann Lee-Smith", StringComparison.Ordinal)), "the owner told of the correction");
        await Eventually.TrueAsync(() => _sink.Requests.Any(r => r.Raw.Contains("Ann Lee-Smith", StringComparison.Ordinal)), "the sink told of the correction");

        using (var owner = await _hub.PostChangesAsync("crm", """{"type":"customer","external_id":"c1","fields":{"name":"Ann Lee"}}"""))
        {
            Assert.Equal(HttpStatusCode.Accepted, owner.StatusCode);
        }

        var record = await Eventually.GetAsync(async () =>
        {
            var r = await _hub.GetJsonAsync($"/api/v1/records/customer/{id}");
            return r["conflicts"]!.AsArray().Count > 0 ? r : null;
        }, "the owner's value shown as a conflict");
        Assert.Equal("Ann Lee-Smith", (string?)record["fields"]!["name"]!["value"]);
        Assert.Equal(("married; per signed contract", "pat"), ((string?)record["fields"]!["name"]!["override"]!["reason"], (string?)record["fields"]!["name"]!["override"]!["by"]));
        Assert.Equal(("crm", "Ann Lee"), ((string?)record["conflicts"]![0]!["system"], (string?)record["conflicts"]![0]!["value"]));
        var setEvent = record["history"]!.AsArray().Single(e => (string?)e!["kind"] == "override-set")!;
        Assert.Equal("married; per signed contract", (string?)setEvent["changes"]![0]!["reason"]);

        var (cleared, body) = await SendAsync(HttpMethod.Delete, FieldUrl(id, "name"), """{"reason":"the contract was for someone else"}""");
        Assert.Equal(HttpStatusCode.OK, cleared);
        Assert.Equal(("Ann Lee", "crm"), ((string?)body!["value"], (string?)body["system"]));
        Assert.Null(body["override"]);
        var sinkSeen = _sink.Requests.Count;
        await Eventually.TrueAsync(() => _sink.Requests.Skip(sinkSeen - 1).Any(r => r.Raw.Contains("\"Ann Lee\"", StringComparison.Ordinal)), "the sink told of the cleared override");

        var (again, problem) = await SendAsync(HttpMethod.Delete, FieldUrl(id, "name"), null);
        Assert.Equal(HttpStatusCode.Conflict, again);
        Assert.Contains("has no override of name", (string?)problem!["detail"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadRequests_SayWhatIsWrong()
    {
        using (var posted = await _hub.PostChangesAsync("crm", """{"type":"customer","external_id":"c9","fields":{"email":"bo@acme.example","name":"Bo"}}"""))
        {
            Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        }

        var id = await Eventually.GetAsync(async () =>
            (await _hub.GetJsonAsync("/api/v1/records/customer?q=c9")).AsArray().SingleOrDefault()?["id"]?.ToString(), "c9 in the hub");

        var cases = new (string Url, string Json, HttpStatusCode Status, string Detail)[]
        {
            (FieldUrl(id, "nmae"), """{"value":"x","reason":"r"}""", HttpStatusCode.NotFound, "'nmae' is not a field of customer; did you mean 'name'?"),
            (FieldUrl("rec_nope", "name"), """{"value":"x","reason":"r"}""", HttpStatusCode.NotFound, "no customer record with id 'rec_nope'"),
            ($"{_hub.Url}/api/v1/records/cat/{id}/fields/name/override", """{"value":"x","reason":"r"}""", HttpStatusCode.NotFound, "no entity type 'cat' is configured"),
            (FieldUrl(id, "email"), """{"value":42,"reason":"r"}""", HttpStatusCode.BadRequest, "value: "),
            (FieldUrl(id, "email"), """{"value":"not-an-email","reason":"r"}""", HttpStatusCode.BadRequest, "value: "),
            (FieldUrl(id, "name"), """{"reason":"r"}""", HttpStatusCode.BadRequest, "value: required"),
            (FieldUrl(id, "name"), """{"value":"Bo Smith"}""", HttpStatusCode.BadRequest, "reason: required"),
            (FieldUrl(id, "name"), """[1]""", HttpStatusCode.BadRequest, "the body must be a JSON object"),
        };

        foreach (var (url, json, expected, detail) in cases)
        {
            var (status, problem) = await SendAsync(HttpMethod.Put, url, json);
            Assert.True(expected == status, $"{url} {json}: {status}");
            Assert.Contains(detail, (string?)problem!["detail"], StringComparison.Ordinal);
        }

        var (created, written) = await SendAsync(HttpMethod.Put, FieldUrl(id, "email"), """{"value":"Bo@Acme.example","reason":"typo in the CRM"}""");
        Assert.Equal(HttpStatusCode.OK, created);
        Assert.Equal("Bo@Acme.example", (string?)written!["value"]);
    }
}
