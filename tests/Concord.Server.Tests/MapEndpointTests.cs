using System.Net;
using System.Xml.Linq;
using Concord.Testing;

namespace Concord.Server.Tests;

/// <summary><c>GET /map</c> and <c>GET /map.mmd</c> through the real server: the key they need, their content types, and live colours.</summary>
public sealed class MapEndpointTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    [Fact]
    public async Task The_map_needs_an_api_key()
    {
        await using var sink = await RecordingSink.StartAsync();
        await using var hub = await HubHarness.StartAsync(TestConfigs.TwoSystems(sink.Url + "/crm", sink.Url + "/sink"));
        using var anonymous = new HttpClient();

        foreach (var path in new[] { "/map", "/map.mmd" })
        {
            using var response = await anonymous.GetAsync(hub.Url + path);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.DoesNotContain("crm", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);

            using var request = new HttpRequestMessage(HttpMethod.Get, hub.Url + path);
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "ck_not-a-key");
            using var wrong = await anonymous.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }
    }

    [Fact]
    public async Task A_system_with_dead_deliveries_is_drawn_degraded_and_a_healthy_one_healthy_in_the_overviews_words()
    {
        await using var sink = await RecordingSink.StartAsync();
        sink.Behavior = _ => new SinkAnswer(400, """{"error":"rejected"}""");
        await using var hub = await HubHarness.StartAsync(TestConfigs.TwoSystems(sink.Url + "/crm", sink.Url + "/sink"));
        using var posted = await hub.PostChangesAsync("crm", """{"type":"customer","external_id":"c1","fields":{"email":"a@b.co","name":"A"}}""");
        Assert.True(posted.IsSuccessStatusCode);
        await Eventually.TrueAsync(async () => (await hub.Store.GetHealthAsync(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5), default)).DeliveriesDead == 1, "the delivery to be dead-lettered");

        using var response = await hub.Http.GetAsync(hub.Url + "/map");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/svg+xml", response.Content.Headers.ContentType!.MediaType);
        var doc = XDocument.Parse(text);
        var boxes = doc.Descendants(Svg + "rect").Where(r => r.Element(Svg + "title") is not null)
            .ToDictionary(r => r.Element(Svg + "title")!.Value.Split(' ')[0], r => (string?)r.Attribute("class"));
        Assert.Equal("system system-degraded", boxes["sink"]);
        Assert.Equal("system system-healthy", boxes["crm"]);
        Assert.Contains(doc.Descendants(Svg + "title"), t => t.Value.StartsWith("sink (http)", StringComparison.Ordinal) && t.Value.EndsWith("degraded: 1 dead delivery", StringComparison.Ordinal));
        var sinkEdge = doc.Descendants(Svg + "path").Single(p => (string?)p.Attribute("data-system") == "sink");
        Assert.Equal("edge edge-degraded", (string?)sinkEdge.Attribute("class"));
        var texts = doc.Descendants(Svg + "text").Select(t => t.Value).ToList();
        Assert.Contains("▲ degraded", texts);
        Assert.Contains("✓ healthy", texts);
        Assert.Contains(texts, t => t.StartsWith("Live at ", StringComparison.Ordinal));

        using var mermaid = await hub.Http.GetAsync(hub.Url + "/map.mmd");
        var mmd = await mermaid.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, mermaid.StatusCode);
        Assert.Equal("text/vnd.mermaid", mermaid.Content.Headers.ContentType!.MediaType);
        Assert.StartsWith("flowchart LR\n", mmd, StringComparison.Ordinal);
        Assert.Contains("class s1 degraded", mmd, StringComparison.Ordinal);
        Assert.Contains("class s0 healthy", mmd, StringComparison.Ordinal);
    }
}
