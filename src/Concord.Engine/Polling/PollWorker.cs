using Concord.Engine.Connectors;
using Concord.Engine.Hosting;
using Concord.Engine.Resilience;
using Concord.Engine.Storage;
using Microsoft.Extensions.Logging;

namespace Concord.Engine.Polling;

/// <summary>
/// Runs one system's poller: reads each feed from its saved cursor, page after page, and hands every
/// page with its cursor to the accept stage, which stores both in one transaction. A failure is
/// retried with backoff (or after the vendor's <c>Retry-After</c>) from the last saved cursor.
/// </summary>
public sealed class PollWorker(
    string system,
    IPoller poller,
    IConnectorStateStore cursors,
    Func<IReadOnlyList<InboundChange>, PollCursor, CancellationToken, Task> accept,
    TimeProvider time,
    ILogger logger)
{
    private readonly AsyncSignal _wake = new(time);
    private readonly Backoff _backoff = new(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5));
    private int _failures;

    public string System => system;

    /// <summary>When the last pass over every feed finished, or null before the first.</summary>
    public DateTimeOffset? LastPolledAt { get; private set; }

    /// <summary>Why the last pass failed, or null when it did not.</summary>
    public string? LastError { get; private set; }

    /// <summary>Polls now instead of at the next interval (a webhook said something changed).</summary>
    public void Wake() => _wake.Set();

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            TimeSpan wait;
            try
            {
                await PollOnceAsync(cancellationToken);
                _failures = 0;
                LastError = null;
                LastPolledAt = time.GetUtcNow();
                wait = poller.Interval;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                _failures++;
                LastError = ex.Message;
                wait = ex is DeliveryFailedException { RetryAfter: { } ra } && ra > TimeSpan.Zero ? ra : _backoff.Next(_failures);
                logger.LogWarning("Polling {System} failed ({Error}); next try in {Wait}", system, ex.Message, wait);
            }

            try
            {
                await _wake.WaitAsync(wait, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Reads every feed to its end once.</summary>
    public async Task PollOnceAsync(CancellationToken cancellationToken)
    {
        foreach (var stream in poller.Streams)
        {
            while (true)
            {
                var cursor = await cursors.GetCursorAsync(system, stream, cancellationToken);
                var page = await poller.PollAsync(stream, cursor, cancellationToken);
                if (page.Changes.Count > 0 || page.Cursor != cursor)
                {
                    await accept(page.Changes, new PollCursor(system, stream, page.Cursor), cancellationToken);
                }

                if (!page.More)
                {
                    break;
                }
            }
        }
    }
}
