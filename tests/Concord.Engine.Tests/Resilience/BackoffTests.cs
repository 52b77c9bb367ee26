using Concord.Engine.Resilience;

namespace Concord.Engine.Tests.Resilience;

public sealed class BackoffTests
{
    [Fact]
    public void TheCeilingDoubles_UpToTheMaximum()
    {
        var backoff = new Backoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10));
        Assert.Equal([1, 2, 4, 8, 10, 10], Enumerable.Range(1, 6).Select(n => backoff.Ceiling(n).TotalSeconds));
    }

    [Fact]
    public void Waits_AreSpreadOverTheWholeRange()
    {
        var backoff = new Backoff(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5), new Random(1));
        var waits = Enumerable.Range(0, 1000).Select(_ => backoff.Next(4).TotalSeconds).ToList();
        Assert.All(waits, w => Assert.InRange(w, 0, 8));
        Assert.True(waits.Min() < 1 && waits.Max() > 7, "full jitter uses the whole interval");
    }
}
