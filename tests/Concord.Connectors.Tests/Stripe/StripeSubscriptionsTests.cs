using Concord.Connectors.Stripe;
using Concord.Engine.Connectors;

namespace Concord.Connectors.Tests.Stripe;

/// <summary>The Stripe connector's cancel of a subscription, against the Stripe sandbox (the whole story is in DoubleBillingTests).</summary>
public sealed class StripeSubscriptionsTests
{
    [Fact]
    public async Task StripesOwnRefusal_IsPassedOnInItsWords()
    {
        await using var bed = await StripeTestbed.StartAsync();
        var canceller = bed.Connectors().Subscriptions!;

        var missing = await Assert.ThrowsAsync<DeliveryFailedException>(() => canceller.CancelAsync("sub_nothing", default));
        Assert.Equal(404, missing.StatusCode);
        Assert.Contains("No such subscription: 'sub_nothing'", missing.Message, StringComparison.Ordinal);
        Assert.IsType<StripeSubscriptions>(canceller);
    }
}
