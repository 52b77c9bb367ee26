using Concord.Core.Alerts;
using Concord.Core.Configuration;
using Concord.Engine.Connectors;
using Concord.Engine.Storage;
using Microsoft.Extensions.Logging;

namespace Concord.Engine.Alerts;

/// <summary>What one evaluation did.</summary>
public sealed record AlertEvaluation(int Opened, int Resolved, int Open);

/// <summary>
/// Evaluates every rule in force every <c>alerts.every</c> and keeps one incident per (rule, cause key):
/// a new cause opens an incident, a cause seen again refreshes its figures, and a cause missing from
/// <c>alerts.resolve_after</c> evaluations in a row resolves it, so a figure hovering at its threshold
/// does not storm. Opening and resolving each enqueue one notification per channel of the rule, in the
/// same transaction. A rule whose signal fails is skipped for that evaluation: its incidents stay as
/// they are rather than resolve on an error.
/// </summary>
public sealed class AlertMonitor
{
    private readonly HubConfig _config;
    private readonly IHubStore _store;
    private readonly Dictionary<AlertRuleKind, IAlertSignal> _signals = [];
    private readonly IReadOnlyDictionary<string, INotifier> _notifiers;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Action _notificationsOwed;
    private readonly HashSet<string> _unsignalled = new(StringComparer.Ordinal);

    /// <param name="config">The rules and channels.</param>
    /// <param name="store">Where incidents and their notifications are kept.</param>
    /// <param name="signals">One per rule kind this hub can evaluate.</param>
    /// <param name="notifiers">The systems that can notify, whose arguments say what shape a channel's message takes.</param>
    /// <param name="time">The clock.</param>
    /// <param name="logger">Where openings, resolutions and failures are logged.</param>
    /// <param name="notificationsOwed">Called after an evaluation enqueued notifications (wakes the outbox).</param>
    public AlertMonitor(HubConfig config, IHubStore store, IEnumerable<IAlertSignal> signals, IReadOnlyDictionary<string, INotifier> notifiers, TimeProvider time, ILogger logger,
        Action? notificationsOwed = null)
    {
        _config = config;
        _store = store;
        _notifiers = notifiers;
        _time = time;
        _logger = logger;
        _notificationsOwed = notificationsOwed ?? (() => { });
        foreach (var signal in signals)
        {
            _signals[signal.Kind] = signal;
        }
    }

    /// <summary>Runs <see cref="EvaluateAsync"/> every <c>alerts.every</c> until stopped.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await EvaluateAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                _logger.LogError(ex, "Evaluating the alert rules failed; trying again in {Every}", Duration.Format(_config.Alerts.Every));
            }

            try
            {
                await Task.Delay(_config.Alerts.Every, _time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One evaluation of every rule at the clock's time.</summary>
    public async Task<AlertEvaluation> EvaluateAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var unresolved = await _store.GetUnresolvedIncidentsAsync(cancellationToken);
        int opened = 0, resolved = 0;
        foreach (var rule in _config.Alerts.Rules)
        {
            if (!_signals.TryGetValue(rule.Kind, out var signal))
            {
                if (_unsignalled.Add(rule.Name))
                {
                    _logger.LogWarning("Alert rule {Rule} ({Kind}) is skipped: this hub has no signal for its kind", rule.Name, AlertRuleKinds.NameOf(rule.Kind));
                }

                continue;
            }

            IReadOnlyList<AlertCause> causes;
            try
            {
                causes = await signal.EvaluateAsync(rule, now, cancellationToken);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                _logger.LogError(ex, "Alert rule {Rule} could not be evaluated; its incidents stay as they are", rule.Name);
                continue;
            }

            var seen = new Dictionary<string, AlertCause>(StringComparer.Ordinal);
            foreach (var cause in causes)
            {
                seen.TryAdd(cause.Key, cause);
            }

            var mine = unresolved.Where(i => i.Rule == rule.Name).ToList();
            if (mine.Count > 0)
            {
                var sighted = await _store.RecordSightingsAsync(mine.Select(i => new IncidentSighting(i.Id, now, seen.GetValueOrDefault(i.Key))).ToList(), cancellationToken);
                foreach (var incident in sighted.Where(i => i.Misses >= _config.Alerts.ResolveAfter))
                {
                    var done = incident with { Status = IncidentStatus.Resolved, ResolvedAt = now };
                    if (await _store.ResolveIncidentAsync(incident.Id, now, Notifications(rule, done, AlertMessages.Resolved, now), cancellationToken))
                    {
                        resolved++;
                        _logger.LogInformation("Incident {Id} resolved: {Rule} on {Subject} after {Lasted}", incident.Id, rule.Name, incident.Subject, AlertMessages.Lasted(done));
                    }
                }
            }

            var keys = mine.Select(i => i.Key).ToHashSet(StringComparer.Ordinal);
            foreach (var cause in seen.Values.Where(c => !keys.Contains(c.Key)))
            {
                var incident = new Incident(Ids.New("inc", _time), rule.Name, AlertRuleKinds.NameOf(rule.Kind), cause.Key, cause.Subject, cause.Summary, cause.Detail,
                    IncidentStatus.Open, now, now);
                if (await _store.OpenIncidentAsync(incident, Notifications(rule, incident, AlertMessages.Opened, now), cancellationToken))
                {
                    opened++;
                    _logger.LogWarning("Incident {Id} opened: {Rule} on {Subject}: {Summary}", incident.Id, rule.Name, cause.Subject, cause.Summary);
                }
            }
        }

        if (opened + resolved > 0)
        {
            _notificationsOwed();
        }

        return new AlertEvaluation(opened, resolved, unresolved.Count + opened - resolved);
    }

    /// <summary>One notification per channel of the rule (every channel when it names none).</summary>
    private List<AlertNotification> Notifications(AlertRule rule, Incident incident, string evt, DateTimeOffset now)
    {
        var channels = rule.Channels.Count > 0
            ? rule.Channels.Select(c => _config.Alerts.Channels.GetValueOrDefault(c)).OfType<AlertChannel>()
            : _config.Alerts.Channels.Values;
        var result = new List<AlertNotification>();
        foreach (var channel in channels)
        {
            var arguments = _notifiers.TryGetValue(channel.Via, out var notifier) ? notifier.Arguments : ["text"];
            var args = AlertMessages.For(incident, evt, channel, arguments);
            result.Add(new AlertNotification(Ids.New("ntf", _time), incident.Id, evt, channel.Name, channel.Via, args.ToJsonString(),
                $"{incident.Id}:{evt}:{channel.Name}", NotificationStatus.Pending, 0, now, now));
        }

        return result;
    }
}
