using System.Text;
using System.Text.Json.Nodes;
using Concord.Core.Sync;
using Concord.Engine.Intake;
using Concord.Engine.Processing;
using Concord.Engine.Storage;
using Concord.Storage.Sqlite;
using Concord.Testing;

namespace Concord.Engine.Tests.Processing;

/// <summary>Resolve → apply → emit over a real SQLite store: what one change becomes.</summary>
public sealed class ChangeProcessorTests : IAsyncLifetime
{
    private const string Yaml = """
        version: 1
        systems:
          crm: { kind: http, settings: { url: "http://127.0.0.1:1/crm", webhook_secret: { env: S } } }
          billing: { kind: http, settings: { url: "http://127.0.0.1:1/billing", webhook_secret: { env: S } } }
          books: { kind: http, settings: { url: "http://127.0.0.1:1/books" } }
        entities:
          customer:
            owner: crm
            identity: [email]
            fields:
              subscription_status: { owner: billing }
        syncs:
          - { system: crm, type: customer, direction: two-way }
          - { system: billing, type: customer, direction: two-way, fields: [name, email, subscription_status] }
          - { system: books, type: customer, direction: push, fields: [name, email] }
        """;

    private readonly TempDirectory _dir = new();
    private readonly ManualTimeProvider _time = new();
    private SqliteHubStore _store = null!;
    private ChangeIntake _intake = null!;
    private ChangeProcessor _processor = null!;

    public async Task InitializeAsync()
    {
        _store = new SqliteHubStore(_dir.File("hub.db"), durable: false, _time);
        await _store.InitializeAsync(default);
        var plan = new SyncPlan(TestConfigs.Load(Yaml, _ => "secret"));
        _intake = new ChangeIntake(plan, _time);
        _processor = new ChangeProcessor(plan, new DeterministicResolver(_time), _time);
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        _dir.Dispose();
    }

    private async Task<string> SendAsync(string system, string json)
    {
        var changes = _intake.ParseBatch(system, Encoding.UTF8.GetBytes(json), "api");
        await _store.AppendAsync(changes, default);
        await _store.ProcessInboxAsync(100, (tx, batch) => _processor.Process(tx, batch), default);
        _time.Advance(TimeSpan.FromSeconds(1));
        return changes[0].ChangeId;
    }

    /// <summary>Several requests accepted first, then processed together as one inbox batch.</summary>
    private async Task SendTogetherAsync(params (string System, string Json)[] requests)
    {
        foreach (var (system, json) in requests)
        {
            await _store.AppendAsync(_intake.ParseBatch(system, Encoding.UTF8.GetBytes(json), "api"), default);
        }

        await _store.ProcessInboxAsync(100, (tx, batch) => _processor.Process(tx, batch), default);
    }

    private async Task<List<Delivery>> DeliveriesAsync() => (await _store.QueryDeliveriesAsync(new DeliveryQuery(), default)).OrderBy(d => d.Id).ToList();

    private async Task<Core.Records.GoldenRecord> OnlyCustomerAsync()
    {
        var health = await _store.GetHealthAsync(_time.GetUtcNow(), TimeSpan.FromMinutes(1), default);
        Assert.Equal(1, health.RecordsByType.GetValueOrDefault("customer"));
        return (await _store.SearchAsync("customer", "@", 10, default)).Single();
    }

    [Fact]
    public async Task ANewCustomerFromTheOwner_IsDeliveredToEveryReceiverButItsSource()
    {
        var changeId = await SendAsync("crm", """{"type":"customer","external_id":"c1","fields":{"email":"Ann@Example.com","name":"Ann","phone":"+1 555 0100"}}""");

        var deliveries = await DeliveriesAsync();
        Assert.Equal(["billing", "books"], deliveries.Select(d => d.System));
        Assert.All(deliveries, d => Assert.Equal(changeId, d.CorrelationId));
        var books = JsonNode.Parse(deliveries[1].Payload)!.AsObject();
        Assert.Equal(["email", "name"], books.Select(p => p.Key).Order());
        Assert.Equal("Ann@Example.com", (string?)books["email"]);
        var record = await OnlyCustomerAsync();
        Assert.Equal("crm", record.Fields["phone"].System);
        Assert.Equal("c1", record.Fields["phone"].SourceId);
    }

    [Fact]
    public async Task TheSameValuesAgain_ProduceNothing()
    {
        await SendAsync("crm", """{"type":"customer","external_id":"c1","fields":{"email":"ann@example.com","name":"Ann"}}""");
        await SendAsync("crm", """{"type":"customer","external_id":"c1","fields":{"email":"ann@example.com","name":"Ann"}}""");
        Assert.Equal(2, (await DeliveriesAsync()).Count);
        Assert.Equal(1, (await OnlyCustomerAsync()).Version);
    }

    [Fact]
    public async Task AnotherSystemsRecordWithTheSameEmail_IsLinkedToTheSameCustomer()
    {
        await SendAsync("crm", """{"type":"customer","external_id":"c1","fields":{"email":"ann@example.com","name":"Ann"}}""");
        await SendAsync("billing", """{"type":"customer","external_id":"cus_9","fields":{"email":"  ANN@example.COM ","subscription_status":"active"}}""");

        var record = await OnlyCustomerAsync();
        Assert.Equal("active", (string?)record.ValueOf("subscription_status"));
        Assert.Equal("ann@example.com", (string?)record.ValueOf("email"));
        var links = await _store.GetLinksAsync(record.Id, default);
        Assert.Equal(["billing:cus_9", "crm:c1"], links.Select(l => $"{l.System}:{l.ExternalId}").Order());
    }

    [Fact]
    public async Task ASystemsRecordMadeFromAHubRecord_JoinsIt_UnlessTheSystemHoldsThatRecordAlready()
    {
        await SendAsync("crm", """{"type":"customer","external_id":"c1","fields":{"email":"ann@example.com","name":"Ann"}}""");
        var ann = await OnlyCustomerAsync();

        // Billing announces the record the hub made there before the hub linked its id: no email to match on, but it names the record.
        await SendAsync("billing", $$$"""{"type":"customer","external_id":"cus_1","record_id":"{{{ann.Id}}}","fields":{"name":"Ann","subscription_status":"trialing"}}""");
        Assert.Equal("trialing", (string?)(await OnlyCustomerAsync()).ValueOf("subscription_status"));
        Assert.Equal(["billing:cus_1", "crm:c1"], (await _store.GetLinksAsync(ann.Id, default)).Select(l => $"{l.System}:{l.ExternalId}").Order());

        // A second billing record naming Ann is not taken for her (billing holds her as cus_1), nor is a record id the hub does not have.
        await SendAsync("billing", $$$"""{"type":"customer","external_id":"cus_2","record_id":"{{{ann.Id}}}","fields":{"name":"Ann again"}}""");
        await SendAsync("billing", """{"type":"customer","external_id":"cus_3","record_id":"rec_nobody","fields":{"name":"Nobody"}}""");
        var health = await _store.GetHealthAsync(_time.GetUtcNow(), TimeSpan.FromMinutes(1), default);
        Assert.Equal(3, health.RecordsByType.GetValueOrDefault("customer"));
        Assert.Equal(["billing:cus_1", "crm:c1"], (await _store.GetLinksAsync(ann.Id, default)).Select(l => $"{l.System}:{l.ExternalId}").Order());
    }

    [Fact]
    public async Task AFieldOwnedByBilling_FlowsToTheCrm_NotBackToBilling()
    {
        await SendAsync("crm", """{"type":"customer","external_id":"c1","fields":{"email":"ann@example.com","name":"Ann"}}""");
        await SendAsync("billing", """{"type":"customer","external_id":"cus_9","fields":{"email":"ann@example.com","subscription_status":"active"}}""");

        var last = (await DeliveriesAsync()).Skip(2).ToList();
        var toCrm = Assert.Single(last);
        Assert.Equal("crm", toCrm.System);
        Assert.Equal("""["subscription_status"]""", toCrm.Changed);
    }

    [Fact]
    public async Task ANonOwnersValue_IsAnObservationAndAConflict_AndChangesNothing()
    {
        await SendAsync("crm", """{"type":"customer","external_id":"c1","fields":{"email":"ann@example.com","name":"Ann"}}""");
        await SendAsync("billing", """{"type":"customer","external_id":"cus_9","fields":{"email":"ann@example.com","name":"Anne B."}}""");

        Assert.Equal(2, (await DeliveriesAsync()).Count);
        var record = await OnlyCustomerAsync();
        Assert.Equal("Ann", (string?)record.ValueOf("name"));
        var conflict = Assert.Single(record.Conflicts());
        Assert.Equal(("name", "billing", "Anne B."), (conflict.Field, conflict.System, (string?)conflict.Value));
        var health = await _store.GetHealthAsync(_time.GetUtcNow(), TimeSpan.FromMinutes(1), default);
        Assert.Equal(1, health.Conflicts);
    }

    [Fact]
    public async Task ADeletionByTheOwner_IsDeliveredAsADelete_AndByANonOwner_OnlyUnlinks()
    {
        await SendAsync("crm", """{"type":"customer","external_id":"c1","fields":{"email":"ann@example.com","name":"Ann"}}""");
        await SendAsync("billing", """{"type":"customer","external_id":"cus_9","fields":{"email":"ann@example.com"}}""");
        var record = await OnlyCustomerAsync();

        await SendAsync("billing", """{"type":"customer","external_id":"cus_9","deleted":true}""");
        Assert.DoesNotContain(await _store.GetLinksAsync(record.Id, default), l => l.System == "billing");
        Assert.Equal(2, (await DeliveriesAsync()).Count);

        await SendAsync("crm", """{"type":"customer","external_id":"c1","deleted":true}""");
        var deletes = (await DeliveriesAsync()).Where(d => d.Operation == "delete").Select(d => d.System).Order();
        Assert.Equal(["billing", "books"], deletes);
        Assert.True((await _store.GetRecordAsync(record.Id, default))!.Deleted);
    }

    [Fact]
    public async Task AnEmailChange_MovesTheIdentityKey()
    {
        await SendAsync("crm", """{"type":"customer","external_id":"c1","fields":{"email":"old@example.com","name":"Ann"}}""");
        await SendAsync("crm", """{"type":"customer","external_id":"c1","fields":{"email":"new@example.com"}}""");
        await SendAsync("billing", """{"type":"customer","external_id":"cus_1","fields":{"email":"old@example.com","name":"Someone else"}}""");
        await SendAsync("billing", """{"type":"customer","external_id":"cus_2","fields":{"email":"new@example.com"}}""");

        var all = await _store.SearchAsync("customer", "@", 10, default);
        Assert.Equal(2, all.Count);
        var ann = all.Single(r => (string?)r.ValueOf("name") == "Ann");
        Assert.Contains(await _store.GetLinksAsync(ann.Id, default), l => l.ExternalId == "cus_2");
    }

    [Fact]
    public async Task EveryChangeIsHistory_WithItsCause()
    {
        var first = await SendAsync("crm", """{"type":"customer","external_id":"c1","fields":{"email":"ann@example.com","name":"Ann"}}""");
        var second = await SendAsync("crm", """{"type":"customer","external_id":"c1","fields":{"name":"Ann Lee"}}""");
        var record = await OnlyCustomerAsync();
        var history = await _store.GetHistoryAsync(record.Id, 10, default);
        Assert.Equal([(2L, "updated", second), (1L, "created", first)], history.Select(h => (h.Version, h.Kind, h.ChangeId)));
        var change = Assert.Single(history[0].Changes);
        Assert.Equal(("name", "Ann", "Ann Lee"), (change.Field, (string?)change.Old, (string?)change.New));
    }

    [Fact]
    public async Task TwoChangesToANewRecordInOneBatch_MakeOneRecord_DeliveredInOrder()
    {
        await SendTogetherAsync(("crm", """
            {"changes":[
              {"type":"customer","external_id":"c1","event_id":"e1","fields":{"email":"ann@example.com","name":"Ann"}},
              {"type":"customer","external_id":"c1","event_id":"e2","fields":{"name":"Ann B"}}
            ]}
            """));

        var record = await OnlyCustomerAsync();
        Assert.Equal(("Ann B", "ann@example.com", 2L), ((string?)record.ValueOf("name"), (string?)record.ValueOf("email"), record.Version));
        var toBooks = (await DeliveriesAsync()).Where(d => d.System == "books").ToList();
        Assert.Equal([1L, 2L], toBooks.Select(d => d.Version));
        Assert.All(toBooks, d => Assert.Equal(record.Id, d.RecordId));
    }

    [Fact]
    public async Task ThePersonFromTwoSystemsInOneBatch_IsOneCustomer()
    {
        await SendTogetherAsync(
            ("crm", """{"type":"customer","external_id":"c1","fields":{"email":"bob@example.com","name":"Bob"}}"""),
            ("billing", """{"type":"customer","external_id":"cus_1","fields":{"email":"BOB@example.com","subscription_status":"active"}}"""));

        var record = await OnlyCustomerAsync();
        Assert.Equal("active", (string?)record.ValueOf("subscription_status"));
        Assert.Equal(["billing", "crm"], (await _store.GetLinksAsync(record.Id, default)).Select(l => l.System).Order());
    }

    [Fact]
    public async Task AChangeThatFailsHalfway_LeavesNothingBehind_AndTheRestOfTheBatchStands()
    {
        var plan = new SyncPlan(TestConfigs.Load(Yaml, _ => "secret"));
        var failing = new ChangeProcessor(plan, new FailingAfterLinking(new DeterministicResolver(_time)), _time);
        await _store.AppendAsync(_intake.ParseBatch("crm", Encoding.UTF8.GetBytes("""
            {"changes":[
              {"type":"customer","external_id":"boom","event_id":"e1","fields":{"email":"x@example.com","name":"X"}},
              {"type":"customer","external_id":"c2","event_id":"e2","fields":{"email":"ann@example.com","name":"Ann"}}
            ]}
            """), "api"), default);
        await _store.ProcessInboxAsync(100, (tx, batch) => failing.Process(tx, batch), default);

        var record = await OnlyCustomerAsync();
        Assert.Equal("ann@example.com", (string?)record.ValueOf("email"));
        Assert.Equal(2, (await DeliveriesAsync()).Count);
        var log = await _store.QueryLogAsync(new LogQuery(System: "crm"), default);
        var failed = Assert.Single(log, e => e.Result == "failed");
        Assert.Contains("resolver broke", failed.Error, StringComparison.Ordinal);
        string? link = "unset";
        await _store.AppendAsync(_intake.ParseBatch("crm", Encoding.UTF8.GetBytes("""{"type":"customer","external_id":"probe","fields":{"name":"P"}}"""), "api"), default);
        await _store.ProcessInboxAsync(100, (tx, _) => link = tx.FindLink("crm", "customer", "boom"), default);
        Assert.Null(link);
    }

    /// <summary>Links the change, then throws: a fault in the middle of a change.</summary>
    private sealed class FailingAfterLinking(IRecordResolver inner) : IRecordResolver
    {
        public Resolution Resolve(IPipelineTransaction tx, Core.Records.Change change, Core.Configuration.EntityTypeConfig type, Func<string, Core.Records.GoldenRecord?> load)
        {
            var resolution = inner.Resolve(tx, change, type, load);
            return change.ExternalId == "boom" ? throw new InvalidOperationException("resolver broke") : resolution;
        }
    }
}
