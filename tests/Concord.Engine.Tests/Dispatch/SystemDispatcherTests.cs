using Concord.Core.Configuration;
using Concord.Engine.Connectors;
using Concord.Engine.Dispatch;
using Concord.Engine.Storage;
using Concord.Storage.Sqlite;
using Concord.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Concord.Engine.Tests.Dispatch;

/// <summary>
/// The deliver stage on a manual clock: retries, Retry-After, the dead letter, order per record,
/// the circuit breaker and the rate limit, with a real SQLite outbox. No test waits for real backoff.
/// </summary>
public sealed class SystemDispatcherTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private readonly ManualTimeProvider _time = new();
    private readonly CancellationTokenSource _stop = new();
    private SqliteHubStore _store = null!;
    private Task? _running;

    public async Task InitializeAsync()
    {
        _store = new SqliteHubStore(_dir.File("hub.db"), durable: false, _time);
        await _store.InitializeAsync(default);
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_running is not null)
        {
            await _running;
        }

        await _store.DisposeAsync();
        _dir.Dispose();
    }

    private static SystemConfig Sink(Action<SystemConfig>? tune = null)
    {
        var system = new SystemConfig { Name = "sink", Kind = "http" };
        system.Retry.InitialDelay = TimeSpan.FromSeconds(1);
        system.Retry.MaxDelay = TimeSpan.FromSeconds(60);
        system.Retry.MaxAttempts = 5;
        system.Retry.Timeout = TimeSpan.FromSeconds(5);
        system.CircuitBreaker.FailureThreshold = 100;
        tune?.Invoke(system);
        return system;
    }

    private SystemDispatcher Start(SystemConfig system, ScriptedConnector connector)
    {
        var dispatcher = new SystemDispatcher(system, connector, _store, _time, NullLogger.Instance, new Random(7));
        _running = dispatcher.RunAsync(_stop.Token);
        return dispatcher;
    }

    private async Task<List<long>> EnqueueAsync(params (string Record, long Version)[] items)
    {
        var now = _time.GetUtcNow();
        await _store.AppendAsync([new InboundChange(Guid.NewGuid().ToString("N"), new Core.Records.Change("crm", "customer", null, Guid.NewGuid().ToString("N"), now, new Dictionary<string, System.Text.Json.Nodes.JsonNode?>()), "{}", now, "api")], default);
        await _store.ProcessInboxAsync(10, (tx, batch) =>
        {
            foreach (var (record, version) in items)
            {
                tx.EnqueueDelivery(new Delivery
                {
                    System = "sink", Type = "customer", RecordId = record, Version = version, Operation = "upsert",
                    Payload = "{}", Changed = "[]", IdempotencyKey = $"{record}.v{version}.sink", CorrelationId = "chg",
                    CreatedAt = now, NextAttemptAt = now,
                });
            }

            tx.CompleteChange(batch[0].Sequence, "updated", null, null);
        }, default);
        return (await _store.QueryDeliveriesAsync(new DeliveryQuery(), default)).Select(d => d.Id).Order().ToList();
    }

    private Task<Delivery> StatusAsync(long id, DeliveryStatus status, int attempts) =>
        Eventually.GetAsync(async () =>
        {
            var d = await _store.GetDeliveryAsync(id, default);
            return d?.Status == status && d.Attempts == attempts ? d : null;
        }, $"delivery {id} to be {status} after {attempts} attempt(s)");

    /// <summary>Lets the dispatcher run on real time for a moment, to show that something does NOT happen.</summary>
    private static Task Quiet() => Task.Delay(250);

    [Fact]
    public async Task A429WithRetryAfter_IsRetriedExactlyThen()
    {
        var connector = new ScriptedConnector((_, n, _) => n == 1 ? ScriptedConnector.Fail(429, true, TimeSpan.FromSeconds(30)) : ScriptedConnector.Ok()) { Clock = _time };
        var ids = await EnqueueAsync(("rec_a", 1));
        Start(Sink(), connector);

        var retrying = await StatusAsync(ids[0], DeliveryStatus.Retrying, 1);
        Assert.Equal(_time.GetUtcNow().AddSeconds(30).ToUnixTimeMilliseconds(), retrying.NextAttemptAt.ToUnixTimeMilliseconds());

        _time.Advance(TimeSpan.FromSeconds(29));
        await Quiet();
        Assert.Equal(1, connector.CallCount);

        _time.Advance(TimeSpan.FromSeconds(1));
        await StatusAsync(ids[0], DeliveryStatus.Succeeded, 2);
        var log = await _store.QueryLogAsync(new LogQuery(RecordId: "rec_a"), default);
        Assert.Equal(["succeeded", "retrying"], log.Select(e => e.Result));
        Assert.Equal(429, log[1].ResponseStatus);
    }

    [Fact]
    public async Task ServerErrors_BackOffExponentiallyWithJitter_ThenGoToTheDeadLetter()
    {
        var connector = new ScriptedConnector((_, _, _) => ScriptedConnector.Fail(500, true)) { Clock = _time };
        var ids = await EnqueueAsync(("rec_a", 1));
        Start(Sink(s => s.Retry.MaxAttempts = 4), connector);

        for (var attempt = 1; attempt < 4; attempt++)
        {
            var d = await StatusAsync(ids[0], DeliveryStatus.Retrying, attempt);
            var ceiling = TimeSpan.FromSeconds(Math.Pow(2, attempt - 1));
            var wait = d.NextAttemptAt - _time.GetUtcNow();
            Assert.InRange(wait, TimeSpan.Zero, ceiling);
            _time.Advance(ceiling);
        }

        var dead = await StatusAsync(ids[0], DeliveryStatus.Dead, 4);
        Assert.Contains("gave up after 4 attempts", dead.LastError, StringComparison.Ordinal);
        Assert.Equal(4, connector.CallCount);
    }

    [Fact]
    public async Task ABadRequest_GoesStraightToTheDeadLetter()
    {
        var connector = new ScriptedConnector((_, _, _) => ScriptedConnector.Fail(400, false)) { Clock = _time };
        var ids = await EnqueueAsync(("rec_a", 1));
        Start(Sink(), connector);

        var dead = await StatusAsync(ids[0], DeliveryStatus.Dead, 1);
        Assert.Contains("400", dead.LastError, StringComparison.Ordinal);
        await Quiet();
        Assert.Equal(1, connector.CallCount);
    }

    [Fact]
    public async Task ATimeout_IsTransient()
    {
        var connector = new ScriptedConnector(async (_, n, ct) =>
        {
            if (n == 1)
            {
                await Task.Delay(Timeout.Infinite, ct);
            }

            return new Engine.Connectors.OutboundResult(200, "{}", null);
        }) { Clock = _time };
        var ids = await EnqueueAsync(("rec_a", 1));
        Start(Sink(), connector);
        await Eventually.TrueAsync(() => connector.CallCount == 1, "the first attempt");

        _time.Advance(TimeSpan.FromSeconds(5));
        var retrying = await StatusAsync(ids[0], DeliveryStatus.Retrying, 1);
        Assert.Contains("timed out after 5s", retrying.LastError, StringComparison.Ordinal);
        _time.Advance(TimeSpan.FromSeconds(1));
        await StatusAsync(ids[0], DeliveryStatus.Succeeded, 2);
    }

    [Fact]
    public async Task ALaterVersion_WaitsForTheEarlierOneOfTheSameRecord_OthersDoNot()
    {
        var connector = new ScriptedConnector((d, _, _) =>
            d.RecordId == "rec_a" && d.Version == 1 && d.Attempts == 0 ? ScriptedConnector.Fail(503, true) : ScriptedConnector.Ok()) { Clock = _time };
        var ids = await EnqueueAsync(("rec_a", 1), ("rec_a", 2), ("rec_b", 1));
        Start(Sink(), connector);

        await StatusAsync(ids[2], DeliveryStatus.Succeeded, 1);
        await StatusAsync(ids[0], DeliveryStatus.Retrying, 1);
        await Quiet();
        Assert.Equal(DeliveryStatus.Pending, (await _store.GetDeliveryAsync(ids[1], default))!.Status);

        _time.Advance(TimeSpan.FromSeconds(1));
        await StatusAsync(ids[1], DeliveryStatus.Succeeded, 1);
        var order = connector.Calls.Where(c => c.Delivery.RecordId == "rec_a").Select(c => c.Delivery.Version).ToList();
        Assert.Equal([1L, 1L, 2L], order);
    }

    [Fact]
    public async Task TheCircuitOpens_AfterConsecutiveFailures_ThenOneProbeClosesIt()
    {
        var healthy = false;
        var connector = new ScriptedConnector((_, _, _) => Volatile.Read(ref healthy) ? ScriptedConnector.Ok() : ScriptedConnector.Fail(503, true)) { Clock = _time };
        var ids = await EnqueueAsync(("r1", 1), ("r2", 1), ("r3", 1), ("r4", 1), ("r5", 1));
        var dispatcher = Start(Sink(s =>
        {
            s.CircuitBreaker.FailureThreshold = 2;
            s.CircuitBreaker.BreakDuration = TimeSpan.FromSeconds(10);
            s.Retry.InitialDelay = TimeSpan.FromHours(1);
            s.RateLimit.Concurrency = 1;
        }), connector);

        await Eventually.TrueAsync(() => dispatcher.Breaker.State == Engine.Resilience.CircuitState.Open, "the circuit to open");
        await Quiet();
        Assert.Equal(2, connector.CallCount);

        healthy = true;
        _time.Advance(TimeSpan.FromSeconds(10));
        await StatusAsync(ids[4], DeliveryStatus.Succeeded, 1);
        Assert.Equal(Engine.Resilience.CircuitState.Closed, dispatcher.Breaker.State);
        Assert.Equal(5, connector.CallCount);
        Assert.Equal(1, dispatcher.Breaker.Openings);
    }

    [Fact]
    public async Task ADeferredDelivery_WaitsWithoutTrippingTheCircuitOrDying()
    {
        // An invoice whose customer has not reached the system yet: the system is fine, the delivery waits.
        var ready = false;
        var connector = new ScriptedConnector((_, _, _) => Volatile.Read(ref ready)
            ? ScriptedConnector.Ok()
            : Task.FromException<OutboundResult>(DeliveryFailedException.Deferred("waiting for customer rec_c", TimeSpan.FromSeconds(5)))) { Clock = _time };
        var ids = await EnqueueAsync(("rec_a", 1));
        var dispatcher = Start(Sink(s =>
        {
            s.CircuitBreaker.FailureThreshold = 2;
            s.Retry.MaxAttempts = 2;
        }), connector);

        for (var attempt = 1; attempt <= 3; attempt++)
        {
            var waiting = await StatusAsync(ids[0], DeliveryStatus.Retrying, attempt);
            Assert.Equal("waiting for customer rec_c", waiting.LastError);
            Assert.Equal(_time.GetUtcNow().AddSeconds(5).ToUnixTimeMilliseconds(), waiting.NextAttemptAt.ToUnixTimeMilliseconds());
            Assert.Equal(Engine.Resilience.CircuitState.Closed, dispatcher.Breaker.State);
            _time.Advance(TimeSpan.FromSeconds(5));
        }

        ready = true;
        _time.Advance(TimeSpan.FromSeconds(5));
        await Eventually.TrueAsync(async () => (await _store.GetDeliveryAsync(ids[0], default))!.Status == DeliveryStatus.Succeeded, "the delivery to succeed");
    }

    [Fact]
    public async Task AVendorThrottleSignal_HoldsEveryDeliveryToTheSystem()
    {
        // Not a 429, but the vendor says the whole account must wait (e.g. a daily quota).
        var connector = new ScriptedConnector((d, n, _) => n == 1
            ? Task.FromException<OutboundResult>(new DeliveryFailedException("quota", 403, null, retryable: true, TimeSpan.FromSeconds(20), holdsSystem: true))
            : ScriptedConnector.Ok()) { Clock = _time };
        var ids = await EnqueueAsync(("rec_a", 1), ("rec_b", 1));
        Start(Sink(s => s.RateLimit.Concurrency = 1), connector);

        await StatusAsync(ids[0], DeliveryStatus.Retrying, 1);
        _time.Advance(TimeSpan.FromSeconds(19));
        await Quiet();
        Assert.Equal(1, connector.CallCount);

        _time.Advance(TimeSpan.FromSeconds(1));
        await StatusAsync(ids[1], DeliveryStatus.Succeeded, 1);
    }

    [Fact]
    public async Task TheRateLimit_PacesCalls()
    {
        var connector = new ScriptedConnector((_, _, _) => ScriptedConnector.Ok()) { Clock = _time };
        var ids = await EnqueueAsync(("r1", 1), ("r2", 1), ("r3", 1));
        Start(Sink(s =>
        {
            s.RateLimit.PerSecond = 1;
            s.RateLimit.Burst = 1;
        }), connector);

        await StatusAsync(ids[0], DeliveryStatus.Succeeded, 1);
        await Quiet();
        Assert.Equal(1, connector.CallCount);
        _time.Advance(TimeSpan.FromSeconds(1));
        await StatusAsync(ids[1], DeliveryStatus.Succeeded, 1);
        await Quiet();
        Assert.Equal(2, connector.CallCount);
        _time.Advance(TimeSpan.FromSeconds(1));
        await StatusAsync(ids[2], DeliveryStatus.Succeeded, 1);
    }
}
