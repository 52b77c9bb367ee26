using System.Text.Json.Nodes;
using Concord.Core.Records;
using Concord.Engine.Storage;
using Xunit;

namespace Concord.Testing;

/// <summary>
/// What every <see cref="IHubStore"/> must do, whatever the database. An implementation's test
/// class inherits this and says how to open a store; SQLite does today, PostgreSQL will.
/// </summary>
public abstract partial class HubStoreComplianceTests : IAsyncLifetime
{
    private readonly List<IHubStore> _opened = [];

    protected ManualTimeProvider Time { get; } = new();

    /// <summary>Opens (or reopens) the store under test; the same <paramref name="name"/> means the same database.</summary>
    protected abstract Task<IHubStore> OpenAsync(string name, ManualTimeProvider time);

    protected async Task<IHubStore> Open(string name = "main")
    {
        var store = await OpenAsync(name, Time);
        _opened.Add(store);
        return store;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var store in _opened)
        {
            await store.DisposeAsync();
        }
    }

    protected InboundChange Change(string eventId, string externalId = "c-1", string email = "ann@example.com", string system = "crm", bool deleted = false) =>
        new($"chg_{eventId}", new Change(system, "customer", externalId, eventId, Time.GetUtcNow(),
            new Dictionary<string, JsonNode?> { ["email"] = email, ["name"] = "Ann" }, deleted), "{}", Time.GetUtcNow(), "api");

    protected Delivery NewDelivery(string recordId, long version, string system = "sink") => new()
    {
        System = system,
        Type = "customer",
        RecordId = recordId,
        Version = version,
        Operation = "upsert",
        Payload = """{"email":"ann@example.com"}""",
        Changed = """["email"]""",
        IdempotencyKey = $"{recordId}.v{version}.{system}",
        CorrelationId = $"chg_{recordId}_{version}",
        CreatedAt = Time.GetUtcNow(),
        NextAttemptAt = Time.GetUtcNow(),
    };

    [Fact]
    public async Task Append_SameSystemAndEventTwice_StoresItOnce()
    {
        var store = await Open();
        var first = await store.AppendAsync([Change("e1")], default);
        var again = await store.AppendAsync([Change("e1") with { ChangeId = "chg_other" }], default);

        Assert.False(first[0].Duplicate);
        Assert.True(again[0].Duplicate);
        Assert.Equal(first[0].ChangeId, again[0].ChangeId);
        var handed = new List<PendingChange>();
        await store.ProcessInboxAsync(10, (_, batch) => handed.AddRange(batch), default);
        Assert.Single(handed);
    }

    [Fact]
    public async Task Append_SameEventIdFromAnotherSystem_IsADifferentChange()
    {
        var store = await Open();
        await store.AppendAsync([Change("e1")], default);
        var other = await store.AppendAsync([Change("e1", system: "billing")], default);
        Assert.False(other[0].Duplicate);
    }

    [Fact]
    public async Task Append_IsDurable_AcrossReopen()
    {
        var store = await Open("durable");
        await store.AppendAsync([Change("e1"), Change("e2")], default);
        await store.DisposeAsync();
        _opened.Remove(store);

        var reopened = await Open("durable");
        var handed = new List<PendingChange>();
        await reopened.ProcessInboxAsync(10, (_, batch) => handed.AddRange(batch), default);
        Assert.Equal(["e1", "e2"], handed.Select(p => p.Inbound.Change.EventId));
        Assert.Equal("ann@example.com", handed[0].Inbound.Change.Fields["email"]!.GetValue<string>());
    }

    [Fact]
    public async Task AppendPolled_SavesTheCursorWithTheChanges()
    {
        var store = await Open("polled");
        Assert.Null(await store.GetCursorAsync("crm", "contacts", default));

        var seen = new List<string>();
        await store.AppendPolledAsync([Change("p1"), Change("p2", externalId: "c-2")], new PollCursor("crm", "contacts", "2026-01-01T00:00:00Z"),
            (tx, batch) => CompleteAll(tx, batch, seen), default);
        await store.AppendPolledAsync([], new PollCursor("crm", "contacts", "2026-01-02T00:00:00Z"), (_, _) => { }, default);
        await store.DisposeAsync();
        _opened.Remove(store);

        var reopened = await Open("polled");
        Assert.Equal("2026-01-02T00:00:00Z", await reopened.GetCursorAsync("crm", "contacts", default));
        Assert.Null(await reopened.GetCursorAsync("crm", "deals", default));
        Assert.Equal(["p1", "p2"], seen);
    }

    [Fact]
    public async Task AppendPolled_WhenTheTransactionFails_KeepsTheOldCursor()
    {
        var store = await Open();
        await store.AppendPolledAsync([Change("p1")], new PollCursor("crm", "events", "A"), (tx, batch) => CompleteAll(tx, batch, []), default);

        // A page whose changes cannot be stored must not move the cursor past them.
        var tooLong = Change("p2") with { ChangeId = null! };
        await Assert.ThrowsAnyAsync<Exception>(() => store.AppendPolledAsync([tooLong], new PollCursor("crm", "events", "B"), (_, _) => { }, default));

        Assert.Equal("A", await store.GetCursorAsync("crm", "events", default));
    }

    [Fact]
    public async Task ConnectorState_IsKeptPerSystemAndOverwritten()
    {
        var store = await Open();
        await store.SetConnectorStateAsync("qbo", "credential:refresh_token", "one", default);
        await store.SetConnectorStateAsync("qbo", "credential:refresh_token", "two", default);
        await store.SetConnectorStateAsync("xero", "credential:refresh_token", "other", default);

        Assert.Equal("two", await store.GetConnectorStateAsync("qbo", "credential:refresh_token", default));
        Assert.Equal("other", await store.GetConnectorStateAsync("xero", "credential:refresh_token", default));
        Assert.Null(await store.GetConnectorStateAsync("qbo", "missing", default));
    }

    [Fact]
    public async Task Findings_AreRaisedOncePerCause_AndResolvedByEitherRecord()
    {
        var store = await Open();
        Finding F(string id, string record, string? other) => new(id, "double-billing", "alert", "subscription", record, other, null, "two active", Time.GetUtcNow());
        await store.AppendAsync([Change("f1")], default);
        await store.ProcessInboxAsync(10, (tx, batch) =>
        {
            tx.RaiseFinding(F("fnd_1", "rec_a", "rec_b"));
            tx.RaiseFinding(F("fnd_2", "rec_a", "rec_b"));
            tx.RaiseFinding(F("fnd_3", "rec_c", "rec_d"));
            CompleteAll(tx, batch, []);
        }, default);

        var open = await store.QueryFindingsAsync(new FindingQuery(Kind: "double-billing"), default);
        Assert.Equal(["fnd_1", "fnd_3"], open.Select(f => f.Id).Order());

        await store.AppendAsync([Change("f2")], default);
        await store.ProcessInboxAsync(10, (tx, batch) =>
        {
            tx.ResolveFindings("double-billing", "rec_b");
            CompleteAll(tx, batch, []);
        }, default);

        Assert.Equal(["fnd_3"], (await store.QueryFindingsAsync(new FindingQuery(), default)).Select(f => f.Id));
        Assert.NotNull((await store.QueryFindingsAsync(new FindingQuery(RecordId: "rec_a", OpenOnly: false), default)).Single().ResolvedAt);
    }

    [Fact]
    public async Task FindReferencing_ListsLiveRecordsNamingTheRecord_InAnyField()
    {
        var store = await Open();
        GoldenRecord R(string id, string type, string field, string value, bool deleted = false) => new()
        {
            Id = id, Type = type, Version = 1, CreatedAt = Time.GetUtcNow(), UpdatedAt = Time.GetUtcNow(), Deleted = deleted,
            Fields = { [field] = new FieldValue { Value = JsonValue.Create(value), System = "billing", ObservedAt = Time.GetUtcNow() } },
        };
        await store.ExecuteAsync(tx =>
        {
            tx.SaveRecord(R("rec_cust", "customer", "email", "ann@example.com"), 0);
            tx.SaveRecord(R("rec_inv", "invoice", "customer", "rec_cust"), 0);
            tx.SaveRecord(R("rec_pay", "payment", "invoice", "rec_cust"), 0);
            tx.SaveRecord(R("rec_old", "invoice", "customer", "rec_cust", deleted: true), 0);
            tx.SaveRecord(R("rec_other", "invoice", "customer", "rec_someone"), 0);
            return true;
        }, default);

        var related = await store.FindReferencingAsync("rec_cust", 100, default);

        Assert.Equal(["rec_inv", "rec_pay"], related.Select(r => r.Id).Order());
    }

    private static void CompleteAll(IPipelineTransaction tx, IReadOnlyList<PendingChange> batch, List<string> seen)
    {
        foreach (var p in batch)
        {
            seen.Add(p.Inbound.Change.EventId);
            tx.SetLink(p.Inbound.Change.System, "customer", p.Inbound.Change.ExternalId!, "rec_" + p.Inbound.Change.EventId);
            tx.CompleteChange(p.Sequence, "created", "rec_" + p.Inbound.Change.EventId, null);
        }
    }

    [Fact]
    public async Task AppendAndProcess_WithNothingWaiting_ProcessesInTheSameTransaction()
    {
        var store = await Open();
        var seen = new List<string>();
        var outcomes = await store.AppendAndProcessAsync([Change("a", externalId: "c-a"), Change("b", externalId: "c-b")], (tx, batch) => CompleteAll(tx, batch, seen), default);

        Assert.Equal(["a", "b"], seen);
        Assert.All(outcomes, o => Assert.False(o.Duplicate));
        Assert.Equal(0, await store.ProcessInboxAsync(10, (_, _) => { }, default));
        var log = await store.QueryLogAsync(new LogQuery(CorrelationId: "chg_a"), default);
        Assert.Equal(("created", "rec_a"), (log.Single().Result, log.Single().RecordId));
    }

    [Fact]
    public async Task AppendAndProcess_BehindABacklog_LeavesTheChangesForTheWorker_InOrder()
    {
        var store = await Open();
        await store.AppendAsync([Change("first", externalId: "c-1")], default);
        var seen = new List<string>();
        await store.AppendAndProcessAsync([Change("second", externalId: "c-2")], (tx, batch) => CompleteAll(tx, batch, seen), default);
        Assert.Empty(seen);

        await store.ProcessInboxAsync(10, (tx, batch) => CompleteAll(tx, batch, seen), default);
        Assert.Equal(["first", "second"], seen);
    }

    [Fact]
    public async Task AppendAndProcess_ReportsDuplicates_AndDoesNotProcessThemAgain()
    {
        var store = await Open();
        var seen = new List<string>();
        await store.AppendAndProcessAsync([Change("a", externalId: "c-a")], (tx, batch) => CompleteAll(tx, batch, seen), default);
        var again = await store.AppendAndProcessAsync([Change("a", externalId: "c-a") with { ChangeId = "chg_other" }, Change("b", externalId: "c-b")],
            (tx, batch) => CompleteAll(tx, batch, seen), default);

        Assert.Equal(["a", "b"], seen);
        Assert.True(again[0].Duplicate);
        Assert.Equal("chg_a", again[0].ChangeId);
        Assert.False(again[1].Duplicate);
    }

    [Fact]
    public async Task AppendAndProcess_WhenProcessingThrows_StillAcceptsTheChange_ForTheWorker()
    {
        var store = await Open();
        var outcomes = await store.AppendAndProcessAsync([Change("a", externalId: "c-a")], (tx, batch) =>
        {
            tx.SetLink("crm", "customer", "c-a", "rec_x");
            throw new InvalidOperationException("a processing fault");
        }, default);

        Assert.False(Assert.Single(outcomes).Duplicate);
        var seen = new List<string>();
        string? leftover = "unset";
        await store.ProcessInboxAsync(10, (tx, batch) =>
        {
            leftover = tx.FindLink("crm", "customer", "c-a");
            CompleteAll(tx, batch, seen);
        }, default);
        Assert.Null(leftover);
        Assert.Equal(["a"], seen);
    }

    [Fact]
    public async Task ProcessInbox_HandsChangesInArrivalOrder_Once()
    {
        var store = await Open();
        await store.AppendAsync([Change("a"), Change("b"), Change("c")], default);
        var seen = new List<string>();

        void Complete(IPipelineTransaction tx, IReadOnlyList<PendingChange> batch)
        {
            foreach (var p in batch)
            {
                seen.Add(p.Inbound.Change.EventId);
                tx.CompleteChange(p.Sequence, "applied", null, null);
            }
        }

        Assert.Equal(2, await store.ProcessInboxAsync(2, Complete, default));
        Assert.Equal(1, await store.ProcessInboxAsync(2, Complete, default));
        Assert.Equal(0, await store.ProcessInboxAsync(2, Complete, default));
        Assert.Equal(["a", "b", "c"], seen);
    }

    [Fact]
    public async Task ProcessInbox_WhenProcessingThrows_WritesNothingAndKeepsTheChanges()
    {
        var store = await Open();
        await store.AppendAsync([Change("a")], default);

        await Assert.ThrowsAnyAsync<InvalidOperationException>(() => store.ProcessInboxAsync(10, (tx, batch) =>
        {
            tx.SetLink("crm", "customer", "c-1", "rec_1");
            tx.CompleteChange(batch[0].Sequence, "applied", "rec_1", null);
            throw new InvalidOperationException("boom");
        }, default));

        string? link = "unset";
        var handed = await store.ProcessInboxAsync(10, (tx, _) => link = tx.FindLink("crm", "customer", "c-1"), default);
        Assert.Equal(1, handed);
        Assert.Null(link);
    }

    [Fact]
    public async Task PipelineTransaction_RoundTripsRecordsLinksIdentityAndEvents()
    {
        var store = await Open();
        await store.AppendAsync([Change("a")], default);
        var record = new GoldenRecord { Id = "rec_1", Type = "customer", Version = 1, CreatedAt = Time.GetUtcNow(), UpdatedAt = Time.GetUtcNow() };
        record.Fields["email"] = new FieldValue { Value = "ann@example.com", System = "crm", SourceId = "c-1", ObservedAt = Time.GetUtcNow(), Version = 1 };
        record.Fields["name"] = new FieldValue { Value = "Ann", System = "crm", SourceId = "c-1", ObservedAt = Time.GetUtcNow(), Version = 1 };
        record.Observations["name"] = new() { ["billing"] = new Observation { Value = "Anne", SourceId = "cus_1", ObservedAt = Time.GetUtcNow() } };

        bool claimedByOther = true;
        await store.ProcessInboxAsync(10, (tx, batch) =>
        {
            tx.SaveRecord(record, 1);
            tx.SetLink("crm", "customer", "c-1", "rec_1");
            Assert.True(tx.ClaimIdentity("customer", "email", "ann@example.com", "rec_1"));
            Assert.True(tx.ClaimIdentity("customer", "email", "ann@example.com", "rec_1"));
            claimedByOther = tx.ClaimIdentity("customer", "email", "ann@example.com", "rec_2");
            tx.AppendEvent(new RecordEvent("rec_1", "customer", 1, Time.GetUtcNow(), "created", "crm", "chg_a", [new FieldChange("email", null, "ann@example.com", "crm")]));
            tx.CompleteChange(batch[0].Sequence, "created", "rec_1", null);
        }, default);

        Assert.False(claimedByOther);
        var loaded = await store.GetRecordAsync("rec_1", default);
        Assert.NotNull(loaded);
        Assert.Equal("Ann", loaded.ValueOf("name")!.GetValue<string>());
        Assert.Equal("c-1", loaded.Fields["name"].SourceId);
        Assert.Single(loaded.Conflicts());
        Assert.Equal("crm", Assert.Single(await store.GetLinksAsync("rec_1", default)).System);
        var history = Assert.Single(await store.GetHistoryAsync("rec_1", 10, default));
        Assert.Equal("email", Assert.Single(history.Changes).Field);

        string? byKey = null, afterRelease = "unset";
        await store.AppendAsync([Change("b")], default);
        await store.ProcessInboxAsync(10, (tx, batch) =>
        {
            byKey = tx.FindByIdentity("customer", "email", "ann@example.com");
            tx.ReleaseIdentity("customer", "email", "ann@example.com", "rec_1");
            afterRelease = tx.FindByIdentity("customer", "email", "ann@example.com");
            tx.RemoveLink("crm", "customer", "c-1");
            tx.CompleteChange(batch[0].Sequence, "no-op", null, null);
        }, default);
        Assert.Equal("rec_1", byKey);
        Assert.Null(afterRelease);
        Assert.Empty(await store.GetLinksAsync("rec_1", default));
    }

    protected async Task EnqueueAsync(IHubStore store, params Delivery[] deliveries)
    {
        await store.AppendAsync([Change(Guid.NewGuid().ToString("N"))], default);
        await store.ProcessInboxAsync(10, (tx, batch) =>
        {
            foreach (var d in deliveries)
            {
                tx.EnqueueDelivery(d);
            }

            tx.CompleteChange(batch[0].Sequence, "updated", null, null);
        }, default);
    }

    private DeliveryOutcome Outcome(long id, DeliveryStatus status, int attempt = 1, DateTimeOffset? next = null, string? externalId = null, int? code = 200) =>
        new(id, status, attempt, Time.GetUtcNow(), TimeSpan.FromMilliseconds(12), code, "{}", status == DeliveryStatus.Succeeded ? null : "failed", next, externalId);

    [Fact]
    public async Task ClaimDue_KeepsOrderPerRecord_AndSkipsBusyRecords()
    {
        var store = await Open();
        await EnqueueAsync(store, NewDelivery("rec_a", 1), NewDelivery("rec_a", 2), NewDelivery("rec_b", 1));

        var due = await store.ClaimDueAsync("sink", Time.GetUtcNow(), 10, [], default);
        Assert.Equal([("rec_a", 1L), ("rec_b", 1L)], due.Select(d => (d.RecordId, d.Version)));

        var notBusy = await store.ClaimDueAsync("sink", Time.GetUtcNow(), 10, ["rec_a"], default);
        Assert.Equal("rec_b", Assert.Single(notBusy).RecordId);

        await store.CompleteAsync([Outcome(due[0].Id, DeliveryStatus.Succeeded)], default);
        var next = await store.ClaimDueAsync("sink", Time.GetUtcNow(), 10, [], default);
        Assert.Contains(next, d => d.RecordId == "rec_a" && d.Version == 2);
        Assert.Empty(await store.ClaimDueAsync("other-system", Time.GetUtcNow(), 10, [], default));
    }

    [Fact]
    public async Task ARetryingDelivery_IsDueOnlyAtItsTime_AndBlocksLaterOnesOfItsRecord()
    {
        var store = await Open();
        await EnqueueAsync(store, NewDelivery("rec_a", 1), NewDelivery("rec_a", 2));
        var first = (await store.ClaimDueAsync("sink", Time.GetUtcNow(), 10, [], default)).Single();
        var retryAt = Time.GetUtcNow().AddSeconds(30);
        await store.CompleteAsync([Outcome(first.Id, DeliveryStatus.Retrying, next: retryAt, code: 503)], default);

        Assert.Empty(await store.ClaimDueAsync("sink", Time.GetUtcNow(), 10, [], default));
        Assert.Equal(retryAt.ToUnixTimeMilliseconds(), (await store.NextDueAtAsync("sink", default))!.Value.ToUnixTimeMilliseconds());

        Time.Advance(TimeSpan.FromSeconds(30));
        var again = Assert.Single(await store.ClaimDueAsync("sink", Time.GetUtcNow(), 10, [], default));
        Assert.Equal(1, again.Version);
        Assert.Equal(1, again.Attempts);
        Assert.Equal(DeliveryStatus.Retrying, again.Status);
    }

    [Fact]
    public async Task Complete_LogsTheAttempt_AndLearnsTheExternalId()
    {
        var store = await Open();
        await EnqueueAsync(store, NewDelivery("rec_a", 1), NewDelivery("rec_a", 2));
        var first = (await store.ClaimDueAsync("sink", Time.GetUtcNow(), 10, [], default)).Single();
        await store.CompleteAsync([Outcome(first.Id, DeliveryStatus.Succeeded, externalId: "ext-9")], default);

        var second = Assert.Single(await store.ClaimDueAsync("sink", Time.GetUtcNow(), 10, [], default));
        Assert.Equal("ext-9", second.ExternalId);
        var done = await store.GetDeliveryAsync(first.Id, default);
        Assert.Equal(DeliveryStatus.Succeeded, done!.Status);
        Assert.NotNull(done.CompletedAt);
        var log = await store.QueryLogAsync(new LogQuery(RecordId: "rec_a"), default);
        var attempt = Assert.Single(log, e => e.Direction == "outbound");
        Assert.Equal("succeeded", attempt.Result);
        Assert.Equal(200, attempt.ResponseStatus);
        Assert.Equal(first.CorrelationId, attempt.CorrelationId);
        Assert.Equal("ext-9", attempt.ExternalId);
    }

    [Fact]
    public async Task AnIdTheSystemGaveAnotherRecord_IsNotMovedToThisOne()
    {
        var store = await Open();
        await EnqueueAsync(store, NewDelivery("rec_a", 1), NewDelivery("rec_b", 1));
        var due = await store.ClaimDueAsync("sink", Time.GetUtcNow(), 10, [], default);
        await store.CompleteAsync([Outcome(due[0].Id, DeliveryStatus.Succeeded, externalId: "ext-1")], default);
        await store.CompleteAsync([Outcome(due[1].Id, DeliveryStatus.Succeeded, externalId: "ext-1")], default);

        Assert.Equal("ext-1", Assert.Single(await store.GetLinksAsync("rec_a", default)).ExternalId);
        Assert.Empty(await store.GetLinksAsync("rec_b", default));
    }

    [Fact]
    public async Task Prune_KeepsTheLogOfDeliveriesStillUnderWay()
    {
        var store = await Open();
        await EnqueueAsync(store, NewDelivery("rec_a", 1));
        var due = await store.ClaimDueAsync("sink", Time.GetUtcNow(), 10, [], default);
        await store.CompleteAsync([Outcome(due[0].Id, DeliveryStatus.Retrying, next: Time.GetUtcNow().AddDays(40), code: 503)], default);
        Time.Advance(TimeSpan.FromDays(31));

        await store.PruneAsync(Time.GetUtcNow() - TimeSpan.FromDays(30), default);

        Assert.Single(await store.QueryLogAsync(new LogQuery(System: "sink"), default));
    }

    [Fact]
    public async Task Requeue_TakesOnlyDeadDeliveries()
    {
        var store = await Open();
        await EnqueueAsync(store, NewDelivery("rec_a", 1), NewDelivery("rec_b", 1));
        var due = await store.ClaimDueAsync("sink", Time.GetUtcNow(), 10, [], default);
        await store.CompleteAsync([Outcome(due[0].Id, DeliveryStatus.Dead, code: 400)], default);

        Assert.False(await store.RequeueAsync(due[1].Id, "{}", "k2", Time.GetUtcNow(), "ops", default));
        Assert.True(await store.RequeueAsync(due[0].Id, """{"email":"new@example.com"}""", "k1.r1", Time.GetUtcNow(), "ops", default));
        var requeued = await store.GetDeliveryAsync(due[0].Id, default);
        Assert.Equal(DeliveryStatus.Pending, requeued!.Status);
        Assert.Equal("k1.r1", requeued.IdempotencyKey);
        Assert.Equal(0, requeued.Attempts);
        Assert.Equal(("ops", Time.GetUtcNow()), (requeued.ReplayedBy, requeued.ReplayedAt));
        Assert.Null((await store.GetDeliveryAsync(due[1].Id, default))!.ReplayedBy);
        Assert.Contains("new@example.com", requeued.Payload, StringComparison.Ordinal);
        Assert.Empty(await store.QueryDeliveriesAsync(new DeliveryQuery(Status: DeliveryStatus.Dead), default));
    }

    [Fact]
    public async Task QueryDeliveries_FiltersByStatusSystemAndRecord()
    {
        var store = await Open();
        await EnqueueAsync(store, NewDelivery("rec_a", 1), NewDelivery("rec_b", 1), NewDelivery("rec_a", 1, system: "crm"));
        Assert.Equal(3, (await store.QueryDeliveriesAsync(new DeliveryQuery(), default)).Count);
        Assert.Equal(2, (await store.QueryDeliveriesAsync(new DeliveryQuery(System: "sink"), default)).Count);
        Assert.Equal(2, (await store.QueryDeliveriesAsync(new DeliveryQuery(RecordId: "rec_a"), default)).Count);
        Assert.Equal(3, (await store.QueryDeliveriesAsync(new DeliveryQuery(Status: DeliveryStatus.Pending), default)).Count);
        Assert.Empty(await store.QueryDeliveriesAsync(new DeliveryQuery(Status: DeliveryStatus.Dead), default));
    }

    [Fact]
    public async Task Search_FindsByEmailNameAndExternalId()
    {
        var store = await Open();
        await store.AppendAsync([Change("a")], default);
        await store.ProcessInboxAsync(10, (tx, batch) =>
        {
            var r = new GoldenRecord { Id = "rec_1", Type = "customer", Version = 1, CreatedAt = Time.GetUtcNow(), UpdatedAt = Time.GetUtcNow() };
            r.Fields["email"] = new FieldValue { Value = "Ann.Lee@Example.com", System = "crm" };
            r.Fields["name"] = new FieldValue { Value = "Ann Lee", System = "crm" };
            r.Fields["company"] = new FieldValue { Value = "Acme Corp", System = "crm" };
            tx.SaveRecord(r, 0);
            tx.ClaimIdentity("customer", "email", "ann.lee@example.com", "rec_1");
            tx.SetLink("billing", "customer", "cus_42", "rec_1");
            tx.CompleteChange(batch[0].Sequence, "created", "rec_1", null);
        }, default);

        foreach (var q in new[] { "ann.lee@example.com", "ANN LEE", "acme", "cus_42", "rec_1" })
        {
            Assert.Equal("rec_1", Assert.Single(await store.SearchAsync("customer", q, 10, default)).Id);
        }

        Assert.Empty(await store.SearchAsync("customer", "nobody", 10, default));
        Assert.Empty(await store.SearchAsync("company", "acme", 10, default));
        Assert.Empty(await store.SearchAsync("customer", "%", 10, default));
    }

    [Fact]
    public async Task Search_FindsByPhoneDigitsDomainCompanyAndFullName_AndListsRecentWithoutAQuery()
    {
        var store = await Open();
        await store.ExecuteAsync(tx =>
        {
            var start = Time.GetUtcNow();
            var ann = new GoldenRecord { Id = "rec_ann", Type = "customer", Version = 1, CreatedAt = start, UpdatedAt = start.AddMinutes(-5) };
            ann.Fields["first_name"] = new FieldValue { Value = "Ann", System = "crm" };
            ann.Fields["last_name"] = new FieldValue { Value = "Lee", System = "crm" };
            ann.Fields["phone"] = new FieldValue { Value = "+1 (217) 555-0100", System = "crm" };
            ann.Fields["company"] = new FieldValue { Value = "Acme Corp", System = "crm" };
            tx.SaveRecord(ann, 0);
            var bob = new GoldenRecord { Id = "rec_bob", Type = "customer", Version = 1, CreatedAt = start, UpdatedAt = start };
            bob.Fields["name"] = new FieldValue { Value = "Bob Stone", System = "crm" };
            bob.Fields["phone"] = new FieldValue { Value = "217.555.0199", System = "crm" };
            tx.SaveRecord(bob, 0);
            var acme = new GoldenRecord { Id = "rec_acme", Type = "company", Version = 1, CreatedAt = start, UpdatedAt = start };
            acme.Fields["name"] = new FieldValue { Value = "Acme Corp", System = "crm" };
            acme.Fields["domain"] = new FieldValue { Value = "acme.example", System = "crm" };
            tx.SaveRecord(acme, 0);
            var gone = new GoldenRecord { Id = "rec_gone", Type = "customer", Version = 2, Deleted = true, CreatedAt = start, UpdatedAt = start.AddMinutes(1) };
            gone.Fields["phone"] = new FieldValue { Value = "+1 217 555 0100", System = "crm" };
            tx.SaveRecord(gone, 0);
            tx.SetLink("billing", "customer", "cus_Ann", "rec_ann");
            return 0;
        }, default);

        foreach (var q in new[] { "2175550100", "+1 217 555 0100", "(217) 555-0100", "ann lee", "Acme", "cus_Ann" })
        {
            Assert.Equal("rec_ann", Assert.Single(await store.SearchAsync("customer", q, 10, default)).Id);
        }

        // A shared prefix of digits finds both; too few digits are not read as a phone number.
        Assert.Equal(["rec_bob", "rec_ann"], (await store.SearchAsync("customer", "217-555-01", 10, default)).Select(r => r.Id));
        Assert.Empty(await store.SearchAsync("customer", "2175", 10, default));
        Assert.Equal("rec_acme", Assert.Single(await store.SearchAsync("company", "acme.example", 10, default)).Id);

        // A record saved again with other values is found by the new ones only, and a removed record not at all.
        await store.ExecuteAsync(tx =>
        {
            var moved = new GoldenRecord { Id = "rec_bob", Type = "customer", Version = 2, CreatedAt = Time.GetUtcNow(), UpdatedAt = Time.GetUtcNow() };
            moved.Fields["name"] = new FieldValue { Value = "Robert Stone", System = "crm" };
            moved.Fields["phone"] = new FieldValue { Value = "+1 312 555 0177", System = "crm" };
            tx.SaveRecord(moved, 0);
            tx.SaveRecord(moved, 0);
            return 0;
        }, default);
        Assert.Equal("rec_bob", Assert.Single(await store.SearchAsync("customer", "robert", 10, default)).Id);
        Assert.Equal("rec_bob", Assert.Single(await store.SearchAsync("customer", "3125550177", 10, default)).Id);
        Assert.Empty(await store.SearchAsync("customer", "bob stone", 10, default));
        Assert.Empty(await store.SearchAsync("customer", "217.555.0199", 10, default));
        await store.ExecuteAsync(tx => { tx.RemoveRecord("rec_acme"); return 0; }, default);
        Assert.Empty(await store.SearchAsync("company", "acme", 10, default));

        // No query: the type's live records, most recently changed first, cut to the limit.
        Assert.Equal(["rec_bob", "rec_ann"], (await store.SearchAsync("customer", "", 10, default)).Select(r => r.Id));
        Assert.Equal(["rec_bob"], (await store.SearchAsync("customer", " ", 1, default)).Select(r => r.Id));
    }

    [Fact]
    public async Task ReadRecords_StreamsTheLiveRecordsOfOneTypeOldestFirst()
    {
        var store = await Open();
        await store.ExecuteAsync(tx =>
        {
            var start = Time.GetUtcNow();
            foreach (var (id, type, deleted, age) in new[] { ("rec_b", "customer", false, 1), ("rec_a", "customer", false, 2), ("rec_c", "customer", true, 3), ("rec_d", "company", false, 4) })
            {
                var r = new GoldenRecord { Id = id, Type = type, Version = 1, Deleted = deleted, CreatedAt = start.AddMinutes(-age), UpdatedAt = start };
                r.Fields["name"] = new FieldValue { Value = id, System = "crm" };
                tx.SaveRecord(r, 0);
            }

            return 0;
        }, default);

        var customers = new List<GoldenRecord>();
        await foreach (var record in store.ReadRecordsAsync("customer", default))
        {
            customers.Add(record);
        }

        Assert.Equal(["rec_a", "rec_b"], customers.Select(r => r.Id));
        Assert.Equal("rec_a", customers[0].BestValueOf("name")?.GetValue<string>());
        Assert.Empty(await store.ReadRecordsAsync("supplier", default).ToListAsync());
    }

    [Fact]
    public async Task Log_TiesTheInboundChangeToTheAttemptsItCaused()
    {
        var store = await Open();
        await store.AppendAsync([Change("a")], default);
        long deliveryId = 0;
        await store.ProcessInboxAsync(10, (tx, batch) =>
        {
            tx.EnqueueDelivery(NewDelivery("rec_1", 1) with { CorrelationId = batch[0].Inbound.ChangeId });
            tx.CompleteChange(batch[0].Sequence, "created", "rec_1", null);
        }, default);
        deliveryId = (await store.ClaimDueAsync("sink", Time.GetUtcNow(), 1, [], default)).Single().Id;
        Time.Advance(TimeSpan.FromSeconds(1));
        await store.CompleteAsync([Outcome(deliveryId, DeliveryStatus.Succeeded)], default);

        var log = await store.QueryLogAsync(new LogQuery(CorrelationId: "chg_a"), default);
        Assert.Equal(["outbound", "inbound"], log.Select(e => e.Direction));
        Assert.Equal("created", log[1].Result);
        Assert.Equal("crm", log[1].System);
        Assert.Equal("rec_1", log[1].RecordId);
        Assert.Single(await store.QueryLogAsync(new LogQuery(System: "sink"), default));
        Assert.Empty(await store.QueryLogAsync(new LogQuery(Since: Time.GetUtcNow().AddSeconds(1)), default));
    }

    [Fact]
    public async Task ApiKeys_AreFoundByHashOnly()
    {
        var store = await Open();
        await store.CreateApiKeyAsync(new ApiKeyInfo("key_1", "ci", "abc123", Time.GetUtcNow()), default);
        Assert.Equal("ci", (await store.FindApiKeyAsync("abc123", default))!.Name);
        Assert.Null(await store.FindApiKeyAsync("abc124", default));
    }

    [Fact]
    public async Task ARevokedApiKey_IsNotFound_ButStillListed()
    {
        var store = await Open();
        await store.CreateApiKeyAsync(new ApiKeyInfo("key_1", "ci", "h1", Time.GetUtcNow()), default);
        await store.CreateApiKeyAsync(new ApiKeyInfo("key_2", "ops", "h2", Time.GetUtcNow()), default);

        Assert.True(await store.RevokeApiKeyAsync("key_1", Time.GetUtcNow(), default));
        Assert.False(await store.RevokeApiKeyAsync("key_1", Time.GetUtcNow(), default));
        Assert.False(await store.RevokeApiKeyAsync("key_9", Time.GetUtcNow(), default));

        Assert.Null(await store.FindApiKeyAsync("h1", default));
        Assert.NotNull(await store.FindApiKeyAsync("h2", default));
        var listed = await store.ListApiKeysAsync(default);
        Assert.Equal([("key_1", true), ("key_2", false)], listed.Select(k => (k.Id, k.RevokedAt is not null)));
    }

    [Fact]
    public async Task Health_CountsRecordsBacklogAndDeliveriesPerSystem()
    {
        var store = await Open();
        await EnqueueAsync(store, NewDelivery("rec_a", 1), NewDelivery("rec_b", 1), NewDelivery("rec_c", 1));
        await store.AppendAsync([Change("pending-1"), Change("pending-2")], default);
        var due = await store.ClaimDueAsync("sink", Time.GetUtcNow(), 10, [], default);
        await store.CompleteAsync([Outcome(due[0].Id, DeliveryStatus.Dead, code: 400), Outcome(due[1].Id, DeliveryStatus.Succeeded)], default);
        Time.Advance(TimeSpan.FromSeconds(5));

        var health = await store.GetHealthAsync(Time.GetUtcNow(), TimeSpan.FromMinutes(15), default);
        Assert.Equal(2, health.InboxBacklog);
        Assert.Equal(1, health.DeliveriesPending);
        Assert.Equal(1, health.DeliveriesDead);
        Assert.Equal(2, health.AttemptsInWindow);
        Assert.Equal(1, health.FailedAttemptsInWindow);
        Assert.Equal(5, health.OldestPendingAge!.Value.TotalSeconds, 0.01);
        Assert.Equal("sink", Assert.Single(health.Systems).System);
    }

    [Fact]
    public async Task SystemActivity_GivesLastTrafficPerSystem_AndCountsDeadAndFailedOnlySinceTheCutoff()
    {
        var store = await Open();
        await EnqueueAsync(store, NewDelivery("rec_a", 1), NewDelivery("rec_b", 1));
        var due = await store.ClaimDueAsync("sink", Time.GetUtcNow(), 10, [], default);
        await store.CompleteAsync([Outcome(due[0].Id, DeliveryStatus.Dead, code: 400)], default);
        Time.Advance(TimeSpan.FromDays(10));
        var cutoff = Time.GetUtcNow();
        await store.CompleteAsync([Outcome(due[1].Id, DeliveryStatus.Succeeded)], default);
        await EnqueueAsync(store, NewDelivery("rec_c", 1));
        var more = await store.ClaimDueAsync("sink", Time.GetUtcNow(), 10, [], default);
        await store.CompleteAsync([Outcome(more[0].Id, DeliveryStatus.Dead, code: 400)], default);

        var activity = await store.GetSystemActivityAsync(cutoff, default);

        Assert.Equal(["crm", "sink"], activity.Select(a => a.System));
        Assert.Equal(cutoff, activity[0].LastInboundAt); // the change that enqueued rec_c
        Assert.Null(activity[0].LastDeliveredAt);
        Assert.Equal(cutoff, activity[1].LastDeliveredAt!.Value, TimeSpan.FromSeconds(1));
        Assert.Null(activity[1].LastInboundAt);
        Assert.Equal(1, activity[1].DeadSince);
        Assert.Equal(1, activity[1].FailedSince);
    }

    [Fact]
    public async Task Prune_RemovesOldFinishedWork_ButKeepsDeadLettersAndPendingWork()
    {
        var store = await Open();
        await EnqueueAsync(store, NewDelivery("rec_a", 1), NewDelivery("rec_b", 1), NewDelivery("rec_c", 1));
        var due = await store.ClaimDueAsync("sink", Time.GetUtcNow(), 10, [], default);
        await store.CompleteAsync([Outcome(due[0].Id, DeliveryStatus.Dead, code: 400), Outcome(due[1].Id, DeliveryStatus.Succeeded)], default);
        Time.Advance(TimeSpan.FromDays(31));
        await store.AppendAsync([Change("fresh")], default);

        var removed = await store.PruneAsync(Time.GetUtcNow() - TimeSpan.FromDays(30), default);

        Assert.True(removed >= 2);
        var left = await store.QueryDeliveriesAsync(new DeliveryQuery(), default);
        Assert.Equal([DeliveryStatus.Pending, DeliveryStatus.Dead], left.Select(d => d.Status).Order());
        Assert.Single(await store.QueryLogAsync(new LogQuery(System: "sink"), default));
        var handed = 0;
        await store.ProcessInboxAsync(10, (_, b) => handed = b.Count, default);
        Assert.Equal(1, handed);
    }

    [Fact]
    public async Task ConcurrentAppends_AllCommit()
    {
        var store = await Open();
        var tasks = Enumerable.Range(0, 200).Select(i => store.AppendAsync([Change($"e{i}", externalId: $"c-{i}")], default)).ToList();
        var results = await Task.WhenAll(tasks);
        Assert.All(results, r => Assert.False(r[0].Duplicate));
        var handed = 0;
        while (await store.ProcessInboxAsync(64, (tx, batch) =>
        {
            foreach (var p in batch)
            {
                tx.CompleteChange(p.Sequence, "applied", null, null);
            }
        }, default) is > 0 and var n)
        {
            handed += n;
        }

        Assert.Equal(200, handed);
    }
}
