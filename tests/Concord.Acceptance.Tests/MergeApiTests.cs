using System.Net;
using System.Text.Json.Nodes;
using Concord.Testing;

namespace Concord.Acceptance.Tests;

/// <summary>A steward merges two customers over the API, the sink hears about it, and the merge is undone.</summary>
public sealed class MergeApiTests : IAsyncLifetime
{
    private RecordingSink _sink = null!;
    private HubHarness _hub = null!;

    public async Task InitializeAsync()
    {
        _sink = await RecordingSink.StartAsync();
        _hub = await HubHarness.StartAsync(TestConfigs.TwoSystems("http://127.0.0.1:9/crm", _sink.Url));
    }

    public async Task DisposeAsync()
    {
        await _hub.DisposeAsync();
        await _sink.DisposeAsync();
    }

    private async Task<string> CustomerAsync(string externalId, string fields)
    {
        using var posted = await _hub.PostChangesAsync("crm", $$"""{"type":"customer","external_id":"{{externalId}}","fields":{{fields}}}""");
        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        return await Eventually.GetAsync(async () =>
            (await _hub.GetJsonAsync($"/api/v1/records/customer?q={externalId}")).AsArray().SingleOrDefault()?["id"]?.ToString(), $"{externalId} in the hub");
    }

    /// <summary>Every delivery has its outcome written: a merge refuses a record with deliveries under way.</summary>
    private Task SettledAsync() => Eventually.TrueAsync(async () =>
        (await _hub.Store.QueryDeliveriesAsync(new Engine.Storage.DeliveryQuery(Engine.Storage.DeliveryStatus.Pending), default)).Count == 0
        && (await _hub.Store.QueryDeliveriesAsync(new Engine.Storage.DeliveryQuery(Engine.Storage.DeliveryStatus.Retrying), default)).Count == 0, "deliveries settled");

    [Fact]
    public async Task MergeThenUndo_OverTheApi()
    {
        var ann = await CustomerAsync("c1", """{"email":"ann@acme.example","name":"Ann Lee"}""");
        var dup = await CustomerAsync("c2", """{"email":"a.lee@acme.example","name":"Ann L.","phone":"+1 415 555 0100"}""");
        await Eventually.TrueAsync(() => _sink.Requests.Count >= 2, "both customers at the sink");
        await SettledAsync();

        using var merged = await _hub.Http.PostAsync($"{_hub.Url}/api/v1/records/customer/{ann}/merge?absorb={dup}", null);
        var merge = JsonNode.Parse(await merged.Content.ReadAsStringAsync())!;
        Assert.Equal(HttpStatusCode.OK, merged.StatusCode);
        var moved = merge["moved_links"]!.AsArray().Select(l => (string)l!).ToList();
        Assert.Contains("crm:c2", moved);

        var survivor = await _hub.GetJsonAsync($"/api/v1/records/customer/{ann}");
        var linksBefore = survivor["links"]!.AsArray().Count;
        Assert.Contains(survivor["links"]!.AsArray(), l => (string?)l!["external_id"] == "c2");
        await Eventually.TrueAsync(() => _sink.Requests.Any(r => r.Raw.Contains(ann, StringComparison.Ordinal) && r.Raw.Contains("+1 415 555 0100", StringComparison.Ordinal)),
            "the sink told of the survivor's gained phone");
        using (var gone = await _hub.Http.GetAsync($"{_hub.Url}/api/v1/records/customer/{dup}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        }

        using var undone = await _hub.Http.PostAsync($"{_hub.Url}/api/v1/merges/{merge["id"]}/undo", null);
        Assert.Equal(HttpStatusCode.OK, undone.StatusCode);
        var back = await _hub.GetJsonAsync($"/api/v1/records/customer/{dup}");
        Assert.Equal(moved.Order(), back["links"]!.AsArray().Select(l => $"{l!["system"]}:{l["external_id"]}").Order());
        Assert.Equal(linksBefore - moved.Count, (await _hub.GetJsonAsync($"/api/v1/records/customer/{ann}"))["links"]!.AsArray().Count);

        using var twice = await _hub.Http.PostAsync($"{_hub.Url}/api/v1/merges/{merge["id"]}/undo", null);
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        using var self = await _hub.Http.PostAsync($"{_hub.Url}/api/v1/records/customer/{ann}/merge?absorb={ann}", null);
        Assert.Equal(HttpStatusCode.Conflict, self.StatusCode);
    }

    private async Task ChangeAsync(string externalId, string fields)
    {
        using var posted = await _hub.PostChangesAsync("crm", $$"""{"type":"customer","external_id":"{{externalId}}","fields":{{fields}}}""");
        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
    }

    private async Task<JsonNode?> OpenDuplicateAsync(string record) =>
        (await _hub.GetJsonAsync($"/api/v1/findings?kind=possible-duplicate&record={record}")).AsArray().FirstOrDefault();

    [Fact]
    public async Task TheReviewQueue_ApprovesIntoAMerge_AndRemembersARejection()
    {
        var bo = await CustomerAsync("c3", """{"email":"bo@globex.example","name":"Bo Diaz"}""");
        var other = await CustomerAsync("c4", """{"email":"bo.d@globex.example","name":"B. Diaz"}""");
        await ChangeAsync("c4", """{"email":"Bo@Globex.example"}""");
        var proposal = await Eventually.GetAsync(() => OpenDuplicateAsync(other), "a possible duplicate");
        await SettledAsync();
        Assert.Equal(bo, (string?)proposal!["other_record_id"]);

        using var approved = await _hub.Http.PostAsync($"{_hub.Url}/api/v1/findings/{proposal["id"]}/approve", null);
        var outcome = JsonNode.Parse(await approved.Content.ReadAsStringAsync())!;
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        Assert.Equal(bo, (string?)outcome["merge"]!["survivor_id"]);
        Assert.Equal(other, (string?)outcome["merge"]!["absorbed_id"]);
        Assert.Null(await OpenDuplicateAsync(other));

        var cy = await CustomerAsync("c5", """{"email":"cy@initech.example","name":"Cy Park"}""");
        var twin = await CustomerAsync("c6", """{"email":"cy.twin@initech.example","name":"Cy Park"}""");
        await ChangeAsync("c6", """{"email":"cy@initech.example"}""");
        var wrong = await Eventually.GetAsync(() => OpenDuplicateAsync(twin), "a second proposal");
        using var rejected = await _hub.Http.PostAsync($"{_hub.Url}/api/v1/findings/{wrong!["id"]}/reject", null);
        Assert.Equal(HttpStatusCode.OK, rejected.StatusCode);

        // The same two records are never proposed again.
        await ChangeAsync("c6", """{"email":"cy.twin@initech.example"}""");
        await ChangeAsync("c6", """{"email":"CY@initech.example"}""");
        await Eventually.TrueAsync(async () => (await _hub.GetJsonAsync($"/api/v1/records/customer/{twin}"))["fields"]!["email"]!["value"]!.ToString() == "CY@initech.example",
            "the last change applied");
        Assert.Null(await OpenDuplicateAsync(twin));
        Assert.NotNull(await _hub.GetJsonAsync($"/api/v1/records/customer/{cy}"));

        using var again = await _hub.Http.PostAsync($"{_hub.Url}/api/v1/findings/{wrong["id"]}/approve", null);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }
}
