using Concord.Core.Configuration;

namespace Concord.Engine.Resilience;

/// <summary>The state of a circuit.</summary>
public enum CircuitState
{
    Closed,
    Open,
    HalfOpen,
}

/// <summary>
/// Stops calling a system after consecutive transient failures; after the break, lets one probe
/// through: success closes the circuit, failure opens it again. Permanent errors (a 400) prove the
/// system is up and do not count. Thread-safe.
/// </summary>
public sealed class CircuitBreaker(CircuitBreakerPolicy policy, TimeProvider time)
{
    private readonly Lock _gate = new();
    private int _failures;
    private DateTimeOffset _openUntil;
    private bool _probeInFlight;

    public CircuitState State
    {
        get
        {
            lock (_gate)
            {
                return StateLocked();
            }
        }
    }

    /// <summary>How often the circuit has opened since start, for health.</summary>
    public int Openings { get; private set; }

    /// <summary>True when an attempt may start now; otherwise how long until it may.</summary>
    public bool TryEnter(out TimeSpan wait, out bool isProbe)
    {
        lock (_gate)
        {
            isProbe = false;
            wait = TimeSpan.Zero;
            switch (StateLocked())
            {
                case CircuitState.Closed:
                    return true;
                case CircuitState.Open:
                    wait = _openUntil - time.GetUtcNow();
                    return false;
                default:
                    if (_probeInFlight)
                    {
                        wait = TimeSpan.FromMilliseconds(50);
                        return false;
                    }

                    _probeInFlight = true;
                    isProbe = true;
                    return true;
            }
        }
    }

    public void OnSuccess()
    {
        lock (_gate)
        {
            _failures = 0;
            _probeInFlight = false;
            _openUntil = default;
        }
    }

    public void OnFailure()
    {
        lock (_gate)
        {
            _failures++;
            var wasProbe = _probeInFlight;
            _probeInFlight = false;
            if (wasProbe || (_failures >= policy.FailureThreshold && StateLocked() == CircuitState.Closed))
            {
                _openUntil = time.GetUtcNow() + policy.BreakDuration;
                Openings++;
            }
        }
    }

    /// <summary>An attempt ended without telling anything about the system (e.g. shutdown).</summary>
    public void OnAbandoned()
    {
        lock (_gate)
        {
            _probeInFlight = false;
        }
    }

    private CircuitState StateLocked()
    {
        if (_openUntil == default)
        {
            return CircuitState.Closed;
        }

        return time.GetUtcNow() < _openUntil ? CircuitState.Open : CircuitState.HalfOpen;
    }
}
