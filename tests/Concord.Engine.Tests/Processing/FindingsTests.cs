using System.Text;
using Concord.Core.Sync;
using Concord.Engine.Intake;
using Concord.Engine.Processing;
using Concord.Engine.Storage;
using Concord.Storage.Sqlite;
using Concord.Testing;

namespace Concord.Engine.Tests.Processing;

/// <summary>What the hub notices about the data: look-alike records, a tool holding a customer twice, a customer billed twice.</summary>
public sealed class FindingsTests : IAsyncLifetime
{
    private const string Yaml = """
        version: 1
        systems:
          crm: { kind: http, settings: { url: "http://127.0.0.1:1/crm", webhook_secret: { env: S } } }
          billing: { kind: http, settings: { url: "http://127.0.0.1:1/billing", webhook_secret: { env: S } } }
        entities:
          customer: { owner: crm, identity: [email], fill_in: true }
          subscription: { owner: billing }
        syncs:
          - { system: crm, type: customer, direction: two-way }
          - { system: billing, type: customer, direction: two-way, fields: [email, name] }
          - { system: billing, type: subscription, direction: pull }
        """;

    private PipelineRig _rig = null!;

    private SqliteHubStore _store => _rig.Store;

    private ManualTimeProvider _time => _rig.Time;

    private RecordMerger _merger => _rig.Merger;

    public async Task InitializeAsync() => _rig = await PipelineRig.StartAsync(Yaml);

    public async Task DisposeAsync() => await _rig.DisposeAsync();

    private Task SendAsync(string system, string json) => _rig.SendAsync(system, json);

    private Task<IReadOnlyList<Finding>> OpenAsync(string kind) => _store.QueryFindingsAsync(new FindingQuery(Kind: kind), default);

    [Fact]
    public async Task ASystemHoldingTheSameCustomerTwice_IsReported_Once()
    {
        await SendAsync("billing", """{"type":"customer","external_id":"cus_A","fields":{"email":"ap@acme.example","name":"Acme"}}""");
        await SendAsync("billing", """{"type":"customer","external_id":"cus_B","fields":{"email":"AP@acme.example","name":"Acme Corp"}}""");
        await SendAsync("billing", """{"type":"customer","external_id":"cus_B","event_id":"again","fields":{"email":"AP@acme.example","name":"Acme Corp."}}""");

        var finding = Assert.Single(await OpenAsync("duplicate-in-system"));
        Assert.Equal("billing", finding.System);
        Assert.Contains("billing has this customer twice, as cus_A and cus_B", finding.Message, StringComparison.Ordinal);
        Assert.Single(await _store.SearchAsync("customer", "acme.example", 10, default));
    }

    [Fact]
    public async Task TwoRecordsComingToShareAnIdentityKey_AreAPossibleDuplicate()
    {
        await SendAsync("crm", """{"type":"customer","external_id":"c1","fields":{"email":"ann@acme.example","name":"Ann"}}""");
        await SendAsync("crm", """{"type":"customer","external_id":"c2","fields":{"email":"ann.old@acme.example","name":"Ann L."}}""");
        Assert.Empty(await OpenAsync("possible-duplicate"));

        await SendAsync("crm", """{"type":"customer","external_id":"c2","fields":{"email":"Ann@acme.example"}}""");

        var finding = Assert.Single(await OpenAsync("possible-duplicate"));
        Assert.NotEqual(finding.RecordId, finding.OtherRecordId);
        Assert.Contains("same email", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TwoActiveSubscriptionsOfOneCustomerToOnePlan_RaiseADoubleBillingAlert_UntilOneEnds()
    {
        await SendAsync("billing", """{"type":"customer","external_id":"cus_A","fields":{"email":"ap@acme.example","name":"Acme"}}""");
        await SendAsync("billing", """{"type":"customer","external_id":"cus_B","fields":{"email":"ap@acme.example","name":"Acme"}}""");
        await SendAsync("billing", """{"type":"subscription","external_id":"sub_1","fields":{"customer":"cus_A","plan":"Pro Monthly","status":"active","amount":2000,"currency":"usd"}}""");
        await SendAsync("billing", """{"type":"subscription","external_id":"sub_3","fields":{"customer":"cus_A","plan":"Add-on","status":"active","amount":50,"currency":"usd"}}""");
        Assert.Empty(await OpenAsync("double-billing"));

        await SendAsync("billing", """{"type":"subscription","external_id":"sub_2","fields":{"customer":"cus_B","plan":"pro monthly","status":"active","amount":2000,"currency":"usd"}}""");

        var alert = Assert.Single(await OpenAsync("double-billing"));
        Assert.Equal("alert", alert.Severity);
        Assert.Contains("two active subscriptions to pro monthly", alert.Message, StringComparison.Ordinal);

        await SendAsync("billing", """{"type":"subscription","external_id":"sub_2","fields":{"status":"canceled"}}""");

        Assert.Empty(await OpenAsync("double-billing"));
        var resolved = Assert.Single(await _store.QueryFindingsAsync(new FindingQuery(Kind: "double-billing", OpenOnly: false), default));
        Assert.NotNull(resolved.ResolvedAt);
    }
}
