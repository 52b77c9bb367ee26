using System.Text.Json;
using Concord.Core.Configuration;
using Concord.Core.Records;
using Concord.Engine.Connectors;
using Concord.Engine.Dispatch;
using Concord.Engine.Hosting;
using Concord.Engine.Resilience;
using Concord.Engine.Storage;
using Microsoft.Extensions.Logging;

namespace Concord.Engine.Verification;

/// <summary>
/// Checks syncs against their systems: on the <c>verify:</c> schedule, when asked through the API, and
/// when <c>concord verify</c> queues a request in the store. One check runs at a time, paced by the
/// system's rate limit like its deliveries, and never while its circuit is open. Repair re-pushes the
/// owner's values as ordinary deliveries, so it is retried, guarded and logged like any other.
/// </summary>
public sealed class VerificationService
{
    /// <summary>How often the loop looks for requests from the command line.</summary>
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);

    private readonly HubConfig _config;
    private readonly IHubStore _store;
    private readonly IReadOnlyDictionary<string, IRecordReader> _readers;
    private readonly Func<string, SystemDispatcher?> _dispatcher;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);
    private readonly AsyncSignal _wake;
    private readonly Dictionary<(string System, string Type), DateTimeOffset> _nextDue = [];

    public VerificationService(HubConfig config, IHubStore store, IReadOnlyDictionary<string, IRecordReader> readers, Func<string, SystemDispatcher?> dispatcher,
        TimeProvider time, ILogger logger)
    {
        _config = config;
        _store = store;
        _readers = readers;
        _dispatcher = dispatcher;
        _time = time;
        _logger = logger;
        _wake = new AsyncSignal(time);
        Syncs = config.Syncs.Where(s => s.Receives && readers.TryGetValue(s.System, out var r) && r.CanRead(s.Type)).ToList();
    }

    /// <summary>The syncs that can be checked: a type a system receives, from a connector that can list it.</summary>
    public IReadOnlyList<SyncRule> Syncs { get; }

    public SyncRule? Find(string system, string type) => Syncs.FirstOrDefault(s => s.System == system && s.Type == type);

    /// <summary>Looks at the schedule and the requests now (after the clock moved, in tests).</summary>
    public void Wake() => _wake.Set();

    /// <summary>Checks one sync now; <paramref name="repair"/> re-pushes the owner's values for what drifted.</summary>
    /// <exception cref="ArgumentException">The sync is not one that can be checked.</exception>
    public async Task<VerificationResult> RunAsync(string system, string type, bool repair, CancellationToken cancellationToken)
    {
        var rule = Find(system, type) ?? throw new ArgumentException($"{system} does not receive {type} from the hub, or its connector cannot list {type} records");
        await _oneAtATime.WaitAsync(cancellationToken);
        try
        {
            return await CheckAsync(rule, repair, cancellationToken);
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    private async Task<VerificationResult> CheckAsync(SyncRule rule, bool repair, CancellationToken cancellationToken)
    {
        var dispatcher = _dispatcher(rule.System);
        if (dispatcher?.Breaker.State == CircuitState.Open)
        {
            return new VerificationResult(VerificationStatus.Skipped, null, [], 0, $"{rule.System}'s circuit is open: it keeps failing, so the hub leaves it alone until it recovers");
        }

        var schema = _config.Entities.TryGetValue(rule.Type, out var entity) ? entity.Schema : null;
        var pageSize = _config.Verify.PageSizeFor(rule.System);
        var check = new SyncCheck(rule, schema, _store, _readers[rule.System], pageSize, dispatcher is null ? _ => Task.CompletedTask : dispatcher.PaceAsync);
        var repaired = 0;
        string? error = null;
        var hubCount = await _store.CountLinkedAsync(rule.System, rule.Type, cancellationToken);
        try
        {
            await check.RunAsync(repair ? async (page, ct) => repaired += await RepairAsync(rule, page, ct) : null, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            error = ex.Message;
            _logger.LogWarning(ex, "Verification of {Type} in {System} failed", rule.Type, rule.System);
        }

        // Stored to the millisecond: the run handed back must be the one read back later.
        var finished = DateTimeOffset.FromUnixTimeMilliseconds(_time.GetUtcNow().ToUnixTimeMilliseconds());
        var run = new SyncVerification(rule.System, rule.Type, finished, hubCount, check.SystemCount, check.Compared, check.Drifted, error);
        await _store.SaveVerificationAsync(run, check.Reported, CancellationToken.None);
        _nextDue[(rule.System, rule.Type)] = run.VerifiedAt + _config.Verify.EveryFor(rule.System);
        if (repaired > 0)
        {
            dispatcher?.Wake();
        }

        _logger.LogInformation("Verified {Type} in {System}: hub {HubCount}, system {SystemCount}, compared {Compared}, drifted {Drifted}{Repair}{Error}",
            rule.Type, rule.System, hubCount, check.SystemCount, check.Compared, check.Drifted, repaired > 0 ? $", {repaired} repair(s) queued" : "",
            error is null ? "" : $"; failed: {error}");
        return new VerificationResult(error is null ? VerificationStatus.Completed : VerificationStatus.Failed, run, check.Reported, repaired);
    }

    /// <summary>
    /// Queues a delivery of the owner's values for each drifted record, with an idempotency key of its
    /// own. A record missing in the system loses its link first, so the delivery creates it again
    /// (and links the new id) instead of updating an id the system no longer has.
    /// </summary>
    private async Task<int> RepairAsync(SyncRule rule, IReadOnlyList<(DriftRecord Drift, GoldenRecord Record)> drifted, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var correlation = Ids.New("vfy", _time);
        return await _store.ExecuteAsync(tx =>
        {
            var queued = 0;
            foreach (var (drift, record) in drifted)
            {
                if (drift.Kind == DriftKind.MissingInSystem)
                {
                    tx.RemoveLink(rule.System, rule.Type, drift.ExternalId);
                }

                var fields = new System.Text.Json.Nodes.JsonObject();
                foreach (var (name, value) in record.Fields.Where(f => rule.Covers(f.Key)))
                {
                    fields[name] = value.Value?.DeepClone();
                }

                var changed = drift.Kind == DriftKind.FieldDiffers ? drift.Fields.Select(f => f.Field).ToList() : fields.Select(f => f.Key).ToList();
                tx.EnqueueDelivery(new Delivery
                {
                    System = rule.System,
                    Type = rule.Type,
                    RecordId = record.Id,
                    Version = record.Version,
                    Operation = "upsert",
                    Payload = fields.ToJsonString(JsonText.Options),
                    Changed = JsonSerializer.Serialize(changed),

                    // A repair is a new send of the version: the key of the original delivery would get its saved answer back.
                    IdempotencyKey = $"{record.Id}.v{record.Version}.{rule.System}.repair-{now.ToUnixTimeMilliseconds()}",
                    CorrelationId = correlation,
                    Status = DeliveryStatus.Pending,
                    CreatedAt = now,
                    NextAttemptAt = now,
                });
                queued++;
            }

            return queued;
        }, cancellationToken);
    }

    /// <summary>Runs due checks and requested ones, one at a time, until stopped.</summary>
    public async Task RunLoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                foreach (var request in await _store.TakeVerificationRequestsAsync(cancellationToken))
                {
                    if (Find(request.System, request.Type) is null)
                    {
                        _logger.LogWarning("A verification of {Type} in {System} was asked for, but that sync cannot be checked", request.Type, request.System);
                        continue;
                    }

                    await RunRequestedAsync(request, cancellationToken);
                }

                foreach (var rule in Syncs.Where(s => _config.Verify.ScheduledFor(s.System)))
                {
                    if (await NextDueAsync(rule, cancellationToken) <= _time.GetUtcNow())
                    {
                        await RunAsync(rule.System, rule.Type, _config.Verify.RepairFor(rule.System), cancellationToken);
                    }
                }

                await _wake.WaitAsync(Tick, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                _logger.LogError(ex, "Verification loop failed");
                await Task.Delay(TimeSpan.FromSeconds(5), _time, cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    private async Task RunRequestedAsync(VerificationRequest request, CancellationToken cancellationToken)
    {
        var result = await RunAsync(request.System, request.Type, request.Repair, cancellationToken);
        if (result.Status == VerificationStatus.Skipped)
        {
            // Nothing is stored for a skipped check; the run that says so lets a waiting command stop waiting.
            var last = await _store.GetVerificationAsync(request.System, request.Type, cancellationToken);
            var run = new SyncVerification(request.System, request.Type, _time.GetUtcNow(), last?.HubCount ?? 0, last?.SystemCount ?? 0, 0, 0, "skipped: " + result.Reason);
            await _store.SaveVerificationAsync(run, [], cancellationToken);
        }
    }

    private async Task<DateTimeOffset> NextDueAsync(SyncRule rule, CancellationToken cancellationToken)
    {
        if (!_nextDue.TryGetValue((rule.System, rule.Type), out var due))
        {
            var last = await _store.GetVerificationAsync(rule.System, rule.Type, cancellationToken);
            due = last is null ? DateTimeOffset.MinValue : last.VerifiedAt + _config.Verify.EveryFor(rule.System);
            _nextDue[(rule.System, rule.Type)] = due;
        }

        return due;
    }
}
