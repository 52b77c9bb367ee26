using System.Text.Json.Nodes;
using Concord.Core.Configuration;
using Concord.Core.Records;
using Concord.Engine.Storage;
using Concord.Testing;

namespace Concord.Storage.Sqlite.Tests;

/// <summary>The data-health figures the database counts, over planted records, links and findings; and the history.</summary>
public sealed class DataHealthStoreTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _dir = new();
    private SqliteHubStore _store = null!;

    public async Task InitializeAsync()
    {
        _store = new SqliteHubStore(_dir.File("health.db"), durable: false);
        await _store.InitializeAsync(default);
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        _dir.Dispose();
    }

    private static GoldenRecord Record(string id, string type, long version = 1, bool deleted = false, string? observedBy = null, params (string Field, object? Value)[] fields)
    {
        var record = new GoldenRecord { Id = id, Type = type, Version = version, Deleted = deleted, CreatedAt = T0, UpdatedAt = T0 };
        foreach (var (field, value) in fields)
        {
            record.Fields[field] = new FieldValue { Value = value is null ? null : JsonValue.Create(value), System = "crm", ObservedAt = T0, Version = 1 };
        }

        if (observedBy is not null)
        {
            record.Observations["name"] = new Dictionary<string, Observation>
            {
                [observedBy] = new() { Value = JsonValue.Create("seen"), ObservedAt = T0 },
            };
        }

        return record;
    }

    private Task PlantAsync(IEnumerable<GoldenRecord> records, params (string System, string Type, string ExternalId, string RecordId)[] links) =>
        _store.ExecuteAsync(tx =>
        {
            foreach (var r in records)
            {
                tx.SaveRecord(r, 0);
            }

            foreach (var (system, type, externalId, recordId) in links)
            {
                tx.SetLink(system, type, externalId, recordId);
            }

            return true;
        }, default);

    [Fact]
    public async Task Completeness_ConnectionAndSources_AreCountedPerFieldAndSystem()
    {
        await PlantAsync(
            [
                Record("c1", "customer", fields: [("email", "a@x.com"), ("name", "A")]),  // complete, in crm + books: healthy
                Record("c2", "customer", fields: [("email", "b@x.com"), ("name", "B")]),  // complete, only crm: not connected, single source
                Record("c3", "customer", fields: [("email", ""), ("name", "C")]),         // empty email counts as missing
                Record("c4", "customer", fields: [("name", "   ")]),                      // missing both (blank name is missing)
                Record("c5", "customer", fields: [("email", "e@x.com"), ("name", "E")]),  // complete, linked nowhere
                Record("c6", "customer", deleted: true, fields: [("email", "f@x.com")]),  // deleted: not counted
                Record("i1", "invoice", fields: [("number", "1")]),                       // another type: not counted
            ],
            ("crm", "customer", "1", "c1"), ("books", "customer", "B1", "c1"),
            ("crm", "customer", "2", "c2"),
            ("crm", "customer", "3", "c3"), ("books", "customer", "B3", "c3"),
            ("crm", "customer", "4", "c4"), ("books", "customer", "B4", "c4"), ("crm", "customer", "4b", "c4"));

        var figures = await _store.MeasureTypeAsync(new TypeHealthSpec("customer", ["email", "name"], [],
            [new ExpectedSystem("crm", []), new ExpectedSystem("books", [])]), default);

        Assert.Equal(5, figures.Records);
        Assert.Equal(3, figures.Complete);                 // c1, c2, c5
        Assert.Equal(3, figures.Connected);                // c1, c3, c4
        Assert.Equal(1, figures.CompleteAndConnected);     // c1
        Assert.Equal(2, figures.MissingByField["email"]);  // c3, c4
        Assert.Equal(1, figures.MissingByField["name"]);   // c4
        Assert.Equal(2, figures.NotLinkedBySystem["books"]); // c2, c5
        Assert.Equal(1, figures.NotLinkedBySystem["crm"]);   // c5
        Assert.Equal(5, figures.ExpectedBySystem["books"]);
        Assert.Equal(1, figures.SingleSource);             // c2 (c4 has two crm ids but also books)
        Assert.Equal(1, figures.Unlinked);                 // c5
    }

    [Fact]
    public async Task ASyncFilter_DecidesWhichRecordsASystemIsExpectedToHold()
    {
        await PlantAsync(
            [
                Record("s1", "subscription", fields: [("status", "Active")]),   // matches (case does not matter), linked in billing
                Record("s2", "subscription", fields: [("status", "active")]),   // matches, not linked: not connected
                Record("s3", "subscription", fields: [("status", "canceled")]), // outside the filter: not expected
                Record("s4", "subscription"),                                    // no status: outside the filter
            ],
            ("billing", "subscription", "b1", "s1"));

        var figures = await _store.MeasureTypeAsync(new TypeHealthSpec("subscription", [], [],
        [
            new ExpectedSystem("billing", [new FilterCondition("status", FilterOperator.In, ["active", "trialing"], false, SourceSpan.None)]),
        ]), default);

        Assert.Equal(2, figures.ExpectedBySystem["billing"]);
        Assert.Equal(1, figures.NotLinkedBySystem["billing"]);
        Assert.Equal(3, figures.Connected);

        var negated = await _store.MeasureTypeAsync(new TypeHealthSpec("subscription", [], [],
        [
            new ExpectedSystem("billing", [new FilterCondition("status", FilterOperator.NotIn, ["canceled"], false, SourceSpan.None)]),
            new ExpectedSystem("crm", [new FilterCondition("status", FilterOperator.Exists, [], true, SourceSpan.None)]),
        ]), default);
        Assert.Equal(3, negated.ExpectedBySystem["billing"]); // s1, s2, s4 (absent is "not canceled")
        Assert.Equal(3, negated.ExpectedBySystem["crm"]);     // s1, s2, s3
        Assert.Equal(3, negated.NotLinkedBySystem["crm"]);
    }

    [Fact]
    public async Task References_AreEmpty_Dangling_OrMatched()
    {
        await PlantAsync(
            [
                Record("cus_ok", "customer", fields: [("email", "a@x.com")]),
                Record("cus_shell", "customer", version: 0),                 // created for an id the hub never heard of
                Record("cus_seen", "customer", version: 0, observedBy: "stripe"), // known only by a non-owner: still a customer
                Record("cus_gone", "customer", deleted: true, fields: [("email", "g@x.com")]),
                Record("inv1", "invoice", fields: [("customer", "cus_ok")]),
                Record("inv2", "invoice", fields: [("customer", "cus_shell")]),
                Record("inv3", "invoice", fields: [("customer", "cus_gone")]),
                Record("inv4", "invoice", fields: [("customer", "rec_nowhere")]),
                Record("inv5", "invoice"),
                Record("inv6", "invoice", fields: [("customer", "cus_seen")]),
                Record("inv7", "invoice", fields: [("customer", "inv1")]),  // names a record of another type
            ]);

        var figures = await _store.MeasureTypeAsync(new TypeHealthSpec("invoice", [], [new ReferenceSpec("customer", "customer")], []), default);

        Assert.Equal(1, figures.ReferenceEmpty["customer"]);     // inv5
        Assert.Equal(4, figures.ReferenceDangling["customer"]);  // inv2, inv3, inv4, inv7
    }

    [Fact]
    public async Task ManyRequiredFieldsAndSystems_SpillIntoMoreThanOneMask()
    {
        var fields = Enumerable.Range(0, 70).Select(i => $"f{i:D2}").ToList();
        var full = Record("r1", "thing", fields: fields.Select(f => (f, (object?)"x")).ToArray());
        var partial = Record("r2", "thing", fields: fields.Take(65).Select(f => (f, (object?)"x")).ToArray());
        await PlantAsync([full, partial]);

        var figures = await _store.MeasureTypeAsync(new TypeHealthSpec("thing", fields, [], []), default);

        Assert.Equal(1, figures.Complete);
        Assert.Equal(0, figures.MissingByField["f64"]);
        Assert.Equal(1, figures.MissingByField["f65"]);
        Assert.Equal(1, figures.MissingByField["f69"]);
    }

    [Fact]
    public async Task Duplicates_CountOpenFindingsAndMergesInForce()
    {
        await PlantAsync([Record("a", "customer"), Record("b", "customer"), Record("c", "customer")]);
        await _store.ExecuteAsync(tx =>
        {
            tx.RaiseFinding(new Finding("f1", "possible-duplicate", "warning", "customer", "a", "b", null, "maybe", T0));
            tx.RaiseFinding(new Finding("f2", "duplicate-in-system", "warning", "customer", "c", null, "crm", "twice", T0));
            tx.RaiseFinding(new Finding("f3", "possible-duplicate", "warning", "customer", "c", "a", null, "maybe", T0));
            tx.CloseFinding("f3", dismissed: true);
            tx.RaiseFinding(new Finding("f4", "double-billing", "error", "customer", "a", null, null, "not a duplicate kind", T0));
            tx.SaveMerge(new MergeEntry("m1", "customer", "a", "x", "{}", "{}", [], "steward", T0));
            tx.SaveMerge(new MergeEntry("m2", "customer", "a", "y", "{}", "{}", [], "steward", T0, UndoneAt: T0.AddHours(1)));
            return true;
        }, default);

        var figures = Assert.Single(await _store.GetDuplicateFiguresAsync(default));

        Assert.Equal(new DuplicateFigures("customer", Suspected: 2, Merged: 1, MergesTotal: 2, UnmergesTotal: 1), figures);
    }

    [Fact]
    public async Task History_KeepsSamples_FiltersByLabel_AndThinsOldOnesToOnePerHour()
    {
        for (var i = 0; i < 12; i++)
        {
            var at = T0.AddMinutes(10 * i);
            await _store.AddHealthSampleAsync(at,
            [
                new HealthPoint("score", null, null, null, 0.9 + (i / 1000.0)),
                new HealthPoint("score", "customer", null, null, 0.8),
                new HealthPoint("missing", "customer", null, "email", i),
                new HealthPoint("error_rate", null, "crm", null, 0.5),
            ], default);
        }

        var overall = await _store.GetHealthHistoryAsync(new HealthHistoryQuery("score", T0, OverallOnly: true), default);
        Assert.Equal(12, overall.Count);
        Assert.All(overall, p => Assert.Null(p.Type));
        Assert.Equal(T0, overall[0].At);
        Assert.Equal(0.911, overall[^1].Value, 6);

        var missing = await _store.GetHealthHistoryAsync(new HealthHistoryQuery("missing", T0.AddMinutes(30), Type: "customer", Field: "email"), default);
        Assert.Equal([3, 4, 5, 6, 7, 8, 9, 10, 11], missing.Select(p => p.Value));
        Assert.Empty(await _store.GetHealthHistoryAsync(new HealthHistoryQuery("missing", T0, Field: "name"), default));

        var latest = await _store.GetHealthHistoryAsync(new HealthHistoryQuery("score", T0, Type: "customer", Limit: 2), default);
        Assert.Equal([T0.AddMinutes(100), T0.AddMinutes(110)], latest.Select(p => p.At));

        // Samples before 10:30 are thinned to the first of each hour (09:00, 10:00); none is old enough to drop.
        var removed = await _store.ThinHealthHistoryAsync(T0.AddMinutes(90), T0.AddDays(-1), default);
        Assert.Equal(7, removed);
        var left = await _store.GetHealthHistoryAsync(new HealthHistoryQuery("error_rate", T0, System: "crm"), default);
        Assert.Equal([T0, T0.AddHours(1), T0.AddMinutes(90), T0.AddMinutes(100), T0.AddMinutes(110)], left.Select(p => p.At));

        Assert.Equal(5, await _store.ThinHealthHistoryAsync(T0, T0.AddHours(3), default));
        Assert.Empty(await _store.GetHealthHistoryAsync(new HealthHistoryQuery("score", T0), default));
    }

    [Fact]
    public async Task LastAccepted_IsTheNewestChangeOfEachSystem()
    {
        InboundChange Change(string system, string id, DateTimeOffset at) =>
            new($"chg_{id}", new Change(system, "customer", id, id, at, new Dictionary<string, JsonNode?>()), "{}", at, "api");
        await _store.AppendAsync([Change("crm", "1", T0), Change("crm", "2", T0.AddMinutes(5)), Change("stripe", "3", T0.AddMinutes(1))], default);

        var last = await _store.GetLastAcceptedAsync(default);

        Assert.Equal(T0.AddMinutes(5), last["crm"]);
        Assert.Equal(T0.AddMinutes(1), last["stripe"]);
    }
}
