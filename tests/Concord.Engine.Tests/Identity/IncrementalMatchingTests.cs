using Concord.Engine.Processing;
using Concord.Engine.Storage;
using Concord.Storage.Sqlite;

namespace Concord.Engine.Tests.Identity;

/// <summary>
/// The probabilistic step of resolution: records that share no identity key but are one business
/// are merged as they arrive, unsure pairs go to review, and references follow a merge and its undo.
/// </summary>
public sealed class IncrementalMatchingTests : IAsyncLifetime
{
    private const string Yaml = """
        version: 1
        systems:
          crm: { kind: http, settings: { url: "http://127.0.0.1:1/crm", webhook_secret: { env: S } } }
          billing: { kind: http, settings: { url: "http://127.0.0.1:1/billing", webhook_secret: { env: S } } }
        entities:
          company: { owner: crm }
          customer:
            owner: billing
            identity: [email]
            matching: { model: company, merge: 0.95, review: 0.5 }
          subscription: { owner: billing }
        syncs:
          - { system: crm, type: company, direction: two-way }
          - { system: billing, type: customer, direction: two-way }
          - { system: billing, type: subscription, direction: pull }
        """;

    private PipelineRig _rig = null!;

    private SqliteHubStore Store => _rig.Store;

    public async Task InitializeAsync() => _rig = await PipelineRig.StartAsync(Yaml);

    public async Task DisposeAsync() => await _rig.DisposeAsync();

    private async Task<IReadOnlyList<string>> LiveAsync(string type)
    {
        var ids = new List<string>();
        await foreach (var record in Store.ReadRecordsAsync(type, default))
        {
            ids.Add(record.Id);
        }

        return ids;
    }

    private Task<IReadOnlyList<Finding>> OpenAsync(string kind) => Store.QueryFindingsAsync(new FindingQuery(Kind: kind), default);

    [Fact]
    public async Task ACompanyEnteredAgainWithATypoedDomain_IsMergedOnArrival_KeepingBothLinks()
    {
        await _rig.SendAsync("crm", """{"type":"company","external_id":"1","fields":{"name":"Acme Corp","domain":"acme.com","address_line1":"1 Market St","city":"Springfield"}}""");
        await _rig.SendAsync("crm", """{"type":"company","external_id":"3","fields":{"name":"Acme Corp.","domain":"acmee.com","address_line1":"1 Market Street","city":"Springfield"}}""");

        var survivor = Assert.Single(await LiveAsync("company"));
        Assert.Equal(["1", "3"], (await Store.GetLinksAsync(survivor, default)).Select(l => l.ExternalId).Order());
        var merge = Assert.Single(await Store.GetMergesAsync(survivor, default));
        Assert.Equal(MatchStage.MergedBy, merge.By);
        Assert.Equal("acme.com", (await Store.GetRecordAsync(survivor, default))!.ValueOf("domain")?.ToString());
    }

    [Fact]
    public async Task APairBetweenTheThresholds_GoesToReview_WithItsProbabilityAndReasons()
    {
        await _rig.SendAsync("crm", """{"type":"company","external_id":"1","fields":{"name":"Acme Corp","domain":"acme.com","city":"Springfield"}}""");
        await _rig.SendAsync("crm", """{"type":"company","external_id":"2","fields":{"name":"ACME Corporation","city":"Springfield"}}""");

        Assert.Equal(2, (await LiveAsync("company")).Count);
        var finding = Assert.Single(await OpenAsync("possible-duplicate"));
        Assert.Contains("match probability 0.", finding.Message, StringComparison.Ordinal);
        Assert.Contains("agreeing: name, city", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DifferentCompanies_StayApart_WithoutAFinding()
    {
        await _rig.SendAsync("crm", """{"type":"company","external_id":"1","fields":{"name":"Acme Corp","domain":"acme.com","city":"Springfield"}}""");
        await _rig.SendAsync("crm", """{"type":"company","external_id":"2","fields":{"name":"Acme Plumbing Supplies","domain":"acmeplumbing.com","city":"Springfield"}}""");

        Assert.Equal(2, (await LiveAsync("company")).Count);
        Assert.Empty(await OpenAsync("possible-duplicate"));
    }

    [Fact]
    public async Task AMergeOfTwoBillingCustomers_MovesTheirSubscriptions_RaisingDoubleBilling_AndItsUndoMovesThemBack()
    {
        await _rig.SendAsync("billing", """{"type":"customer","external_id":"cus_A","fields":{"name":"Acme Corp","email":"finance@acme.com"}}""");
        await _rig.SendAsync("billing", """{"type":"subscription","external_id":"sub_1","fields":{"customer":"cus_A","plan":"Pro","status":"active","amount":2000,"currency":"usd"}}""");

        // The subscription arrives before its customer: the customer is a placeholder until then.
        await _rig.SendAsync("billing", """{"type":"subscription","external_id":"sub_2","fields":{"customer":"cus_B","plan":"Pro","status":"active","amount":2000,"currency":"usd"}}""");
        Assert.Empty(await OpenAsync("double-billing"));
        await _rig.SendAsync("billing", """{"type":"customer","external_id":"cus_B","fields":{"name":"ACME Corporation","email":"ops@acme.com"}}""");

        var survivor = Assert.Single(await LiveAsync("customer"));
        var subscriptions = await Store.FindReferencingAsync(survivor, 10, default);
        Assert.Equal(2, subscriptions.Count);
        var alert = Assert.Single(await OpenAsync("double-billing"));
        Assert.Equal("alert", alert.Severity);

        var merge = Assert.Single(await Store.GetMergesAsync(survivor, default));
        await Store.ExecuteAsync(tx => _rig.Merger.Unmerge(tx, merge.Id), default);

        Assert.Single(await Store.FindReferencingAsync(survivor, 10, default));
        Assert.Single(await Store.FindReferencingAsync(merge.AbsorbedId, 10, default));
        Assert.Empty(await OpenAsync("double-billing"));
    }

    [Fact]
    public async Task WithMatchingOff_LookAlikesStayApart()
    {
        await using var rig = await PipelineRig.StartAsync(Yaml.Replace("matching: { model: company, merge: 0.95, review: 0.5 }", "matching: off", StringComparison.Ordinal));
        await rig.SendAsync("billing", """{"type":"customer","external_id":"cus_A","fields":{"name":"Acme Corp","email":"finance@acme.com"}}""");
        await rig.SendAsync("billing", """{"type":"customer","external_id":"cus_B","fields":{"name":"ACME Corporation","email":"ops@acme.com"}}""");

        var count = 0;
        await foreach (var _ in rig.Store.ReadRecordsAsync("customer", default))
        {
            count++;
        }

        Assert.Equal(2, count);
    }
}
