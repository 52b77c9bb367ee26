using Concord.Core.Configuration;
using Concord.Engine.Resilience;
using Concord.Testing;

namespace Concord.Engine.Tests.Resilience;

public sealed class CircuitBreakerTests
{
    private readonly ManualTimeProvider _time = new();

    private CircuitBreaker Breaker() => new(new CircuitBreakerPolicy { FailureThreshold = 3, BreakDuration = TimeSpan.FromSeconds(30) }, _time);

    [Fact]
    public void OpensAfterTheThreshold_AndSaysHowLongToWait()
    {
        var breaker = Breaker();
        breaker.OnFailure();
        breaker.OnFailure();
        Assert.Equal(CircuitState.Closed, breaker.State);
        breaker.OnFailure();
        Assert.False(breaker.TryEnter(out var wait, out _));
        Assert.Equal(TimeSpan.FromSeconds(30), wait);
    }

    [Fact]
    public void ASuccessResetsTheCount()
    {
        var breaker = Breaker();
        breaker.OnFailure();
        breaker.OnFailure();
        breaker.OnSuccess();
        breaker.OnFailure();
        breaker.OnFailure();
        Assert.Equal(CircuitState.Closed, breaker.State);
    }

    [Fact]
    public void AfterTheBreak_OneProbeAtATime_AndAFailedProbeReopens()
    {
        var breaker = Breaker();
        for (var i = 0; i < 3; i++)
        {
            breaker.OnFailure();
        }

        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.True(breaker.TryEnter(out _, out var isProbe));
        Assert.True(isProbe);
        Assert.False(breaker.TryEnter(out _, out _));
        breaker.OnFailure();
        Assert.Equal(CircuitState.Open, breaker.State);
        Assert.Equal(2, breaker.Openings);

        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.True(breaker.TryEnter(out _, out _));
        breaker.OnSuccess();
        Assert.Equal(CircuitState.Closed, breaker.State);
    }
}
