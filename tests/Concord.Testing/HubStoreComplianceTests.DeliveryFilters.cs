using Concord.Engine.Storage;
using Xunit;

namespace Concord.Testing;

/// <summary>What every store must do to find deliveries and log lines by record, flow, time and direction, a page at a time.</summary>
public abstract partial class HubStoreComplianceTests
{
    [Fact]
    public async Task QueryDeliveries_FiltersByExternalIdFlowAndTime_AndPagesByBefore()
    {
        var store = await Open();
        await store.ExecuteAsync(tx =>
        {
            tx.EnqueueFlowRun(Run("run_w1", flow: "welcome"));
            tx.EnqueueFlowRun(Run("run_b1", flow: "billing", record: "rec_2"));
            return true;
        }, default);
        var start = Time.GetUtcNow();
        await EnqueueAsync(store, NewDelivery("rec_a", 1) with { CorrelationId = "run_w1" });
        Time.Advance(TimeSpan.FromMinutes(10));
        await EnqueueAsync(store, NewDelivery("rec_b", 1) with { CorrelationId = "run_b1" }, NewDelivery("rec_a", 2));
        var first = (await store.ClaimDueAsync("sink", Time.GetUtcNow(), 1, [], default)).Single();
        await store.CompleteAsync([Outcome(first.Id, DeliveryStatus.Succeeded, externalId: "hs-42")], default);

        var ofA = await store.QueryDeliveriesAsync(new DeliveryQuery { ExternalId = "hs-42" }, default);
        Assert.Equal(["rec_a", "rec_a"], ofA.Select(d => d.RecordId));
        Assert.Empty(await store.QueryDeliveriesAsync(new DeliveryQuery { ExternalId = "hs-43" }, default));
        Assert.Equal("run_w1", Assert.Single(await store.QueryDeliveriesAsync(new DeliveryQuery { Flow = "welcome" }, default)).CorrelationId);
        Assert.Equal("rec_b", Assert.Single(await store.QueryDeliveriesAsync(new DeliveryQuery { Flow = "billing" }, default)).RecordId);
        Assert.Empty(await store.QueryDeliveriesAsync(new DeliveryQuery { Flow = "nobody" }, default));

        Assert.Single(await store.QueryDeliveriesAsync(new DeliveryQuery { Until = start + TimeSpan.FromMinutes(1) }, default));
        Assert.Equal(2, (await store.QueryDeliveriesAsync(new DeliveryQuery { From = start + TimeSpan.FromMinutes(1) }, default)).Count);
        Assert.Empty(await store.QueryDeliveriesAsync(new DeliveryQuery { From = start + TimeSpan.FromMinutes(1), Until = start + TimeSpan.FromMinutes(5) }, default));
        Assert.Equal("rec_a", Assert.Single(await store.QueryDeliveriesAsync(new DeliveryQuery(Status: DeliveryStatus.Succeeded) { ExternalId = "hs-42" }, default)).RecordId);

        // Newest first; the next page starts below the last id shown.
        var all = await store.QueryDeliveriesAsync(new DeliveryQuery(), default);
        var page1 = await store.QueryDeliveriesAsync(new DeliveryQuery(Limit: 2), default);
        var page2 = await store.QueryDeliveriesAsync(new DeliveryQuery(Limit: 2) { Before = page1[^1].Id }, default);
        Assert.Equal(all.Select(d => d.Id), page1.Concat(page2).Select(d => d.Id));
        Assert.True(all[0].Id > all[1].Id);
    }

    [Fact]
    public async Task Log_FiltersByDeliveryFlowExternalIdTimeAndDirection_AndPagesByOffset()
    {
        var store = await Open();
        await store.ExecuteAsync(tx =>
        {
            tx.EnqueueFlowRun(Run("run_w1", flow: "welcome"));
            return true;
        }, default);
        await EnqueueAsync(store, NewDelivery("rec_a", 1) with { CorrelationId = "run_w1" }, NewDelivery("rec_b", 1));
        var due = await store.ClaimDueAsync("sink", Time.GetUtcNow(), 10, [], default);
        await store.CompleteAsync([Outcome(due[0].Id, DeliveryStatus.Retrying, next: Time.GetUtcNow(), code: 503)], default);
        var middle = Time.GetUtcNow() + TimeSpan.FromSeconds(1);
        Time.Advance(TimeSpan.FromSeconds(2));
        await store.CompleteAsync([Outcome(due[0].Id, DeliveryStatus.Succeeded, attempt: 2, externalId: "hs-7"), Outcome(due[1].Id, DeliveryStatus.Dead, code: 400)], default);

        var ofFirst = await store.QueryLogAsync(new LogQuery { DeliveryId = due[0].Id }, default);
        Assert.Equal([2, 1], ofFirst.Select(e => e.Attempt));
        Assert.Equal([200, 503], ofFirst.Select(e => e.ResponseStatus));
        Assert.All(ofFirst, e => Assert.Equal(due[0].Id.ToString(System.Globalization.CultureInfo.InvariantCulture), e.Reference));

        Assert.Equal(2, (await store.QueryLogAsync(new LogQuery { Flow = "welcome" }, default)).Count);
        Assert.Empty(await store.QueryLogAsync(new LogQuery { Flow = "billing" }, default));
        Assert.Equal(2, (await store.QueryLogAsync(new LogQuery { ExternalId = "hs-7" }, default)).Count);
        Assert.Empty(await store.QueryLogAsync(new LogQuery { ExternalId = "hs-8" }, default));

        // The inbound change that led to the deliveries, then the three attempts.
        Assert.Equal(4, (await store.QueryLogAsync(new LogQuery(), default)).Count);
        Assert.Equal("inbound", Assert.Single(await store.QueryLogAsync(new LogQuery { Direction = "inbound" }, default)).Direction);
        Assert.Equal(3, (await store.QueryLogAsync(new LogQuery { Direction = "outbound" }, default)).Count);
        Assert.Equal(2, (await store.QueryLogAsync(new LogQuery { Until = middle }, default)).Count);
        Assert.Equal(due[1].Id.ToString(System.Globalization.CultureInfo.InvariantCulture), Assert.Single(await store.QueryLogAsync(new LogQuery { Result = "dead" }, default)).Reference);
        Assert.Single(await store.QueryLogAsync(new LogQuery(System: "sink") { Result = "retrying" }, default));
        Assert.Equal(2, (await store.QueryLogAsync(new LogQuery(Since: middle), default)).Count);

        var all = await store.QueryLogAsync(new LogQuery(), default);
        var page1 = await store.QueryLogAsync(new LogQuery(Limit: 3), default);
        var page2 = await store.QueryLogAsync(new LogQuery(Limit: 3) { Offset = 3 }, default);
        Assert.Equal(3, page1.Count);
        Assert.Equal(all.Select(e => (e.Direction, e.Reference, e.Attempt)), page1.Concat(page2).Select(e => (e.Direction, e.Reference, e.Attempt)));
    }
}
