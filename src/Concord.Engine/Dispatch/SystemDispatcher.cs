using System.Collections.Concurrent;
using System.Threading.Channels;
using Concord.Core.Configuration;
using Concord.Engine.Connectors;
using Concord.Engine.Hosting;
using Concord.Engine.Resilience;
using Concord.Engine.Storage;
using Microsoft.Extensions.Logging;

namespace Concord.Engine.Dispatch;

/// <summary>
/// The deliver stage for one system: claims due deliveries in order (one at a time per record),
/// paces them through the rate limit and circuit breaker, sends them concurrently, and writes
/// each outcome: success, a retry at a backed-off time (or the system's <c>Retry-After</c>), or
/// the dead letter.
/// </summary>
public sealed class SystemDispatcher
{
    /// <summary>Longest single wait between polls; a safety net if a signal is missed.</summary>
    private static readonly TimeSpan MaxIdle = TimeSpan.FromSeconds(1);

    /// <summary>Shortest wait when nothing could be claimed, so a race never becomes a busy loop.</summary>
    private static readonly TimeSpan MinIdle = TimeSpan.FromMilliseconds(20);

    /// <summary>Response bodies kept in the log, at most.</summary>
    public const int MaxBodyChars = 2048;

    private readonly SystemConfig _system;
    private readonly IOutboundConnector _connector;
    private readonly IOutboxStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Backoff _backoff;
    private readonly TokenBucket _bucket;
    private readonly ConcurrentDictionary<string, byte> _inFlight = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _slots;
    private readonly AsyncSignal _wake;
    private DateTimeOffset _lastClaimAt = DateTimeOffset.MinValue;
    private readonly Channel<(DeliveryOutcome Outcome, Delivery Delivery)> _outcomes = Channel.CreateUnbounded<(DeliveryOutcome, Delivery)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly int _concurrency;
    private long _pausedUntilTicks;

    /// <summary>A dispatcher for one system; <paramref name="rateLimit"/> is the pace to keep (the system's own <c>rate_limit</c> when null).</summary>
    public SystemDispatcher(SystemConfig system, IOutboundConnector connector, IOutboxStore store, TimeProvider time, ILogger logger, Random? random = null, RateLimitPolicy? rateLimit = null)
    {
        rateLimit ??= system.RateLimit;
        _system = system;
        _connector = connector;
        _store = store;
        _time = time;
        _logger = logger;
        _backoff = new Backoff(system.Retry.InitialDelay, system.Retry.MaxDelay, random);
        _bucket = new TokenBucket(rateLimit, time);
        Breaker = new CircuitBreaker(system.CircuitBreaker, time);
        _concurrency = rateLimit.Concurrency;
        _slots = new SemaphoreSlim(_concurrency, _concurrency);
        _wake = new AsyncSignal(time);
    }

    public string System => _system.Name;

    public CircuitBreaker Breaker { get; }

    /// <summary>Deliveries were enqueued or requeued for this system: look now.</summary>
    public void Wake() => _wake.Set();

    /// <summary>
    /// Waits for a call to the system within its rate limit (and any hold a 429 put on it), for work
    /// that calls the system beside deliveries: a verification reads at the pace deliveries write.
    /// </summary>
    public async Task PaceAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (PausedFor() is { } pause)
            {
                await Task.Delay(pause, _time, cancellationToken);
                continue;
            }

            if (_bucket.TryTake(out var wait))
            {
                return;
            }

            await Task.Delay(wait, _time, cancellationToken);
        }
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var running = new List<Task>();
        var completer = Task.Run(() => CompleteLoopAsync(), CancellationToken.None);
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                running.RemoveAll(t => t.IsCompleted);
                if (PausedFor() is { } pause)
                {
                    // The system said "too many requests": nothing goes to it until it said to come back.
                    await _wake.WaitAsync(Min(pause, MaxIdle), cancellationToken);
                    continue;
                }

                if (!Breaker.TryEnter(out var wait, out var isProbe))
                {
                    await _wake.WaitAsync(Min(wait, MaxIdle), cancellationToken);
                    continue;
                }

                if (isProbe)
                {
                    // Half-open: exactly one delivery probes the system; it decides the circuit.
                    if (!await ClaimAndSendAsync(1, running, cancellationToken))
                    {
                        Breaker.OnAbandoned();
                        await IdleAsync(cancellationToken);
                    }

                    continue;
                }

                // Claim in batches: querying the outbox for every finished attempt would cost a
                // query per delivery. Refill when a quarter of the slots are free (or none is busy).
                var free = _slots.CurrentCount;
                if (free == 0 || (!_inFlight.IsEmpty && free < Math.Max(1, _concurrency / 4)))
                {
                    await _wake.WaitAsync(MaxIdle, cancellationToken);
                    continue;
                }

                if (!await ClaimAndSendAsync(Math.Min(free, 256), running, cancellationToken))
                {
                    await IdleAsync(cancellationToken);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down: what is in flight is abandoned and stays pending in the store.
        }

        try
        {
            await Task.WhenAll(running);
        }
        catch (OperationCanceledException)
        {
        }

        _outcomes.Writer.TryComplete();
        await completer;
    }

    /// <summary>
    /// Writes outcomes in batches (one store call for all that finished meanwhile), and only then
    /// frees their records for the next delivery: per-record order holds even across a crash.
    /// </summary>
    private async Task CompleteLoopAsync()
    {
        var reader = _outcomes.Reader;
        var batch = new List<(DeliveryOutcome Outcome, Delivery Delivery)>(256);
        while (await reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < 256 && reader.TryRead(out var item))
            {
                batch.Add(item);
            }

            try
            {
                await _store.CompleteAsync(batch.Select(b => b.Outcome).ToList(), CancellationToken.None);
                foreach (var (outcome, delivery) in batch.Where(b => b.Outcome.Status == DeliveryStatus.Dead))
                {
                    _logger.LogWarning("Delivery {Id} to {System} is dead after {Attempts} attempt(s): {Error}", delivery.Id, _system.Name, outcome.Attempt, outcome.Error);
                }
            }
            catch (Exception ex)
            {
                // The outcomes could not be written: the deliveries stay pending and are sent again
                // with the same idempotency keys, which receivers dedupe. Not at once, though: a
                // store that fails would otherwise turn into a loop of resends.
                _logger.LogError(ex, "Could not record the outcome of {Count} deliveries to {System}", batch.Count, _system.Name);
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), _time);
                }
                catch (OperationCanceledException)
                {
                }
            }
            finally
            {
                foreach (var (_, delivery) in batch)
                {
                    _inFlight.TryRemove(delivery.RecordId, out _);
                    _slots.Release();
                }

                _wake.Set();
            }
        }
    }

    private async Task IdleAsync(CancellationToken cancellationToken)
    {
        var next = await _store.NextDueAtAsync(_system.Name, cancellationToken);
        var now = _time.GetUtcNow();
        var wait = next is { } due ? Min(due - now, MaxIdle) : MaxIdle;
        if (next is { } dueAt && dueAt > _lastClaimAt && wait <= TimeSpan.Zero)
        {
            // It fell due after the last claim looked (the clock moved on meanwhile): claim again now.
            return;
        }

        if (wait > TimeSpan.Zero)
        {
            // Until a moment, not for a span: the clock may move on while the wait is being armed.
            await _wake.WaitUntilAsync(now + wait, cancellationToken);
        }
        else
        {
            // Due work is blocked behind in-flight attempts of the same records: wait for one to
            // end (an ending attempt wakes us), never spin.
            await _wake.WaitAsync(_inFlight.IsEmpty ? MinIdle : MaxIdle, cancellationToken);
        }
    }

    private async Task<bool> ClaimAndSendAsync(int limit, List<Task> running, CancellationToken cancellationToken)
    {
        _lastClaimAt = _time.GetUtcNow();
        var due = await _store.ClaimDueAsync(_system.Name, _lastClaimAt, limit, _inFlight.Keys.ToArray(), cancellationToken);
        if (due.Count == 0)
        {
            return false;
        }

        foreach (var delivery in due)
        {
            if (Breaker.State == CircuitState.Open)
            {
                // Opened while this batch was going out: the rest waits for the break to end.
                break;
            }

            if (!_inFlight.TryAdd(delivery.RecordId, 0))
            {
                continue;
            }

            // A 429 seen meanwhile holds this batch too; then the rate limit paces each call.
            await PaceAsync(cancellationToken);

            await _slots.WaitAsync(cancellationToken);
            running.Add(AttemptAsync(delivery, cancellationToken));
        }

        return true;
    }

    private async Task AttemptAsync(Delivery delivery, CancellationToken cancellationToken)
    {
        var attempt = delivery.Attempts + 1;
        var started = _time.GetUtcNow();
        var ticks = _time.GetTimestamp();
        DeliveryOutcome? outcome = null;
        try
        {
            using var timeout = new CancellationTokenSource(_system.Retry.Timeout, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            try
            {
                var result = await _connector.SendAsync(delivery, linked.Token);
                Breaker.OnSuccess();
                // A link the hub already has need not be written again.
                var learned = result.ExternalId is { } ext && ext != delivery.ExternalId ? ext : null;
                outcome = new DeliveryOutcome(delivery.Id, DeliveryStatus.Succeeded, attempt, started, _time.GetElapsedTime(ticks),
                    result.StatusCode, Truncate(result.Body), null, null, learned);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                outcome = Failed(delivery, attempt, started, ticks, null, null, $"timed out after {Duration.Format(_system.Retry.Timeout)}", retryable: true, null);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Breaker.OnAbandoned();
        }
        catch (DeliveryFailedException ex) when (ex.IsDeferred)
        {
            outcome = new DeliveryOutcome(delivery.Id, DeliveryStatus.Retrying, attempt, started, _time.GetElapsedTime(ticks), null, null, ex.Message,
                _time.GetUtcNow() + Min(ex.RetryAfter ?? _backoff.Ceiling(attempt), _system.Retry.MaxDelay), null);
        }
        catch (DeliveryFailedException ex)
        {
            outcome = Failed(delivery, attempt, started, ticks, ex.StatusCode, ex.Body, ex.Message, ex.Retryable, ex.RetryAfter, ex.HoldsSystem);
        }
        catch (Exception ex)
        {
            // Connection refused, reset, DNS, TLS: the system could not be reached; try again later.
            outcome = Failed(delivery, attempt, started, ticks, null, null, Describe(ex), retryable: true, null);
        }

        if (outcome is not null && _outcomes.Writer.TryWrite((outcome, delivery)))
        {
            return;
        }

        // Abandoned (shutdown): the delivery stays pending in the store.
        _inFlight.TryRemove(delivery.RecordId, out _);
        _slots.Release();
        _wake.Set();
    }

    private DeliveryOutcome Failed(Delivery delivery, int attempt, DateTimeOffset started, long ticks, int? status, string? body, string error, bool retryable, TimeSpan? retryAfter, bool holdsSystem = false)
    {
        if (retryable)
        {
            Breaker.OnFailure();
        }
        else
        {
            // The system answered definitively: it is up, whatever it thought of this delivery.
            Breaker.OnSuccess();
        }

        var elapsed = _time.GetElapsedTime(ticks);
        if (!retryable || attempt >= _system.Retry.MaxAttempts)
        {
            var why = retryable ? $"{error} (gave up after {attempt} attempts)" : error;
            return new DeliveryOutcome(delivery.Id, DeliveryStatus.Dead, attempt, started, elapsed, status, Truncate(body), why, null, null);
        }

        var wait = retryAfter is { } ra && ra > TimeSpan.Zero ? Min(ra, TimeSpan.FromHours(1)) : _backoff.Next(attempt);
        if (holdsSystem || status == 429)
        {
            // Rate limits are per account, not per record: hold every delivery to this system.
            PauseUntil(_time.GetUtcNow() + (retryAfter is { } r && r > TimeSpan.Zero ? Min(r, TimeSpan.FromHours(1)) : _backoff.Ceiling(attempt)));
        }
        return new DeliveryOutcome(delivery.Id, DeliveryStatus.Retrying, attempt, started, elapsed, status, Truncate(body), error, _time.GetUtcNow() + wait, null);
    }

    /// <summary>How long the system asked us to hold off, or null when it did not.</summary>
    private TimeSpan? PausedFor()
    {
        var until = new DateTimeOffset(Interlocked.Read(ref _pausedUntilTicks), TimeSpan.Zero);
        var left = until - _time.GetUtcNow();
        return left > TimeSpan.Zero ? left : null;
    }

    private void PauseUntil(DateTimeOffset until)
    {
        long seen;
        do
        {
            seen = Interlocked.Read(ref _pausedUntilTicks);
            if (until.UtcTicks <= seen)
            {
                return;
            }
        }
        while (Interlocked.CompareExchange(ref _pausedUntilTicks, until.UtcTicks, seen) != seen);
    }

    private static string Describe(Exception ex)
    {
        var inner = ex;
        while (inner.InnerException is not null)
        {
            inner = inner.InnerException;
        }

        return inner == ex ? ex.Message : $"{ex.Message} ({inner.Message})";
    }

    internal static string? Truncate(string? body) => body is null || body.Length <= MaxBodyChars ? body : body[..MaxBodyChars] + "…";

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
