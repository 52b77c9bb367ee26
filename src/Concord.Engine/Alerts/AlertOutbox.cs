using System.Diagnostics;
using System.Text.Json.Nodes;
using Concord.Engine.Connectors;
using Concord.Engine.Hosting;
using Concord.Engine.Resilience;
using Concord.Engine.Storage;
using Microsoft.Extensions.Logging;

namespace Concord.Engine.Alerts;

/// <summary>
/// Sends the notifications incidents owe, through the notifier of each channel's system, with the
/// notification's idempotency key (the same for every attempt, so a system that honours keys applies a
/// resent one once). A transient failure is retried with exponential backoff and jitter; a permanent
/// one, or the last attempt, gives the notification up ("dead"), visible with its incident. Every
/// attempt is written to the transaction log with the incident's id as correlation id.
/// </summary>
public sealed class AlertOutbox(IHubStore store, IReadOnlyDictionary<string, INotifier> notifiers, TimeProvider time, ILogger logger, Random? random = null)
{
    /// <summary>Attempts before a notification is given up.</summary>
    public const int MaxAttempts = 8;

    /// <summary>Longest wait between looks at the store, should a wake-up be missed.</summary>
    private static readonly TimeSpan MaxIdle = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly AsyncSignal _wake = new(time);

    /// <summary>The first and longest waits between attempts.</summary>
    public Backoff Backoff { get; init; } = new(TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(5), random);

    /// <summary>Notifications were enqueued: look now.</summary>
    public void Wake() => _wake.Set();

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (await SendDueAsync(cancellationToken) > 0)
                {
                    continue;
                }

                var next = await store.NextNotificationDueAtAsync(cancellationToken);
                var deadline = time.GetUtcNow() + MaxIdle;
                await _wake.WaitUntilAsync(next is { } due && due < deadline ? due : deadline, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Sending alert notifications failed; retrying in {Seconds} s", MaxIdle.TotalSeconds);
                await _wake.WaitAsync(MaxIdle, cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    /// <summary>Sends every notification due now, one at a time (in the order they were owed); returns how many were tried.</summary>
    public async Task<int> SendDueAsync(CancellationToken cancellationToken)
    {
        var due = await store.ClaimDueNotificationsAsync(time.GetUtcNow(), 32, cancellationToken);
        foreach (var notification in due)
        {
            await store.CompleteNotificationAsync(await SendAsync(notification, cancellationToken), cancellationToken);
        }

        return due.Count;
    }

    private async Task<NotificationOutcome> SendAsync(AlertNotification n, CancellationToken cancellationToken)
    {
        var attempt = n.Attempts + 1;
        var started = time.GetUtcNow();
        var clock = Stopwatch.StartNew();
        if (!notifiers.TryGetValue(n.Via, out var notifier))
        {
            return Outcome(n, attempt, started, clock.Elapsed, null, null, null, $"'{n.Via}' is no longer a system that can notify", retryable: false);
        }

        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(Timeout);
            var args = JsonNode.Parse(n.Args) as JsonObject ?? [];
            var result = await notifier.NotifyAsync(new Notification(args, n.IdempotencyKey, n.IncidentId), timeout.Token);
            var attemptLog = new NotificationAttempt(n.Id, attempt, started, clock.Elapsed, "succeeded", result.StatusCode, result.Request, result.Response, null);
            return new NotificationOutcome(attemptLog, NotificationStatus.Sent, null);
        }
        catch (DeliveryFailedException failed)
        {
            return Outcome(n, attempt, started, clock.Elapsed, failed.StatusCode, failed.Body, failed.RetryAfter, failed.Message, failed.Retryable);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Outcome(n, attempt, started, clock.Elapsed, null, null, null, $"{n.Via} did not answer within {Timeout.TotalSeconds} s", retryable: true);
        }
        catch (HttpRequestException unreachable)
        {
            return Outcome(n, attempt, started, clock.Elapsed, null, null, null, $"could not reach {n.Via}: {unreachable.Message}", retryable: true);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return Outcome(n, attempt, started, clock.Elapsed, null, null, null, $"{n.Via}: {ex.Message}", retryable: true);
        }
    }

    private NotificationOutcome Outcome(AlertNotification n, int attempt, DateTimeOffset started, TimeSpan took, int? status, string? body, TimeSpan? retryAfter, string error, bool retryable)
    {
        var giveUp = !retryable || attempt >= MaxAttempts;
        var why = giveUp && retryable ? $"{error} (gave up after {attempt} attempts)" : error;
        var log = new NotificationAttempt(n.Id, attempt, started, took, giveUp ? "dead" : "retrying", status, null, body, why);
        if (giveUp)
        {
            logger.LogError("Alert notification {Id} of incident {Incident} to {Channel} given up: {Error}", n.Id, n.IncidentId, n.Channel, why);
            return new NotificationOutcome(log, NotificationStatus.Dead, null);
        }

        var wait = retryAfter is { } after && after > Backoff.Ceiling(attempt) ? after : Backoff.Next(attempt);
        return new NotificationOutcome(log, NotificationStatus.Retrying, time.GetUtcNow() + wait);
    }
}
