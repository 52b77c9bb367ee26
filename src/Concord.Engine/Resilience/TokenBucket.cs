using Concord.Core.Configuration;

namespace Concord.Engine.Resilience;

/// <summary>
/// Paces calls to a system: <c>per_second</c> tokens refill continuously up to <c>burst</c>.
/// Runs on the injected clock so tests need not wait. Thread-safe.
/// </summary>
public sealed class TokenBucket
{
    private readonly Lock _gate = new();
    private readonly double _rate;
    private readonly double _capacity;
    private readonly TimeProvider _time;
    private double _tokens;
    private DateTimeOffset _last;

    public TokenBucket(RateLimitPolicy policy, TimeProvider time)
    {
        _rate = policy.PerSecond;
        _capacity = policy.Burst > 0 ? policy.Burst : Math.Max(1, Math.Ceiling(policy.PerSecond));
        _time = time;
        _tokens = _capacity;
        _last = time.GetUtcNow();
    }

    public bool Unlimited => _rate <= 0;

    /// <summary>Takes a token, or says how long until one is available.</summary>
    public bool TryTake(out TimeSpan wait)
    {
        wait = TimeSpan.Zero;
        if (Unlimited)
        {
            return true;
        }

        lock (_gate)
        {
            var now = _time.GetUtcNow();
            _tokens = Math.Min(_capacity, _tokens + ((now - _last).TotalSeconds * _rate));
            _last = now;
            if (_tokens >= 1)
            {
                _tokens -= 1;
                return true;
            }

            wait = TimeSpan.FromSeconds((1 - _tokens) / _rate);
            return false;
        }
    }
}
