using Concord.Engine.Storage;
using Xunit;

namespace Concord.Testing;

/// <summary>What every store must do for the hourly traffic history and the learned payload shapes.</summary>
public abstract partial class HubStoreComplianceTests
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    private DateTimeOffset HourNow => new(Time.GetUtcNow().Year, Time.GetUtcNow().Month, Time.GetUtcNow().Day, Time.GetUtcNow().Hour, 0, 0, TimeSpan.Zero);

    private static TrafficHour? Find(IReadOnlyList<TrafficHour> hours, string subject, string? type, DateTimeOffset hour) =>
        hours.SingleOrDefault(h => h.Subject == subject && h.Type == type && h.Hour == hour);

    [Fact]
    public async Task Traffic_RolledUpTwice_CountsEachLineOnce_AndTheCurrentHourLive()
    {
        var store = await Open();
        Time.Advance(TimeSpan.FromMinutes(10));
        var nine = HourNow;
        await store.AppendAsync([Change("e1"), Change("e2", "c-2"), Change("e3", "c-3", system: "billing")], default);
        Time.Advance(Hour);
        await store.AppendAsync([Change("e4", "c-4")], default);

        var first = await store.RollUpTrafficAsync(Time.GetUtcNow(), Time.GetUtcNow() - TimeSpan.FromDays(180), default);
        var second = await store.RollUpTrafficAsync(Time.GetUtcNow(), Time.GetUtcNow() - TimeSpan.FromDays(180), default);
        var hours = await store.GetTrafficAsync(nine - Hour, Time.GetUtcNow() + Hour, default);

        Assert.Equal(3, first.Lines);
        Assert.Equal(0, second.Lines);
        Assert.Equal(2, Find(hours, "system:crm", "customer", nine)!.Inbound);
        Assert.Equal(1, Find(hours, "system:billing", "customer", nine)!.Inbound);
        Assert.Equal(1, Find(hours, "system:crm", "customer", nine + Hour)!.Inbound);

        // Once the current hour is over, its line moves into the history: still counted once.
        Time.Advance(Hour);
        Assert.Equal(1, (await store.RollUpTrafficAsync(Time.GetUtcNow(), Time.GetUtcNow() - TimeSpan.FromDays(180), default)).Lines);
        var after = await store.GetTrafficAsync(nine, Time.GetUtcNow(), default);
        Assert.Equal(1, Find(after, "system:crm", "customer", nine + Hour)!.Inbound);
        Assert.Equal(2, Find(after, "system:crm", "customer", nine)!.Inbound);
        Assert.Empty(await store.GetTrafficAsync(nine - 2 * Hour, nine, default));
    }

    [Fact]
    public async Task Traffic_CountsDeliveryAttemptsAndFailures_AndFlowRunsStartedAndFailed()
    {
        var store = await Open();
        var start = HourNow;
        await EnqueueAsync(store, NewDelivery("rec_a", 1), NewDelivery("rec_b", 1));
        var due = await store.ClaimDueAsync("sink", Time.GetUtcNow(), 10, [], default);
        await store.CompleteAsync([Outcome(due[0].Id, DeliveryStatus.Succeeded), Outcome(due[1].Id, DeliveryStatus.Retrying, next: Time.GetUtcNow(), code: 500)], default);
        await store.ExecuteAsync(tx =>
        {
            tx.EnqueueFlowRun(Run("run_ok", flow: "notify"));
            tx.EnqueueFlowRun(Run("run_bad", flow: "notify", record: "rec_2"));
            return true;
        }, default);
        var bad = (await store.GetFlowRunAsync("run_bad", default))!;
        await store.ExecuteAsync(tx =>
        {
            tx.SaveFlowRun(bad with { Status = FlowRunStatus.Failed, FinishedAt = Time.GetUtcNow(), Error = "boom" });
            return true;
        }, default);

        var live = await store.GetTrafficAsync(start, start + Hour, default);
        Time.Advance(2 * Hour);
        await store.RollUpTrafficAsync(Time.GetUtcNow(), Time.GetUtcNow() - TimeSpan.FromDays(180), default);
        var rolled = await store.GetTrafficAsync(start, start + Hour, default);

        foreach (var hours in new[] { live, rolled })
        {
            var sink = Find(hours, "system:sink", "customer", start)!;
            Assert.Equal((0, 2, 1), (sink.Inbound, sink.Outbound, sink.Failed));
            var flow = Find(hours, "flow:notify", null, start)!;
            Assert.Equal((2, 0, 1), (flow.Inbound, flow.Outbound, flow.Failed));
        }
    }

    [Fact]
    public async Task Traffic_Added_IsSummedWithTheHour_AndHistoryOlderThanTheRetentionIsDropped()
    {
        var store = await Open();
        var now = HourNow;
        var old = now - TimeSpan.FromDays(200);
        await store.AddTrafficAsync([new("system:stripe", "customer", old, 5, 0, 0), new("system:stripe", "customer", now - Hour, 20, 3, 1)], default);
        await store.AddTrafficAsync([new("system:stripe", "customer", now - Hour + TimeSpan.FromMinutes(30), 2, 0, 0)], default);

        var before = await store.GetTrafficAsync(old, now, default);
        var rollup = await store.RollUpTrafficAsync(Time.GetUtcNow(), Time.GetUtcNow() - TimeSpan.FromDays(180), default);
        var after = await store.GetTrafficAsync(old, now, default);

        Assert.Equal(2, before.Count);
        Assert.Equal(22, Find(before, "system:stripe", "customer", now - Hour)!.Inbound);
        Assert.Equal(1, rollup.Expired);
        Assert.Equal(new TrafficHour("system:stripe", "customer", now - Hour, 22, 3, 1), Assert.Single(after));
    }

    [Fact]
    public async Task Traffic_OutlivesTheLog_WhenTheLogIsPruned()
    {
        var store = await Open();
        var then = HourNow;
        await store.AppendAsync([Change("old1"), Change("old2", "c-2")], default);
        await store.ProcessInboxAsync(10, (tx, batch) => CompleteAll(tx, batch, []), default);
        Time.Advance(TimeSpan.FromDays(40));

        var removed = await store.PruneAsync(Time.GetUtcNow() - TimeSpan.FromDays(30), default);
        var hours = await store.GetTrafficAsync(then, then + Hour, default);

        Assert.True(removed >= 2);
        Assert.Equal(2, Find(hours, "system:crm", "customer", then)!.Inbound);
    }

    [Fact]
    public async Task Shapes_AreSavedByTypeAndSystem_AndReplaced()
    {
        var store = await Open("shapes");
        await store.SaveShapesAsync([new("stripe", "customer", """{"samples":1}""", Time.GetUtcNow()), new("hubspot", "customer", """{"samples":2}""", Time.GetUtcNow())], default);
        await store.SaveShapesAsync([new("stripe", "customer", """{"samples":3}""", Time.GetUtcNow())], default);
        await store.DisposeAsync();
        _opened.Remove(store);

        var shapes = await (await Open("shapes")).GetShapesAsync(default);

        Assert.Equal(["hubspot/customer:{\"samples\":2}", "stripe/customer:{\"samples\":3}"], shapes.Select(s => $"{s.System}/{s.Type}:{s.Document}"));
    }
}
