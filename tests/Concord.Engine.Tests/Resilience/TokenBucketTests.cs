using Concord.Core.Configuration;
using Concord.Engine.Resilience;
using Concord.Testing;

namespace Concord.Engine.Tests.Resilience;

public sealed class TokenBucketTests
{
    [Fact]
    public void ABurstIsAllowed_ThenCallsArePaced()
    {
        var time = new ManualTimeProvider();
        var bucket = new TokenBucket(new RateLimitPolicy { PerSecond = 10, Burst = 3 }, time);
        Assert.True(bucket.TryTake(out _));
        Assert.True(bucket.TryTake(out _));
        Assert.True(bucket.TryTake(out _));
        Assert.False(bucket.TryTake(out var wait));
        Assert.Equal(100, wait.TotalMilliseconds, 1);
        time.Advance(TimeSpan.FromMilliseconds(100));
        Assert.True(bucket.TryTake(out _));
    }

    [Fact]
    public void NoRate_MeansUnlimited()
    {
        var bucket = new TokenBucket(new RateLimitPolicy(), new ManualTimeProvider());
        Assert.True(Enumerable.Range(0, 10_000).All(_ => bucket.TryTake(out TimeSpan _)));
    }
}
