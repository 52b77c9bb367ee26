namespace Concord.Engine.Resilience;

/// <summary>
/// Exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff and Jitter"):
/// the wait before attempt n+1 is uniform in [0, min(max, initial · 2^(n-1))]. Jitter spreads
/// retries of many deliveries so a recovering system is not hit by all of them at once.
/// </summary>
public sealed class Backoff(TimeSpan initial, TimeSpan max, Random? random = null)
{
    private readonly Random _random = random ?? Random.Shared;

    /// <summary>The ceiling of the wait after <paramref name="failedAttempts"/> failures.</summary>
    public TimeSpan Ceiling(int failedAttempts)
    {
        var exponent = Math.Min(Math.Max(failedAttempts - 1, 0), 30);
        var ticks = Math.Min((double)max.Ticks, initial.Ticks * Math.Pow(2, exponent));
        return TimeSpan.FromTicks((long)ticks);
    }

    public TimeSpan Next(int failedAttempts)
    {
        var ceiling = Ceiling(failedAttempts);
        return TimeSpan.FromTicks((long)(_random.NextDouble() * ceiling.Ticks));
    }
}
