namespace Concord.Engine.Hosting;

/// <summary>
/// A wake-up call between stages: many <see cref="Set"/>s before a wait collapse into one, and a
/// waiter also wakes after a timeout (on the injected clock), so a missed signal only delays work.
/// </summary>
public sealed class AsyncSignal(TimeProvider time)
{
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
