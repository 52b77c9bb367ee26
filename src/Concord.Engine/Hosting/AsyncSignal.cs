namespace Concord.Engine.Hosting;

/// <summary>
/// A wake-up call between stages: many <see cref="Set"/>s before a wait collapse into one, and a
/// waiter also wakes after a timeout (on the injected clock), so a missed signal only delays work.
/// </summary>
public sealed class AsyncSignal(TimeProvider time)
{
    /// <summary>More than arming a timer can take: the clock was moved while it was armed.</summary>
    private static readonly TimeSpan ClockJump = TimeSpan.FromMilliseconds(50);

    private readonly SemaphoreSlim _semaphore = new(0, 1);

    public void Set()
    {
        if (_semaphore.CurrentCount == 0)
        {
            try
            {
                _semaphore.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another thread set it first: one pending wake-up is all that is needed.
            }
        }
    }

    /// <summary>
    /// Waits for a signal or until the clock reads <paramref name="deadline"/>; true when signalled.
    /// A timer runs from when it is armed: when the clock moved on between reading it and arming
    /// the timer (a jump, or a test's manual clock), the timer would be late, so it is armed again.
    /// </summary>
    public async Task<bool> WaitUntilAsync(DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        if (_semaphore.Wait(0, CancellationToken.None))
        {
            return true;
        }

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var wait = _semaphore.WaitAsync(cts.Token);
        while (!wait.IsCompleted)
        {
            var before = time.GetUtcNow();
            if (before >= deadline)
            {
                break;
            }

            using var timer = CancellationTokenSource.CreateLinkedTokenSource(cts.Token);
            var delay = Task.Delay(deadline - before, time, timer.Token);
            if (time.GetUtcNow() - before > ClockJump)
            {
                await timer.CancelAsync();
                continue;
            }

            await Task.WhenAny(wait, delay);
        }

        await cts.CancelAsync();
        try
        {
            await wait;
            return true;
        }
        catch (OperationCanceledException)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return false;
        }
    }

    /// <summary>Waits for a signal or the timeout; true when signalled.</summary>
    public async Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (_semaphore.Wait(0, CancellationToken.None))
        {
            return true;
        }

        if (timeout <= TimeSpan.Zero)
        {
            return false;
        }

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var wait = _semaphore.WaitAsync(cts.Token);
        await Task.WhenAny(wait, Task.Delay(timeout, time, cts.Token));
        await cts.CancelAsync();
        try
        {
            // Completed (signalled) even if the timeout fired at the same moment: the signal is ours.
            await wait;
            return true;
        }
        catch (OperationCanceledException)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return false;
        }
    }
}
