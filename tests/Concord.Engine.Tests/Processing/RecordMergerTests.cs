using System.Text;
using System.Text.Json;
using Concord.Core.Records;
using Concord.Core.Sync;
using Concord.Engine.Intake;
using Concord.Engine.Processing;
using Concord.Engine.Storage;
using Concord.Storage.Sqlite;
using Concord.Testing;

namespace Concord.Engine.Tests.Processing;

/// <summary>Merging two golden records that are one customer, and undoing it exactly.</summary>
public sealed class RecordMergerTests : IAsyncLifetime
{
    private const string Yaml = """
        version: 1
        systems:
          crm: { kind: http, settings: { url: "http://127.0.0.1:1/crm", webhook_secret: { env: S } } }
          books: { kind: http, settings: { url: "http://127.0.0.1:1/books" } }
        entities:
          customer: { owner: crm, identity: [email] }
        syncs:
          - { system: crm, type: customer, direction: two-way }
          - { system: books, type: customer, direction: push }
        """;

    private PipelineRig _rig = null!;

    private SqliteHubStore _store => _rig.Store;

    private ManualTimeProvider _time => _rig.Time;

    private RecordMerger _merger => _rig.Merger;

    public async Task InitializeAsync() => _rig = await PipelineRig.StartAsync(Yaml);

    public async Task DisposeAsync() => await _rig.DisposeAsync();

    private async Task<string> SendAsync(string json)
    {
        await _rig.SendAsync("crm", json);
        var externalId = System.Text.Json.Nodes.JsonNode.Parse(json)!["external_id"]!.ToString();
        return (await _store.SearchAsync("customer", externalId, 5, default)).Single().Id;
    }

    private static string Json(GoldenRecord r) => JsonSerializer.Serialize(r, JsonText.Options);

    [Fact]
    public async Task AMerge_MovesLinksAndFillsGaps_AndItsUndoRestoresBothExactly()
    {
        var ann = await SendAsync("""{"type":"customer","external_id":"c1","fields":{"email":"ann@acme.example","name":"Ann Lee"}}""");
        var dup = await SendAsync("""{"type":"customer","external_id":"c2","fields":{"email":"a.lee@acme.example","name":"Ann L.","phone":"+1 415 555 0100"}}""");
        var annBefore = Json((await _store.GetRecordAsync(ann, default))!);
        var dupBefore = Json((await _store.GetRecordAsync(dup, default))!);
        var deliveriesBefore = (await _store.QueryDeliveriesAsync(new DeliveryQuery(System: "books"), default)).Count;

        var merged = await _store.ExecuteAsync(tx => _merger.Merge(tx, "customer", ann, dup, "steward"), default);

        var survivor = (await _store.GetRecordAsync(ann, default))!;
        Assert.Null(await _store.GetRecordAsync(dup, default));
        Assert.Equal("Ann Lee", survivor.ValueOf("name")?.ToString());
        Assert.Equal("+1 415 555 0100", survivor.ValueOf("phone")?.ToString());
        Assert.Equal(["c1", "c2"], (await _store.GetLinksAsync(ann, default)).Select(l => l.ExternalId).Order());
        Assert.Equal(1, merged.Deliveries);
        var owed = (await _store.QueryDeliveriesAsync(new DeliveryQuery(System: "books"), default)).OrderBy(d => d.Id).Last();
        Assert.Equal(ann, owed.RecordId);
        Assert.Contains("phone", owed.Changed, StringComparison.Ordinal);
        Assert.Equal(deliveriesBefore + 1, (await _store.QueryDeliveriesAsync(new DeliveryQuery(System: "books"), default)).Count);

        // A later change from either id lands on the survivor.
        await SendAsync("""{"type":"customer","external_id":"c2","fields":{"city":"Leeds"}}""");
        Assert.Null(await _store.GetRecordAsync(dup, default));

        var undone = await _store.ExecuteAsync(tx => _merger.Unmerge(tx, merged.Merge.Id), default);

        Assert.NotNull(undone.Merge.UndoneAt);
        Assert.Equal(dupBefore, Json((await _store.GetRecordAsync(dup, default))!));
        var restored = (await _store.GetRecordAsync(ann, default))!;
        var expected = JsonSerializer.Deserialize<GoldenRecord>(annBefore, JsonText.Options)!;
        Assert.Equal(expected.Fields.Keys.Order(), restored.Fields.Keys.Order());
        Assert.True(restored.Version > expected.Version);
        Assert.Equal(["c1"], (await _store.GetLinksAsync(ann, default)).Select(l => l.ExternalId));
        Assert.Equal(["c2"], (await _store.GetLinksAsync(dup, default)).Select(l => l.ExternalId));
        Assert.Equal(dup, await _store.ExecuteAsync(tx => tx.FindByIdentity("customer", "email", "a.lee@acme.example"), default));

        var again = await Assert.ThrowsAsync<MergeRefusedException>(() => _store.ExecuteAsync(tx => _merger.Unmerge(tx, merged.Merge.Id), default));
        Assert.Contains("undone already", again.Message, StringComparison.Ordinal);
        Assert.Equal(2, (await _store.GetMergesAsync(ann, default)).Count + (await _store.GetMergesAsync(dup, default)).Count);
    }

    [Fact]
    public async Task AMergeOfARecordWithItself_OrOfAMissingOne_IsRefusedAndChangesNothing()
    {
        var ann = await SendAsync("""{"type":"customer","external_id":"c1","fields":{"email":"ann@acme.example","name":"Ann Lee"}}""");

        await Assert.ThrowsAsync<MergeRefusedException>(() => _store.ExecuteAsync(tx => _merger.Merge(tx, "customer", ann, ann, "steward"), default));
        var missing = await Assert.ThrowsAsync<MergeRefusedException>(() => _store.ExecuteAsync(tx => _merger.Merge(tx, "customer", ann, "rec_nope", "steward"), default));
        Assert.True(missing.NotFound);
        Assert.Equal(1, (await _store.GetRecordAsync(ann, default))!.Version);
        Assert.Empty(await _store.GetMergesAsync(ann, default));
    }

    [Fact]
    public async Task AnOlderMerge_IsUndoneOnlyAfterTheLaterOneIntoTheSameSurvivor()
    {
        var ann = await SendAsync("""{"type":"customer","external_id":"c1","fields":{"email":"ann@acme.example","name":"Ann Lee"}}""");
        var two = await SendAsync("""{"type":"customer","external_id":"c2","fields":{"email":"a.lee@acme.example","name":"Ann L.","phone":"+1 415 555 0100"}}""");
        var three = await SendAsync("""{"type":"customer","external_id":"c3","fields":{"email":"lee.a@acme.example","name":"A. Lee","city":"Leeds"}}""");
        var first = await _store.ExecuteAsync(tx => _merger.Merge(tx, "customer", ann, two, "steward"), default);
        var second = await _store.ExecuteAsync(tx => _merger.Merge(tx, "customer", ann, three, "steward"), default);

        var refused = await Assert.ThrowsAsync<MergeRefusedException>(() => _store.ExecuteAsync(tx => _merger.Unmerge(tx, first.Merge.Id), default));
        Assert.Contains(second.Merge.Id, refused.Message, StringComparison.Ordinal);

        await _store.ExecuteAsync(tx => _merger.Unmerge(tx, second.Merge.Id), default);
        await _store.ExecuteAsync(tx => _merger.Unmerge(tx, first.Merge.Id), default);

        Assert.Equal(["c1"], (await _store.GetLinksAsync(ann, default)).Select(l => l.ExternalId));
        Assert.Equal(["c2"], (await _store.GetLinksAsync(two, default)).Select(l => l.ExternalId));
        Assert.Equal(["c3"], (await _store.GetLinksAsync(three, default)).Select(l => l.ExternalId));
        Assert.Null((await _store.GetRecordAsync(ann, default))!.ValueOf("phone"));
    }
}
