using System.Text;
using System.Text.Json.Nodes;
using Concord.Core.Sync;
using Concord.Engine.Intake;
using Concord.Engine.Processing;
using Concord.Engine.Storage;
using Concord.Storage.Sqlite;
using Concord.Testing;

namespace Concord.Engine.Tests.Processing;

/// <summary>Systems name other records by their own ids; the golden record keeps the hub's id for them.</summary>
public sealed class ReferenceTranslationTests : IAsyncLifetime
{
    private const string Yaml = """
        version: 1
        systems:
          billing: { kind: http, settings: { url: "http://127.0.0.1:1/billing", webhook_secret: { env: S } } }
          books: { kind: http, settings: { url: "http://127.0.0.1:1/books" } }
        entities:
          customer: { owner: billing, identity: [email] }
          invoice: { owner: billing }
        syncs:
          - { system: billing, type: customer, direction: two-way }
          - { system: billing, type: invoice, direction: two-way }
          - { system: books, type: customer, direction: push }
          - { system: books, type: invoice, direction: push }
        """;

    private PipelineRig _rig = null!;

    private SqliteHubStore _store => _rig.Store;

    private ManualTimeProvider _time => _rig.Time;

    private RecordMerger _merger => _rig.Merger;

    public async Task InitializeAsync() => _rig = await PipelineRig.StartAsync(Yaml);

    public async Task DisposeAsync() => await _rig.DisposeAsync();

    private Task SendAsync(string json) => _rig.SendAsync("billing", json);

    private async Task<Core.Records.GoldenRecord> InvoiceAsync() => (await _store.SearchAsync("invoice", "in_1", 10, default)).Single();

    [Fact]
    public async Task AnInvoiceNamingAKnownCustomer_HoldsTheHubsIdAndIsDeliveredWithIt()
    {
        await SendAsync("""{"type":"customer","external_id":"cus_9","fields":{"email":"ann@example.com","name":"Ann"}}""");
        var customer = (await _store.SearchAsync("customer", "ann@example.com", 10, default)).Single();

        await SendAsync("""{"type":"invoice","external_id":"in_1","fields":{"number":"INV-1","customer":"cus_9","amount":10,"currency":"usd","status":"open"}}""");

        var invoice = await InvoiceAsync();
        Assert.Equal(customer.Id, (string?)invoice.Fields["customer"].Value);
        var delivery = (await _store.QueryDeliveriesAsync(new DeliveryQuery(), default)).Single(d => d.Type == "invoice");
        Assert.Equal(customer.Id, (string?)JsonNode.Parse(delivery.Payload)!["customer"]);
    }

    [Fact]
    public async Task AnInvoiceArrivingBeforeItsCustomer_PointsAtTheRecordTheCustomerFillsLater()
    {
        await SendAsync("""{"type":"invoice","external_id":"in_1","fields":{"number":"INV-1","customer":"cus_9","amount":10,"currency":"usd","status":"open"}}""");
        var placeholder = (string?)(await InvoiceAsync()).Fields["customer"].Value;
        Assert.NotNull(placeholder);
        Assert.NotEqual("cus_9", placeholder);

        await SendAsync("""{"type":"customer","external_id":"cus_9","fields":{"email":"ann@example.com","name":"Ann"}}""");

        var customer = (await _store.SearchAsync("customer", "ann@example.com", 10, default)).Single();
        Assert.Equal(placeholder, customer.Id);
        Assert.Equal("Ann", (string?)customer.Fields["name"].Value);
        var links = await _store.GetLinksAsync(customer.Id, default);
        Assert.Equal(("billing", "cus_9"), (links.Single().System, links.Single().ExternalId));
    }

    [Fact]
    public async Task AReferenceThatIsAlreadyTheHubsId_IsKept()
    {
        await SendAsync("""{"type":"customer","external_id":"cus_9","fields":{"email":"ann@example.com","name":"Ann"}}""");
        var customer = (await _store.SearchAsync("customer", "ann@example.com", 10, default)).Single();

        await SendAsync($$$"""{"type":"invoice","external_id":"in_1","fields":{"number":"INV-1","customer":"{{{customer.Id}}}","amount":10,"currency":"usd","status":"open"}}""");

        Assert.Equal(customer.Id, (string?)(await InvoiceAsync()).Fields["customer"].Value);
        Assert.Single(await _store.GetLinksAsync(customer.Id, default));
    }
}
