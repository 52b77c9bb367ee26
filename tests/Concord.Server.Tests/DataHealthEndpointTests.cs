using System.Net;
using System.Text.Json.Nodes;
using Concord.Server.Metrics;
using Concord.Testing;

namespace Concord.Server.Tests;

/// <summary>Data health through the real server: GET /api/v1/health's <c>data</c>, the history, and /metrics read back by a strict parser.</summary>
public sealed class DataHealthEndpointTests : IAsyncLifetime
{
    private RecordingSink _sink = null!;
    private HubHarness _hub = null!;

    public async Task InitializeAsync()
    {
        _sink = await RecordingSink.StartAsync();
        _hub = await HubHarness.StartAsync(TestConfigs.TwoSystems("http://127.0.0.1:9/crm", _sink.Url));

        // Ann is complete; Bob has no name.
        using (var posted = await _hub.PostChangesAsync("crm", """
            [{"type":"customer","external_id":"c1","fields":{"email":"ann@acme.example","name":"Ann"}},
             {"type":"customer","external_id":"c2","fields":{"email":"bob@acme.example"}}]
            """))
        {
            Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        }

        await Eventually.TrueAsync(_hub.IsQuietAsync, "changes processed and delivered");
    }

    public async Task DisposeAsync()
    {
        await _hub.DisposeAsync();
        await _sink.DisposeAsync();
    }

    [Fact]
    public async Task TheHealthEndpoint_KeepsItsFields_AndAddsDataHealth()
    {
        await _hub.Hub.Runtime.DataHealth.MeasureAsync(default);
        var health = await _hub.GetJsonAsync("/api/v1/health");

        Assert.Equal(2, (long)health["records"]!["customer"]!);
        Assert.NotNull(health["deliveries"]!["pending"]);
        Assert.NotNull(health["systems"]);
        var data = health["data"]!;
        Assert.Equal(0.95, (double)data["target"]!);
        var customer = data["types"]!.AsArray().Single(t => (string?)t!["type"] == "customer")!;
        Assert.Equal(2, (long)customer["records"]!);
        Assert.Equal(1, (long)customer["complete"]!);
        Assert.Equal(0.5, (double)customer["completeness"]!);
        Assert.Equal(1, (long)customer["fields"]!.AsArray().Single(f => (string?)f!["field"] == "name")!["missing"]!);
        Assert.True((bool)customer["below_target"]!);
        Assert.Contains("customer", data["below_target"]!.AsArray().Select(n => (string?)n));
        Assert.Contains("overall", data["below_target"]!.AsArray().Select(n => (string?)n));
        Assert.Contains(data["systems"]!.AsArray(), s => (string?)s!["system"] == "crm" && s["last_change_at"] is not null);
    }

    [Fact]
    public async Task TheHistory_ServesTheRecordedPointsOfOneMetric()
    {
        await _hub.Hub.Runtime.DataHealth.RecordAsync(default);

        var history = await _hub.GetJsonAsync("/api/v1/health/history?metric=missing&type=customer");
        var points = history["points"]!.AsArray();
        Assert.NotEmpty(points);
        var last = points.Last(p => (string?)p!["field"] == "name")!;
        Assert.Equal(1, (double)last["value"]!);
        Assert.Equal("customer", (string?)last["type"]);

        var overall = (await _hub.GetJsonAsync("/api/v1/health/history?metric=score&type=overall"))["points"]!.AsArray();
        Assert.NotEmpty(overall);
        Assert.All(overall, p => Assert.Equal("overall", (string?)p!["type"]));

        using var bad = await _hub.Http.GetAsync($"{_hub.Url}/api/v1/health/history?metric=happiness");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("score", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_AreServedInPrometheusText_ToAKeyHolderOnly()
    {
        using var anonymous = new HttpClient();
        using (var refused = await anonymous.GetAsync($"{_hub.Url}/metrics"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        // The endpoint answers from a measurement up to 15 s old; the one taken at start saw no records yet.
        await _hub.Hub.Runtime.DataHealth.MeasureAsync(default);
        using var response = await _hub.Http.GetAsync($"{_hub.Url}/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        var families = PrometheusParser.Parse(await response.Content.ReadAsStringAsync());

        Assert.All(families.Keys, name => Assert.StartsWith("concord_", name, StringComparison.Ordinal));
        Assert.Equal("gauge", families["concord_records"].Type);
        Assert.Equal("counter", families["concord_merges_total"].Type);
        Assert.Equal("gauge", families["concord_data_health_score"].Type);
        Assert.Equal(2, Value(families, "concord_records", ("type", "customer")));
        Assert.Equal(1, Value(families, "concord_records_complete", ("type", "customer")));
        Assert.Equal(1, Value(families, "concord_field_missing_records", ("type", "customer"), ("field", "name")));
        Assert.Equal(0, Value(families, "concord_field_missing_records", ("type", "customer"), ("field", "email")));
        Assert.Equal(0.95, Value(families, "concord_data_health_target_overall"));
        Assert.Equal(0, Value(families, "concord_inbox_backlog"));
        Assert.Equal(0, Value(families, "concord_deliveries", ("system", "sink"), ("status", "dead")));
        Assert.Equal(0, Value(families, "concord_circuit_open", ("system", "sink")));
        Assert.True(Value(families, "concord_delivery_attempts_window", ("system", "sink")) >= 2);
        Assert.All(families.Values.Where(f => f.Type == "counter"), f => Assert.EndsWith("_total", f.Name, StringComparison.Ordinal));
    }

    [Fact]
    public void LabelValuesAndHelp_AreEscaped_AndReadBackAsWritten()
    {
        var text = new PrometheusText();
        const string tricky = "a \"quoted\" back\\slash\nand a new line";
        text.Gauge("concord_test", "Help with a back\\slash\nand a line.", [new Sample(1.5, ("field", tricky), ("system", "plain"))]);
        text.Counter("concord_things_total", "Things.", [new Sample(3)]);
        text.Gauge("concord_nothing", "No value yet.", double.NaN);
        Assert.Throws<ArgumentException>(() => text.Counter("concord_things", "Not a counter name.", []));

        var written = text.ToString();
        Assert.Contains("concord_test{field=\"a \\\"quoted\\\" back\\\\slash\\nand a new line\",system=\"plain\"} 1.5\n", written, StringComparison.Ordinal);
        var families = PrometheusParser.Parse(written);
        var sample = Assert.Single(families["concord_test"].Samples);
        Assert.Equal(tricky, sample.Labels["field"]);
        Assert.Equal("Help with a back\\slash\nand a line.", families["concord_test"].Help);
        Assert.Equal("counter", families["concord_things_total"].Type);
        Assert.True(double.IsNaN(Assert.Single(families["concord_nothing"].Samples).Value));
    }

    private static double Value(Dictionary<string, MetricFamily> families, string name, params (string Label, string Value)[] labels) =>
        families[name].Samples.Single(s => s.Labels.Count == labels.Length && labels.All(l => s.Labels.GetValueOrDefault(l.Label) == l.Value)).Value;
}
