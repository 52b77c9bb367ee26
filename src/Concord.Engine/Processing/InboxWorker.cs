using Concord.Engine.Hosting;
using Concord.Engine.Storage;
using Microsoft.Extensions.Logging;

namespace Concord.Engine.Processing;

/// <summary>
/// Drives the resolve → apply → emit stage: whenever the inbox has changes, processes them in
/// batches (one transaction each) and wakes the dispatchers of the systems that are owed deliveries
/// and the flow runner when runs were started.
/// </summary>
public sealed class InboxWorker(IPipelineStore store, ChangeProcessor processor, TimeProvider time, ILogger logger, Action onDeliveriesEnqueued, Action? onFlowRunsEnqueued = null)
{
    /// <summary>Changes handled per transaction, at most.</summary>
    public const int BatchSize = 512;

    private readonly AsyncSignal _wake = new(time);

    /// <summary>Changes were accepted: look now.</summary>
    public void Wake() => _wake.Set();

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                BatchStats? stats = null;
                var handled = await store.ProcessInboxAsync(BatchSize, (tx, batch) => stats = processor.Process(tx, batch), cancellationToken);
                if (stats is { Deliveries: > 0 })
                {
                    onDeliveriesEnqueued();
                }

                if (stats is { FlowRuns: > 0 })
                {
                    onFlowRunsEnqueued?.Invoke();
                }

                if (handled == BatchSize)
                {
                    continue;
                }

                await _wake.WaitAsync(TimeSpan.FromSeconds(1), cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Processing the inbox failed; retrying in 1 s");
                await Task.Delay(TimeSpan.FromSeconds(1), time, cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }
}
