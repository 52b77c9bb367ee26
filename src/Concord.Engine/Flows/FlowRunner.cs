using System.Collections.Concurrent;
using Concord.Core.Configuration;
using Concord.Engine.Hosting;
using Concord.Engine.Storage;
using Microsoft.Extensions.Logging;

namespace Concord.Engine.Flows;

/// <summary>
/// The loop that executes flow runs: takes the runs that are due (in order, one at a time per flow and
/// record: the store's query sees to that), executes up to each flow's <c>concurrency</c> of them at
/// once, runs of different flows side by side, and sleeps until the next run falls due or it is woken
/// (new runs were enqueued, a run finished).
/// </summary>
public sealed class FlowRunner(HubConfig config, IHubStore store, FlowExecutor executor, TimeProvider time, ILogger logger)
{
    /// <summary>Longest single wait between looks at the store; a safety net if a wake-up is missed.</summary>
    private static readonly TimeSpan MaxIdle = TimeSpan.FromSeconds(1);

    /// <summary>Runs taken from the store per look, at most.</summary>
    private const int Batch = 256;

    private readonly AsyncSignal _wake = new(time);
    private readonly ConcurrentDictionary<string, string> _busy = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _perFlow = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _parked = new(StringComparer.Ordinal);

    /// <summary>Runs were enqueued or made due: look now.</summary>
    public void Wake() => _wake.Set();

    /// <summary>Runs executing now.</summary>
    public int Executing => _busy.Count;

    /// <summary>A run ended its turn (finished, paused or interrupted).</summary>
    public event Action<FlowRun>? RunSettled;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var running = new List<Task>();
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                running.RemoveAll(t => t.IsCompleted);
                try
                {
                    if (await LaunchDueAsync(running, cancellationToken) == 0)
                    {
                        await IdleAsync(cancellationToken);
                    }
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    break;
                }
                catch (Exception ex)
                {
                    logger.LogError(ex, "Looking for due flow runs failed; retrying in 1 s");
                    await _wake.WaitAsync(MaxIdle, cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
                }
            }
        }
        finally
        {
            // Shutting down: what is under way stops where it stands and resumes at the next start.
            await Task.WhenAll(running).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    private async Task<int> LaunchDueAsync(List<Task> running, CancellationToken cancellationToken)
    {
        var skip = _busy.Keys.Concat(_parked.Keys).ToHashSet(StringComparer.Ordinal);
        var due = await store.DueFlowRunsAsync(time.GetUtcNow(), Batch, skip, cancellationToken);
        var launched = 0;
        foreach (var run in due)
        {
            // A run of a flow no longer configured is executed, and fails saying so; a paused flow's runs wait.
            config.Flows.TryGetValue(run.Flow, out var flow);
            if (flow is { Enabled: false })
            {
                _parked.TryAdd(run.Id, 0);
                continue;
            }

            var limit = Math.Clamp(flow?.Concurrency ?? 1, 1, 64);
            if (_perFlow.GetValueOrDefault(run.Flow) >= limit || !_busy.TryAdd(run.Id, run.Flow))
            {
                continue;
            }

            _perFlow.AddOrUpdate(run.Flow, 1, (_, n) => n + 1);
            launched++;
            running.Add(Task.Run(() => ExecuteAsync(run, cancellationToken), CancellationToken.None));
        }

        return launched;
    }

    private async Task ExecuteAsync(FlowRun run, CancellationToken cancellationToken)
    {
        var settled = run;
        try
        {
            settled = await executor.ExecuteAsync(run, new StoreRunJournal(store), dryRun: false, cancellationToken);
            if (settled.Status == FlowRunStatus.Failed)
            {
                logger.LogWarning("Flow {Flow}, run {Run} failed at step {Step}: {Error}", settled.Flow, settled.Id, settled.Step, settled.Error);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            // The store could not record the run's progress: it is tried again after a pause, from where it stands.
            logger.LogError(ex, "Flow {Flow}, run {Run} could not be executed; trying again shortly", run.Flow, run.Id);
            await Task.Delay(MaxIdle, time, cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
        finally
        {
            _busy.TryRemove(run.Id, out _);
            _perFlow.AddOrUpdate(run.Flow, 0, (_, n) => Math.Max(0, n - 1));
            _wake.Set();
            try
            {
                RunSettled?.Invoke(settled);
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "A listener for the end of run {Run} failed", run.Id);
            }
        }
    }

    private async Task IdleAsync(CancellationToken cancellationToken)
    {
        var next = await store.NextFlowRunDueAsync(cancellationToken);
        var now = time.GetUtcNow();
        if (next is { } due && due > now)
        {
            // Until a moment, not for a span: the clock may move on while the wait is armed.
            await _wake.WaitUntilAsync(now + (due - now < MaxIdle ? due - now : MaxIdle), cancellationToken);
        }
        else
        {
            // Nothing due, or what is due waits for a slot or for an older run of its record: a finishing run wakes us.
            await _wake.WaitAsync(MaxIdle, cancellationToken);
        }
    }
}
