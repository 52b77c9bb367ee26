using Concord.Engine.Storage;
using Xunit;

namespace Concord.Testing;

/// <summary>What every store must do for the delivery lag per hour the dashboard draws.</summary>
public abstract partial class HubStoreComplianceTests
{
    [Fact]
    public async Task DeliveryLag_PerSystemAndHour_CountsSucceededDeliveriesOnly_FromEnqueuedToAccepted()
    {
        var store = await Open();
        var first = HourNow;
        await EnqueueAsync(store, NewDelivery("rec_a", 1), NewDelivery("rec_b", 1), NewDelivery("rec_c", 1));
        Time.Advance(TimeSpan.FromSeconds(90));
        var due = await store.ClaimDueAsync("sink", Time.GetUtcNow(), 10, [], default);
        await store.CompleteAsync([Outcome(due[0].Id, DeliveryStatus.Succeeded), Outcome(due[1].Id, DeliveryStatus.Dead, code: 400)], default);
        Time.Advance(TimeSpan.FromSeconds(30));
        await store.CompleteAsync([Outcome(due[2].Id, DeliveryStatus.Succeeded)], default);

        Time.Advance(TimeSpan.FromHours(1));
        await EnqueueAsync(store, NewDelivery("rec_d", 1, system: "crm"));
        Time.Advance(TimeSpan.FromSeconds(5));
        var crm = await store.ClaimDueAsync("crm", Time.GetUtcNow(), 10, [], default);
        await store.CompleteAsync([Outcome(crm[0].Id, DeliveryStatus.Succeeded)], default);

        var lag = await store.GetDeliveryLagAsync(first - TimeSpan.FromHours(1), Time.GetUtcNow() + TimeSpan.FromSeconds(1), default);

        // The started time plus the 12 ms the attempt took: 90 s and 120 s for the sink's two, 5 s for the CRM's one.
        var sink = Assert.Single(lag, l => l.System == "sink");
        Assert.Equal(2, sink.Delivered);
        Assert.Equal(TimeSpan.FromMilliseconds(120_012), sink.Longest);
        Assert.Equal(TimeSpan.FromMilliseconds(105_012), sink.Mean);
        var other = Assert.Single(lag, l => l.System == "crm");
        Assert.Equal(1, other.Delivered);
        Assert.Equal(TimeSpan.FromMilliseconds(5_012), other.Longest);
        Assert.Equal(first, sink.Hour);
        Assert.Equal(first + TimeSpan.FromHours(1), other.Hour);

        // A window that ends before the second hour leaves it out; one that starts after everything is empty.
        Assert.DoesNotContain(await store.GetDeliveryLagAsync(first - TimeSpan.FromHours(1), other.Hour, default), l => l.System == "crm");
        Assert.Empty(await store.GetDeliveryLagAsync(Time.GetUtcNow() + TimeSpan.FromHours(1), Time.GetUtcNow() + TimeSpan.FromHours(2), default));
    }
}
