using System.Text.Json.Nodes;
using Concord.Testing;

namespace Concord.Server.Tests;

public sealed class ApiDescriptionTests
{
    [Fact]
    public async Task TheOpenApiDocument_DescribesEveryEndpoint()
    {
        await using var sink = await RecordingSink.StartAsync();
        await using var hub = await HubHarness.StartAsync(TestConfigs.TwoSystems(sink.Url + "/crm", sink.Url + "/sink"));
        using var anonymous = new HttpClient();

        var doc = JsonNode.Parse(await anonymous.GetStringAsync($"{hub.Url}/openapi/v1.json"))!;
        var paths = doc["paths"]!.AsObject().Select(p => p.Key).ToList();
        Assert.Equal("Concord hub API", (string?)doc["info"]!["title"]);
        foreach (var path in new[]
        {
            "/api/v1/changes/{system}", "/hooks/{system}", "/api/v1/records/{type}/{id}", "/api/v1/records/{type}",
            "/api/v1/deliveries", "/api/v1/deliveries/{id}/replay", "/api/v1/log", "/api/v1/health",
            "/api/v1/flows", "/api/v1/flows/{name}", "/api/v1/flows/{name}/runs", "/api/v1/runs", "/api/v1/runs/{id}",
            "/api/v1/runs/{id}/replay", "/api/v1/reports/roi", "/hooks/flows/{flow}",
            "/api/v1/incidents", "/api/v1/incidents/{id}", "/api/v1/incidents/{id}/ack",
            "/api/v1/schemas", "/api/v1/schemas/{system}/{type}/accept",
        })
        {
            Assert.Contains(path, paths);
        }

        var body = doc["paths"]!["/api/v1/changes/{system}"]!["post"]!["requestBody"]!;
        Assert.NotNull(body["content"]!["application/json"]!["schema"]);
        Assert.Equal("ok", await anonymous.GetStringAsync($"{hub.Url}/healthz"));
    }

    [Fact]
    public async Task Health_ReportsRecordsDeliveriesAndCircuitsPerSystem()
    {
        await using var sink = await RecordingSink.StartAsync();
        await using var hub = await HubHarness.StartAsync(TestConfigs.TwoSystems(sink.Url + "/crm", sink.Url + "/sink"));
        await hub.PostChangesAsync("crm", """{"type":"customer","external_id":"c1","fields":{"email":"a@b.co","name":"A"}}""");
        await Eventually.TrueAsync(hub.IsQuietAsync, "the change to be delivered");

        var health = await hub.GetJsonAsync("/api/v1/health");
        Assert.Equal("ok", (string?)health["status"]);
        Assert.Equal(1, (int)health["records"]!["customer"]!);
        var sinkHealth = health["systems"]!.AsArray().Single(s => (string?)s!["name"] == "sink")!;
        Assert.Equal(("closed", 1, 0), ((string?)sinkHealth["circuit"], (int)sinkHealth["attempts"]!, (int)sinkHealth["failed"]!));
    }

    [Fact]
    public async Task Incidents_RefuseBadArguments_AndAnswer404ForUnknownIds()
    {
        await using var sink = await RecordingSink.StartAsync();
        await using var hub = await HubHarness.StartAsync(TestConfigs.TwoSystems(sink.Url + "/crm", sink.Url + "/sink"));
        Assert.Empty((await hub.GetJsonAsync("/api/v1/incidents")).AsArray());

        using var badStatus = await hub.Http.GetAsync($"{hub.Url}/api/v1/incidents?status=closed");
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, badStatus.StatusCode);
        Assert.Contains("status", await badStatus.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var badSince = await hub.Http.GetAsync($"{hub.Url}/api/v1/incidents?since=yesterday");
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, badSince.StatusCode);
        using var unknown = await hub.Http.GetAsync($"{hub.Url}/api/v1/incidents/inc_nope");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, unknown.StatusCode);
        using var ackUnknown = await hub.Http.PostAsync($"{hub.Url}/api/v1/incidents/inc_nope/ack", null);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, ackUnknown.StatusCode);
        using var ackBad = await hub.Http.PostAsync($"{hub.Url}/api/v1/incidents/inc_nope/ack", new StringContent("""{"by": 3}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, ackBad.StatusCode);
    }
}
