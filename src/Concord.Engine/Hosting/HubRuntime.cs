using System.Text.Json.Nodes;
using Concord.Core.Configuration;
using Concord.Core.Flows.Model;
using Concord.Core.Sync;
using Concord.Engine.Alerts.Shapes;
using Concord.Engine.Alerts;
using Concord.Engine.Billing;
using Concord.Engine.Connectors;
using Concord.Engine.Dispatch;
using Concord.Engine.Flows.Records;
using Concord.Engine.Flows.Steps;
using Concord.Engine.Flows;
using Concord.Engine.Health;
using Concord.Engine.Identity;
using Concord.Engine.Intake;
using Concord.Engine.Polling;
using Concord.Engine.Processing;
using Concord.Engine.Storage;
using Concord.Engine.Verification;
using Microsoft.Extensions.Logging;

namespace Concord.Engine.Hosting;

/// <summary>
/// The running pipeline: accepts changes into the inbox, runs the inbox worker and one dispatcher
/// per receiving system, runs flows (the runner and the scheduler), and prunes the store on schedule.
/// The server and tests drive it.
/// </summary>
public sealed class HubRuntime : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];
    private readonly Dictionary<string, SystemDispatcher> _dispatchers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IInboundConnector> _inbound = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PollWorker> _pollers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IVerifier> _verifiers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, INotifier> _notifiers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IRecordReader> _readers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ICredentialExpiry> _credentialExpiry = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ISubscriptionCanceller> _subscriptions = new(StringComparer.Ordinal);
    private readonly FlowRunner _flowRunner;
    private readonly FlowScheduler _flowScheduler;
    private readonly InboxWorker _inboxWorker;
    private readonly ChangeProcessor _processor;
    private readonly ILogger _logger;

    /// <summary>
    /// Builds the pipeline; <paramref name="credentialKey"/> (32 bytes) encrypts stored connector credentials, a random one (lost at exit) when null.
    /// <paramref name="stepHandlers"/> run flow actions beside the built-in ones (and replace a built-in one for the same action);
    /// <paramref name="alertSignals"/> evaluate alert rules beside the shipped signals (and replace a shipped one for the same kind).
    /// </summary>
    public HubRuntime(HubConfig config, IHubStore store, IConnectorFactory connectors, HttpClient http, TimeProvider time, ILoggerFactory loggers,
        IRecordResolver? resolver = null, byte[]? credentialKey = null, Func<string, string?>? environment = null, IEnumerable<IStepHandler>? stepHandlers = null,
        IEnumerable<IAlertSignal>? alertSignals = null)
    {
        Config = config;
        Store = store;
        Time = time;
        Plan = new SyncPlan(config);
        Intake = new ChangeIntake(Plan, time);
        _logger = loggers.CreateLogger("Concord.Hub");
        Triggers = new FlowTriggers(config, time);
        Merger = new RecordMerger(Plan, time, Triggers);
        Matcher = new RecordMatcher(config);
        _processor = new ChangeProcessor(Plan, resolver ?? new DeterministicResolver(time), time, new MatchStage(Matcher, Merger, time), Triggers);
        Steward = new StewardEditor(Plan, time, Triggers);
        Replayer = new DeliveryReplayer(store, Plan, time, system => Dispatcher(system)?.Wake());

        var context = new ConnectorContext
        {
            Http = http,
            Time = time,
            Intake = Intake,
            Links = new StoreLinkLookup(store),
            Credentials = new ProtectedCredentialStore(store, credentialKey ?? System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
            RequestPoll = system => _pollers.GetValueOrDefault(system)?.Wake(),
            Environment = environment,
            Loggers = loggers,
        };

        foreach (var system in config.Systems.Values)
        {
            var parts = connectors.Create(system, context);
            var descriptor = connectors.Find(system.Kind);
            if (config.Syncs.Any(s => s.System == system.Name && s.Receives) && parts.Outbound is { } outbound)
            {
                // The vendor's published limits pace the calls unless the configuration says otherwise.
                var pace = !system.RateLimit.Configured && descriptor?.VendorRateLimit is { } vendor ? vendor : system.RateLimit;
                _dispatchers[system.Name] = new SystemDispatcher(system, outbound, store, time, loggers.CreateLogger($"Concord.Delivery.{system.Name}"), rateLimit: pace);
            }

            if (parts.Inbound is { } inbound)
            {
                _inbound[system.Name] = inbound;
            }

            if (config.Syncs.Any(s => s.System == system.Name && s.Contributes) && parts.Poller is { } poller)
            {
                _pollers[system.Name] = new PollWorker(system.Name, poller, store, AcceptPolledAsync, time, loggers.CreateLogger($"Concord.Poll.{system.Name}"));
            }

            if (parts.Verifier is { } verifier)
            {
                _verifiers[system.Name] = verifier;
            }

            if (parts.Notifier is { } notifier)
            {
                _notifiers[system.Name] = notifier;
            }

            if (parts.Records is { } records)
            {
                _readers[system.Name] = records;
            }

            if (parts.CredentialExpiry is { } expiry)
            {
                _credentialExpiry[system.Name] = expiry;
            }

            if (parts.Subscriptions is { } subscriptions)
            {
                _subscriptions[system.Name] = subscriptions;
            }
        }

        // Every flow action's handler, in one list; a handler passed in replaces a built-in one for the same action.
        IEnumerable<IStepHandler> handlers =
        [
            new RecordStepHandler(Plan, store, Triggers, time),
            new NotifyStepHandler(_notifiers),
            new HttpStepHandler(http, time),
            new WaitStepHandler(time),
            new LookupStepHandler(config.FlowSettings),
            new DraftInvoiceStepHandler(new StoreCustomerDirectory(store, time), time),
            .. stepHandlers ?? [],
        ];
        var flowLogger = loggers.CreateLogger("Concord.Flows");
        var executor = new FlowExecutor(config, handlers, time, flowLogger, AfterFlowWriteAsync);
        _flowRunner = new FlowRunner(config, store, executor, time, flowLogger);
        _inboxWorker = new InboxWorker(store, _processor, time, loggers.CreateLogger<InboxWorker>(), WakeAllDispatchers, _flowRunner.Wake);
        _flowScheduler = new FlowScheduler(config, store, time, flowLogger, _flowRunner.Wake);
        Flows = new FlowEngine(config, store, executor, _flowRunner, time, environment);
        Subscriptions = new SubscriptionCancellation(store, _subscriptions, loggers.CreateLogger("Concord.Billing"));
        Verification = new VerificationService(config, store, _readers, Dispatcher, time, loggers.CreateLogger("Concord.Verify"));

        DataHealth = new DataHealthMonitor(config, store, time, loggers.CreateLogger("Concord.Health"), connectors);
        Catalog = connectors;
        Shapes = new ShapeLearner(store, time, config.Hub.SchemaMinSamples, loggers.CreateLogger("Concord.Shapes"));
        var alertLogger = loggers.CreateLogger("Concord.Alerts");
        AlertOutbox = new AlertOutbox(store, _notifiers, time, alertLogger);
        var signals = AlertSignals.Create(config, store, _dispatchers.ToDictionary(d => d.Key, d => d.Value.Breaker, StringComparer.Ordinal), _credentialExpiry, Shapes, DataHealth);
        Alerts = new AlertMonitor(config, store, [.. signals, .. alertSignals ?? []], _notifiers, time, alertLogger, AlertOutbox.Wake);
    }

    public HubConfig Config { get; }

    public IHubStore Store { get; }

    /// <summary>The connector kinds this hub was built with: what each is and can do (e.g. a record's address in the vendor's app).</summary>
    public IConnectorCatalog Catalog { get; }

    public SyncPlan Plan { get; }

    public ChangeIntake Intake { get; }

    public TimeProvider Time { get; }

    public DeliveryReplayer Replayer { get; }

    public RecordMerger Merger { get; }

    /// <summary>The probabilistic matcher of the resolve stage.</summary>
    public RecordMatcher Matcher { get; }
    public StewardEditor Steward { get; }

    public IReadOnlyDictionary<string, SystemDispatcher> Dispatchers => _dispatchers;

    public SystemDispatcher? Dispatcher(string system) => _dispatchers.GetValueOrDefault(system);

    public IInboundConnector? Inbound(string system) => _inbound.GetValueOrDefault(system);

    public IReadOnlyDictionary<string, PollWorker> Pollers => _pollers;

    public IVerifier? Verifier(string system) => _verifiers.GetValueOrDefault(system);

    /// <summary>The systems that can send a flow's <c>notify:</c> messages, by name.</summary>
    public IReadOnlyDictionary<string, INotifier> Notifiers => _notifiers;

    /// <summary>Starts the flows record events trigger, inside the pipeline's transactions.</summary>
    public FlowTriggers Triggers { get; }

    /// <summary>Starting, replaying, waiting for and testing flow runs.</summary>
    public FlowEngine Flows { get; }

    /// <summary>Cancels a subscription in the systems that bill it, when a person asks (a customer billed twice).</summary>
    public SubscriptionCancellation Subscriptions { get; }

    /// <summary>Checks syncs against their systems ("last verified"), on schedule and on demand.</summary>
    public VerificationService Verification { get; }
    /// <summary>Evaluates the alert rules and keeps their incidents (exposed so a test can evaluate at a moved clock).</summary>
    public AlertMonitor Alerts { get; }

    /// <summary>Sends the notifications incidents owe.</summary>
    public AlertOutbox AlertOutbox { get; }
    /// <summary>The shapes learned from each system's payloads, for schema drift.</summary>
    public ShapeLearner Shapes { get; }
    /// <summary>Data-health figures: measured every <c>health.every</c> and kept as history, or on demand.</summary>
    public DataHealthMonitor DataHealth { get; }

    /// <summary>Starts scheduled flows (exposed so a test can make it look at a moved clock).</summary>
    public FlowScheduler FlowScheduler => _flowScheduler;

    /// <summary>Starts the background stages. The store must be initialised.</summary>
    public void Start()
    {
        // Every live record must be in the blocking indexes before the first change is matched.
        Matcher.LoadAsync(Store, line => _logger.LogInformation("{Line}", line), _stop.Token).GetAwaiter().GetResult();
        Shapes.LoadAsync(_stop.Token).GetAwaiter().GetResult();
        _loops.Add(Task.Run(() => _inboxWorker.RunAsync(_stop.Token)));
        foreach (var dispatcher in _dispatchers.Values)
        {
            _loops.Add(Task.Run(() => dispatcher.RunAsync(_stop.Token)));
        }

        foreach (var poller in _pollers.Values)
        {
            _loops.Add(Task.Run(() => poller.RunAsync(_stop.Token)));
        }

        _loops.Add(Task.Run(() => _flowRunner.RunAsync(_stop.Token)));
        _loops.Add(Task.Run(() => _flowScheduler.RunAsync(_stop.Token)));

        _loops.Add(Task.Run(() => Task.WhenAll(Alerts.RunAsync(_stop.Token), AlertOutbox.RunAsync(_stop.Token))));
        _loops.Add(Task.Run(() => PruneLoopAsync(_stop.Token)));
        _loops.Add(Task.Run(() => Verification.RunLoopAsync(_stop.Token)));
        _loops.Add(Task.Run(() => Shapes.RunAsync(_stop.Token)));
        _loops.Add(Task.Run(() => DataHealth.RunAsync(_stop.Token)));
    }

    /// <summary>The accept stage: stores changes durably, then wakes the pipeline.</summary>
    public async Task<IReadOnlyList<AcceptOutcome>> AcceptAsync(IReadOnlyList<InboundChange> changes, CancellationToken cancellationToken)
    {
        // When nothing waits ahead of them, the changes are processed in the transaction that
        // accepts them; otherwise the inbox worker takes them in order.
        BatchStats? stats = null;
        var outcomes = await Store.AppendAndProcessAsync(changes, (tx, batch) => stats = _processor.Process(tx, batch), cancellationToken);
        Shapes.Observe(changes, outcomes);
        Woken(stats);
        _inboxWorker.Wake();
        return outcomes;
    }

    /// <summary>
    /// Merges <paramref name="absorbedId"/> into <paramref name="survivorId"/>. Refused while the absorbed
    /// record still has deliveries under way: they would reach systems under an id that is gone.
    /// </summary>
    public async Task<MergeResult> MergeAsync(string type, string survivorId, string absorbedId, string by, CancellationToken cancellationToken)
    {
        foreach (var status in new[] { DeliveryStatus.Pending, DeliveryStatus.Retrying })
        {
            if ((await Store.QueryDeliveriesAsync(new DeliveryQuery(status, RecordId: absorbedId, Limit: 1), cancellationToken)).Count > 0)
            {
                throw new MergeRefusedException($"{absorbedId} still has deliveries under way; merge it when they have finished (GET /api/v1/deliveries?record={absorbedId})");
            }
        }

        var result = await Store.ExecuteAsync(tx => Merger.Merge(tx, type, survivorId, absorbedId, by), cancellationToken);
        await ReindexAsync(result.Merge, cancellationToken);
        return Woken(result);
    }

    /// <summary>
    /// Approves a finding from the review queue. A <c>possible-duplicate</c> is merged (the record
    /// that held the key first survives) in the transaction that closes it; any other kind is
    /// acknowledged. Returns the merge, when there was one.
    /// </summary>
    public async Task<MergeResult?> ApproveFindingAsync(string findingId, string by, CancellationToken cancellationToken)
    {
        var finding = await OpenFindingAsync(findingId, cancellationToken);
        if (finding.Kind != "possible-duplicate" || finding.OtherRecordId is not { } survivor)
        {
            await Store.ExecuteAsync(tx => { tx.CloseFinding(findingId, dismissed: false); return true; }, cancellationToken);
            return null;
        }

        foreach (var status in new[] { DeliveryStatus.Pending, DeliveryStatus.Retrying })
        {
            if ((await Store.QueryDeliveriesAsync(new DeliveryQuery(status, RecordId: finding.RecordId, Limit: 1), cancellationToken)).Count > 0)
            {
                throw new MergeRefusedException($"{finding.RecordId} still has deliveries under way; approve when they have finished");
            }
        }

        var result = await Store.ExecuteAsync(tx =>
        {
            var merged = Merger.Merge(tx, finding.Type, survivor, finding.RecordId, by);
            tx.CloseFinding(findingId, dismissed: false);
            return merged;
        }, cancellationToken);
        await ReindexAsync(result.Merge, cancellationToken);
        return Woken(result);
    }

    /// <summary>Rejects a finding: closed, and never raised again for the same records.</summary>
    public async Task RejectFindingAsync(string findingId, CancellationToken cancellationToken)
    {
        await OpenFindingAsync(findingId, cancellationToken);
        await Store.ExecuteAsync(tx => { tx.CloseFinding(findingId, dismissed: true); return true; }, cancellationToken);
    }

    private async Task<Finding> OpenFindingAsync(string findingId, CancellationToken cancellationToken)
    {
        var finding = await Store.ExecuteAsync(tx => tx.LoadFinding(findingId), cancellationToken)
            ?? throw new MergeRefusedException($"no finding {findingId}", notFound: true);
        return finding.ResolvedAt is null ? finding : throw new MergeRefusedException($"finding {findingId} is closed already");
    }

    /// <summary>Undoes a merge: both records as they were, each with its own links again.</summary>
    public async Task<MergeResult> UnmergeAsync(string mergeId, CancellationToken cancellationToken)
    {
        var result = await Store.ExecuteAsync(tx =>
        {
            var undone = Merger.Unmerge(tx, mergeId);

            // Undoing a merge says the two are different: the matcher must not propose them again.
            var said = new Finding(Ids.New("fnd", Time), "possible-duplicate", "info", undone.Merge.Type, undone.Merge.AbsorbedId, undone.Merge.SurvivorId, null,
                $"{undone.Merge.AbsorbedId} and {undone.Merge.SurvivorId} were unmerged ({undone.Merge.Id}): kept apart", Time.GetUtcNow());
            tx.RaiseFinding(said);
            tx.CloseFinding(said.Id, dismissed: true);
            return undone;
        }, cancellationToken);
        await ReindexAsync(result.Merge, cancellationToken);
        return Woken(result);
    }

    /// <summary>Sets a steward override: <paramref name="field"/> holds <paramref name="value"/> against every system until cleared.</summary>
    public async Task<OverrideResult> SetOverrideAsync(string type, string id, string field, System.Text.Json.Nodes.JsonNode? value, string by, string reason,
        CancellationToken cancellationToken) =>
        Delivered(await Store.ExecuteAsync(tx => Steward.Set(tx, type, id, field, value, by, reason), cancellationToken));

    /// <summary>Clears a steward override: the value survivorship chooses now comes back and is delivered.</summary>
    public async Task<OverrideResult> ClearOverrideAsync(string type, string id, string field, string by, string reason, CancellationToken cancellationToken) =>
        Delivered(await Store.ExecuteAsync(tx => Steward.Clear(tx, type, id, field, by, reason), cancellationToken));

    private OverrideResult Delivered(OverrideResult result)
    {
        if (result.Deliveries > 0)
        {
            WakeAllDispatchers();
        }

        if (result.FlowRuns > 0)
        {
            _flowRunner.Wake();
        }

        return result;
    }

    private MergeResult Woken(MergeResult result)
    {
        if (result.Deliveries > 0)
        {
            WakeAllDispatchers();
        }

        if (result.FlowRuns > 0)
        {
            _flowRunner.Wake();
        }

        return result;
    }

    /// <summary>A processed batch owed deliveries or started flow runs: the stages that take them over look now.</summary>
    private void Woken(BatchStats? stats)
    {
        if (stats is { Deliveries: > 0 })
        {
            WakeAllDispatchers();
        }

        if (stats is { FlowRuns: > 0 })
        {
            _flowRunner.Wake();
        }
    }

    /// <summary>
    /// A flow step's write committed: it may owe deliveries and have started runs, and a record it created
    /// or changed must be in the matcher's indexes before the next arrival is compared with it (indexed on
    /// the store's writer, where the resolve stage uses the matcher).
    /// </summary>
    private async Task AfterFlowWriteAsync(FlowStep step, JsonNode? output, CancellationToken cancellationToken)
    {
        WakeAllDispatchers();
        _flowRunner.Wake();
        if (step.Action is StepAction.Create or StepAction.FindOrCreate or StepAction.Upsert or StepAction.Update or StepAction.Set
            && output is JsonObject written && (string?)written["id"] is { } id && (string?)written["type"] is { } type && Matcher.Matches(type))
        {
            await Store.ExecuteAsync(tx =>
            {
                if (tx.LoadRecord(id) is { Deleted: false } record)
                {
                    Matcher.Index(record);
                }

                return true;
            }, cancellationToken);
        }
    }

    /// <summary>A merge or unmerge changed what the matcher reads of both records.</summary>
    private async Task ReindexAsync(MergeEntry merge, CancellationToken cancellationToken)
    {
        foreach (var id in new[] { merge.SurvivorId, merge.AbsorbedId })
        {
            if (await Store.GetRecordAsync(id, cancellationToken) is { } record)
            {
                Matcher.Index(record);
            }
        }
    }

    /// <summary>The accept stage for a polled page: its changes and the feed's cursor commit together.</summary>
    public async Task AcceptPolledAsync(IReadOnlyList<InboundChange> changes, PollCursor cursor, CancellationToken cancellationToken)
    {
        BatchStats? stats = null;
        var outcomes = await Store.AppendPolledAsync(changes, cursor, (tx, batch) => stats = _processor.Process(tx, batch), cancellationToken);
        Shapes.Observe(changes, outcomes);
        Woken(stats);
        _inboxWorker.Wake();
    }

    private void WakeAllDispatchers()
    {
        foreach (var d in _dispatchers.Values)
        {
            d.Wake();
        }
    }

    private async Task PruneLoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                // The hourly traffic history is counted from the log before the log is pruned.
                var now = Time.GetUtcNow();
                var rolled = await Store.RollUpTrafficAsync(now, now - Config.Hub.TrafficRetention, cancellationToken);
                _logger.LogDebug("Traffic history: counted {Lines} log lines, dropped {Expired} hours older than {Retention}",
                    rolled.Lines, rolled.Expired, Duration.Format(Config.Hub.TrafficRetention));
                var removed = await Store.PruneAsync(now - Config.Hub.LogRetention, cancellationToken);
                if (removed > 0)
                {
                    _logger.LogInformation("Retention: removed {Count} log entries older than {Retention}", removed, Duration.Format(Config.Hub.LogRetention));
                }

                await Task.Delay(TimeSpan.FromHours(1), Time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception ex)
            {
                _logger.LogError(ex, "Retention pruning failed");
                await Task.Delay(TimeSpan.FromMinutes(5), Time, cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await Task.WhenAll(_loops);
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }
}
