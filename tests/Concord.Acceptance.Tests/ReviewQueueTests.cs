using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Concord.Testing;

namespace Concord.Acceptance.Tests;

/// <summary>
/// A person works the review queue over HTTP: look-alike companies come in as a cluster, each
/// pair shows both records side by side with the matcher's reasons, and bulk actions approve
/// and reject; a rejected pair is not proposed again.
/// </summary>
public sealed class ReviewQueueTests : IAsyncLifetime
{
    private RecordingSink _sink = null!;
    private HubHarness _hub = null!;

    public async Task InitializeAsync()
    {
        _sink = await RecordingSink.StartAsync();
        var yaml = TestConfigs.TwoSystems("http://127.0.0.1:9/crm", _sink.Url)
            .Replace("  customer:\n    owner: crm\n    identity: [email]", "  company:\n    owner: crm\n    matching: { model: company, merge: 0.95, review: 0.5 }", StringComparison.Ordinal)
            .Replace("type: customer", "type: company", StringComparison.Ordinal);
        _hub = await HubHarness.StartAsync(yaml);
    }

    public async Task DisposeAsync()
    {
        await _hub.DisposeAsync();
        await _sink.DisposeAsync();
    }

    private async Task CompanyAsync(string externalId, string fields)
    {
        using var posted = await _hub.PostChangesAsync("crm", $$"""{"type":"company","external_id":"{{externalId}}","fields":{{fields}}}""");
        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
    }

    [Fact]
    public async Task LookAlikes_FormACluster_ShownSideBySide_AndBulkActionsDecideThem()
    {
        await CompanyAsync("1", """{"name":"Acme Corp","domain":"acme.com","city":"Springfield"}""");
        await CompanyAsync("2", """{"name":"ACME Corporation","city":"Springfield"}""");
        await CompanyAsync("3", """{"name":"Acme Corp.","city":"Springfield","phone":"+1 217 555 0100"}""");

        var cluster = await Eventually.GetAsync(async () =>
            (await _hub.GetJsonAsync("/api/v1/review?type=company")).AsArray().SingleOrDefault(c => c!["records"]!.AsArray().Count == 3), "one cluster of three");
        var findings = cluster!["findings"]!.AsArray().Select(f => (string)f!["id"]!).ToList();
        Assert.Equal(3, findings.Count);

        var detail = await _hub.GetJsonAsync($"/api/v1/findings/{findings[0]}");
        var comparison = detail["comparison"]!;
        Assert.InRange((double)comparison["probability"]!, 0.5, 0.95);
        Assert.Equal("priors", (string?)comparison["parameters"]);
        var name = comparison["matcher"]!.AsArray().Single(f => (string?)f!["field"] == "name")!;
        Assert.Equal("exact", (string?)name["agreement"]);
        Assert.True((double)name["weight"]! > 0);
        Assert.Equal(2, comparison["fields"]!["city"]!.AsArray().Count(v => (string?)v == "Springfield"));

        using var rejected = await _hub.Http.PostAsJsonAsync($"{_hub.Url}/api/v1/findings/reject", new { ids = findings.Skip(1).Append("fnd_nope").ToList() });
        var rejectedOutcomes = JsonNode.Parse(await rejected.Content.ReadAsStringAsync())!.AsArray();
        Assert.Equal(["rejected", "rejected", "not-found"], rejectedOutcomes.Select(o => (string)o!["outcome"]!));

        using var approved = await _hub.Http.PostAsJsonAsync($"{_hub.Url}/api/v1/findings/approve", new { ids = new[] { findings[0] } });
        var merge = JsonNode.Parse(await approved.Content.ReadAsStringAsync())!.AsArray().Single()!["merge"]!;
        Assert.NotNull((string?)merge["id"]);

        Assert.Empty((await _hub.GetJsonAsync("/api/v1/review?type=company")).AsArray());
        Assert.Equal(2, (await _hub.GetJsonAsync("/api/v1/records/company?q=acme")).AsArray().Count);

        // Changed values are matched again; the pairs a person rejected stay rejected.
        await CompanyAsync("3", """{"city":"Springfield IL"}""");
        await Eventually.TrueAsync(async () => await _hub.IsQuietAsync(), "the change processed");
        var reopened = (await _hub.GetJsonAsync("/api/v1/findings?kind=possible-duplicate")).AsArray();
        Assert.DoesNotContain(reopened, f => findings.Skip(1).Contains((string)f!["id"]!));
    }

    [Fact]
    public async Task BulkActionsNeedIds()
    {
        using var empty = await _hub.Http.PostAsJsonAsync($"{_hub.Url}/api/v1/findings/approve", new { ids = Array.Empty<string>() });
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
    }
}
