using System.Text.Json;
using Concord.Core.Records;
using Concord.Engine.Processing;
using Concord.Engine.Storage;
using Concord.Storage.Sqlite;
using Concord.Testing;

namespace Concord.Engine.Tests.Processing;

/// <summary>Survivorship and steward overrides through the pipeline: what becomes golden, what is delivered, and merges.</summary>
public sealed class SurvivorshipPipelineTests : IAsyncLifetime
{
    private const string Yaml = """
        version: 1
        systems:
          crm: { kind: http, settings: { url: "http://127.0.0.1:1/crm", webhook_secret: { env: S } } }
          billing: { kind: http, settings: { url: "http://127.0.0.1:1/billing", webhook_secret: { env: S } } }
          books: { kind: http, settings: { url: "http://127.0.0.1:1/books", webhook_secret: { env: S } } }
          shop: { kind: http, settings: { url: "http://127.0.0.1:1/shop" } }
        entities:
          customer:
            owner: crm
            fill_in: true
            identity: [email]
            survivorship:
              rank: [billing, books]
              then: [recency, completeness]
        syncs:
          - { system: crm, type: customer, direction: two-way }
          - { system: billing, type: customer, direction: pull }
          - { system: books, type: customer, direction: pull }
          - { system: shop, type: customer, direction: push }
        """;

    private PipelineRig _rig = null!;
    private StewardEditor _steward = null!;

    private SqliteHubStore Store => _rig.Store;

    public async Task InitializeAsync()
    {
        _rig = await PipelineRig.StartAsync(Yaml);
        _steward = new StewardEditor(_rig.Plan, _rig.Time);
    }

    public async Task DisposeAsync() => await _rig.DisposeAsync();

    private async Task<string> SendAsync(string system, string externalId, string fields)
    {
        await _rig.SendAsync(system, $$"""{"type":"customer","external_id":"{{externalId}}","fields":{{fields}}}""");
        return (await Store.SearchAsync("customer", externalId, 5, default)).Single().Id;
    }

    private async Task<GoldenRecord> RecordAsync(string id) => (await Store.GetRecordAsync(id, default))!;

    /// <summary>Deliveries owed to <paramref name="system"/> for a record, oldest first.</summary>
    private async Task<List<Delivery>> DeliveriesAsync(string system, string record) =>
        [.. (await Store.QueryDeliveriesAsync(new DeliveryQuery(System: system, RecordId: record, Limit: 1000), default)).OrderBy(d => d.Id)];

    private static string Json(GoldenRecord r) => JsonSerializer.Serialize(r, JsonText.Options);

    [Fact]
    public async Task ABetterRankedSystem_ReplacesAFilledInValue_AndReceiversHearOfIt()
    {
        var id = await SendAsync("books", "b1", """{"email":"ann@acme.example","phone":"+1 415 555 0100"}""");
        Assert.Equal("books", (await RecordAsync(id)).Fields["phone"].System);
        var before = (await DeliveriesAsync("shop", id)).Count;

        await SendAsync("billing", "s1", """{"email":"ann@acme.example","phone":"+1 415 555 0199"}""");
        var record = await RecordAsync(id);
        Assert.Equal(("billing", "+1 415 555 0199"), (record.Fields["phone"].System, record.ValueOf("phone")?.ToString()));
        var shop = await DeliveriesAsync("shop", id);
        Assert.Equal(before + 1, shop.Count);
        Assert.Contains("+1 415 555 0199", shop[^1].Payload, StringComparison.Ordinal);

        // Books speaks again, newer but ranked lower: nothing changes, nothing is sent.
        await SendAsync("books", "b1", """{"phone":"+1 415 555 0123"}""");
        Assert.Equal("+1 415 555 0199", (await RecordAsync(id)).ValueOf("phone")?.ToString());
        Assert.Equal(before + 1, (await DeliveriesAsync("shop", id)).Count);
    }

    [Fact]
    public async Task AnOverride_BeatsALaterOwnerChange_IsDeliveredToTheOwnerToo_AndClearingBringsBackTheOwnersValue()
    {
        var id = await SendAsync("crm", "c1", """{"email":"ann@acme.example","name":"Ann Lee"}""");
        var crmBefore = (await DeliveriesAsync("crm", id)).Count;

        var set = await Store.ExecuteAsync(tx => _steward.Set(tx, "customer", id, "name", "Ann Lee-Smith", "pat", "married; per signed contract"), default);
        Assert.Equal(2, set.Deliveries);
        Assert.Contains("Ann Lee-Smith", (await DeliveriesAsync("crm", id))[^1].Payload, StringComparison.Ordinal);
        Assert.Contains("Ann Lee-Smith", (await DeliveriesAsync("shop", id))[^1].Payload, StringComparison.Ordinal);
        Assert.Equal(crmBefore + 1, (await DeliveriesAsync("crm", id)).Count);

        // The owner insists: its value is kept and shown as a conflict, the override stands, nobody is sent anything.
        var shopCount = (await DeliveriesAsync("shop", id)).Count;
        await SendAsync("crm", "c1", """{"name":"Ann Lee"}""");
        var record = await RecordAsync(id);
        Assert.Equal(("Ann Lee-Smith", "steward", "pat"), (record.ValueOf("name")?.ToString(), record.Fields["name"].System, record.Fields["name"].Override?.By));
        Assert.Equal("Ann Lee", record.Observations["name"]["crm"].Value?.ToString());
        Assert.Equal(shopCount, (await DeliveriesAsync("shop", id)).Count);

        var cleared = await Store.ExecuteAsync(tx => _steward.Clear(tx, "customer", id, "name", "pat", "contract was wrong"), default);
        record = await RecordAsync(id);
        Assert.Equal(("Ann Lee", "crm", null), (record.ValueOf("name")?.ToString(), record.Fields["name"].System, record.Fields["name"].Override));
        Assert.Equal(2, cleared.Deliveries);
        Assert.Contains("\"Ann Lee\"", (await DeliveriesAsync("crm", id))[^1].Payload, StringComparison.Ordinal);
        Assert.Contains("\"Ann Lee\"", (await DeliveriesAsync("shop", id))[^1].Payload, StringComparison.Ordinal);

        var history = await Store.GetHistoryAsync(id, 10, default);
        var setEvent = history.Single(e => e.Kind == "override-set");
        Assert.Equal(("steward", "pat", "married; per signed contract"), (setEvent.System, setEvent.Changes.Single().By, setEvent.Changes.Single().Reason));
        Assert.Equal("contract was wrong", history.Single(e => e.Kind == "override-cleared").Changes.Single().Reason);

        var again = await Assert.ThrowsAsync<OverrideRefusedException>(() => Store.ExecuteAsync(tx => _steward.Clear(tx, "customer", id, "name", "pat", ""), default));
        Assert.False(again.NotFound);
        Assert.True((await Assert.ThrowsAsync<OverrideRefusedException>(() => Store.ExecuteAsync(tx => _steward.Set(tx, "customer", "rec_nope", "name", "x", "pat", "r"), default))).NotFound);
    }

    [Fact]
    public async Task AMerge_ChoosesBySurvivorship_AndItsUndoRestoresBothExactly_OverridesIncluded()
    {
        var ann = await SendAsync("crm", "c1", """{"email":"ann@acme.example","name":"Ann Lee"}""");
        await SendAsync("books", "b1", """{"email":"ann@acme.example","phone":"+1 111"}""");
        var dup = await SendAsync("crm", "c2", """{"email":"a.lee@acme.example","name":"Ann Lee-Smith","city":"Leeds"}""");
        await SendAsync("billing", "s2", """{"email":"a.lee@acme.example","phone":"+1 222"}""");
        await Store.ExecuteAsync(tx => _steward.Set(tx, "customer", ann, "title", "CTO", "pat", "from the board minutes"), default);
        await Store.ExecuteAsync(tx => _steward.Set(tx, "customer", dup, "title", "CEO", "sam", "from LinkedIn"), default);
        await Store.ExecuteAsync(tx => _steward.Set(tx, "customer", dup, "city", "York", "sam", "moved"), default);
        var annBefore = await RecordAsync(ann);
        var dupBefore = Json(await RecordAsync(dup));

        var merged = await Store.ExecuteAsync(tx => _rig.Merger.Merge(tx, "customer", ann, dup, "pat"), default);

        var survivor = await RecordAsync(ann);
        // Both are the owner's values: the newer one wins.
        Assert.Equal(("Ann Lee-Smith", "a.lee@acme.example"), (survivor.ValueOf("name")?.ToString(), survivor.ValueOf("email")?.ToString()));
        Assert.Equal(("billing", "+1 222"), (survivor.Fields["phone"].System, survivor.ValueOf("phone")?.ToString()));
        Assert.Equal(("CTO", "pat"), (survivor.ValueOf("title")?.ToString(), survivor.Fields["title"].Override?.By));
        Assert.Equal(("York", "sam"), (survivor.ValueOf("city")?.ToString(), survivor.Fields["city"].Override?.By));
        Assert.Equal("+1 111", survivor.Observations["phone"]["books"].Value?.ToString());
        var owed = (await DeliveriesAsync("shop", ann))[^1];
        Assert.Equal(["city", "email", "name", "phone"], JsonSerializer.Deserialize<List<string>>(owed.Changed)!.Order());

        // An override set on the survivor after the merge is kept by the undo.
        _rig.Time.Advance(TimeSpan.FromSeconds(1));
        await Store.ExecuteAsync(tx => _steward.Set(tx, "customer", ann, "region", "West Yorkshire", "pat", "checked the address"), default);
        await Store.ExecuteAsync(tx => _rig.Merger.Unmerge(tx, merged.Merge.Id), default);

        Assert.Equal(dupBefore, Json(await RecordAsync(dup)));
        var restored = await RecordAsync(ann);
        Assert.Equal("West Yorkshire", restored.ValueOf("region")?.ToString());
        restored.Fields.Remove("region");
        restored.Version = annBefore.Version;
        restored.UpdatedAt = annBefore.UpdatedAt;
        Assert.Equal(Json(annBefore), Json(restored));
    }
}
