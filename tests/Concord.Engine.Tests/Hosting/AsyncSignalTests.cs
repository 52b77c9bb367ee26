using Concord.Engine.Hosting;
using Concord.Testing;

namespace Concord.Engine.Tests.Hosting;

/// <summary>Waiting until a moment: a signal wakes the waiter, and so does the clock reaching the moment, even when it moves while the wait is armed.</summary>
public sealed class AsyncSignalTests
{
    /// <summary>A clock that moves on by <paramref name="jump"/> just as the first timer is armed.</summary>
    private sealed class JumpingClock(ManualTimeProvider inner, TimeSpan jump) : TimeProvider
    {
        private int _armed;

        public override DateTimeOffset GetUtcNow() => inner.GetUtcNow();

        public override long GetTimestamp() => inner.GetTimestamp();

        public override long TimestampFrequency => inner.TimestampFrequency;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            if (Interlocked.Increment(ref _armed) == 1)
            {
                inner.Advance(jump);
            }

            return inner.CreateTimer(callback, state, dueTime, period);
        }
    }

    [Fact]
    public async Task AClockThatMovesPastTheDeadlineWhileTheWaitIsArmed_EndsTheWait()
    {
        var manual = new ManualTimeProvider();
        var signal = new AsyncSignal(new JumpingClock(manual, TimeSpan.FromSeconds(5)));

        var waited = signal.WaitUntilAsync(manual.GetUtcNow().AddSeconds(1), default);

        Assert.Same(waited, await Task.WhenAny(waited, Task.Delay(TimeSpan.FromSeconds(10))));
        Assert.False(await waited);
    }

    [Fact]
    public async Task ASignal_EndsTheWaitAsTrue_AndTheDeadline_AsFalse()
    {
        var manual = new ManualTimeProvider();
        var signal = new AsyncSignal(manual);

        var signalled = signal.WaitUntilAsync(manual.GetUtcNow().AddSeconds(30), default);
        signal.Set();
        Assert.True(await signalled);

        var timedOut = signal.WaitUntilAsync(manual.GetUtcNow().AddSeconds(30), default);
        await Task.Delay(50);
        Assert.False(timedOut.IsCompleted);
        manual.Advance(TimeSpan.FromSeconds(30));
        Assert.Same(timedOut, await Task.WhenAny(timedOut, Task.Delay(TimeSpan.FromSeconds(10))));
        Assert.False(await timedOut);
    }
}
