using System.Globalization;
using Concord.Core.Configuration;
using Concord.Core.Map;
using Concord.Engine.Hosting;
using Concord.Engine.Resilience;
using Concord.Engine.Storage;

namespace Concord.Engine.Map;

/// <summary>
/// The one judgement of a system's state (<see cref="SystemState"/>), which the overview, the live map, its Mermaid text
/// and the dashboard's map all show. It is made from what the hub already knows rather than from figures of its own:
/// the delivery figures of the health reading (dead letters, failing attempts, retries), the circuit breaker, the
/// poller, and the silence alert rule (an unresolved <c>silence</c> incident about the system, which exists only when
/// such a rule runs and has the weeks of history it needs).
/// </summary>
public static class SystemStates
{
    /// <summary>The alert rule kind whose incidents say a system went quiet.</summary>
    public const string SilenceKind = "silence";

    /// <summary>The window of the error rate that makes a system degraded (the health endpoint's).</summary>
    public static readonly TimeSpan ErrorWindow = TimeSpan.FromMinutes(15);

    /// <summary>
    /// At this share of failed attempts (over at least <see cref="MinAttempts"/>) the reason says how many of how many
    /// failed, rather than how many failed and how many wait to be retried.
    /// </summary>
    public const double MostlyFailingRate = 0.5;

    public const int MinAttempts = 4;

    /// <summary>
    /// An open circuit says the most (nothing is being sent), then silence (nothing is coming in), then anything in the
    /// delivery figures, the circuit or the poller that needs a look (<see cref="Trouble"/>).
    /// </summary>
    /// <param name="figures">The system's delivery figures from the health reading; null when it has none.</param>
    /// <param name="circuit">Its circuit, or null when it has no dispatcher.</param>
    /// <param name="pollError">Its poller's last error, or null.</param>
    /// <param name="silence">The unresolved silence incident about it, or null.</param>
    public static SystemStatus Of(SystemHealth? figures, CircuitState? circuit, string? pollError, Incident? silence)
    {
        var trouble = Trouble(figures, circuit, pollError);
        if (circuit == CircuitState.Open)
        {
            return new SystemStatus(SystemState.CircuitOpen, trouble is { } reason && reason != "circuit open" ? $"circuit open; {reason}" : "circuit open");
        }

        if (silence is not null)
        {
            return new SystemStatus(SystemState.Silent, silence.Summary);
        }

        return trouble is null ? new SystemStatus(SystemState.Healthy) : new SystemStatus(SystemState.Degraded, trouble);
    }

    /// <summary>
    /// What in the figures, the circuit or the poller needs a look, worst first, or null when nothing does: deliveries
    /// in the dead letter, the circuit open, most recent attempts failing, failures being retried, a circuit probing
    /// after a break, a poller that cannot read.
    /// </summary>
    public static string? Trouble(SystemHealth? figures, CircuitState? circuit, string? pollError)
    {
        var dead = figures?.Dead ?? 0;
        var attempts = figures?.AttemptsInWindow ?? 0;
        var failed = figures?.FailedInWindow ?? 0;
        if (dead > 0)
        {
            return dead == 1 ? "1 dead delivery" : $"{N(dead)} dead deliveries";
        }

        if (circuit == CircuitState.Open)
        {
            return "circuit open";
        }

        if (attempts >= MinAttempts && failed >= attempts * MostlyFailingRate)
        {
            return $"{N(failed)} of {N(attempts)} attempts failed in 15 min";
        }

        if (failed > 0 || figures?.Retrying > 0)
        {
            return $"{N(failed)} failed attempts in 15 min, {N(figures?.Retrying ?? 0)} retrying";
        }

        if (circuit == CircuitState.HalfOpen)
        {
            return "circuit probing after a break";
        }

        return pollError is null ? null : $"polling fails: {pollError}";
    }

    /// <summary>Every configured system's state, by name, from a health reading and the unresolved incidents already read.</summary>
    /// <param name="config">The configuration whose systems are judged.</param>
    /// <param name="health">The delivery figures (<see cref="IHealthStore.GetHealthAsync"/> over <see cref="ErrorWindow"/>).</param>
    /// <param name="unresolved">The unresolved incidents, of any rule; the silence ones are picked out.</param>
    /// <param name="circuit">A system's circuit state, or null when it has no dispatcher.</param>
    /// <param name="pollError">A system poller's last error, or null.</param>
    public static IReadOnlyDictionary<string, SystemStatus> Judge(HubConfig config, HealthSnapshot health, IEnumerable<Incident> unresolved,
        Func<string, CircuitState?> circuit, Func<string, string?> pollError)
    {
        var silences = unresolved
            .Where(i => i.Kind == SilenceKind)
            .GroupBy(i => i.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderBy(i => i.OpenedAt).First(), StringComparer.Ordinal);
        return config.Systems.Values.ToDictionary(
            s => s.Name,
            s => Of(health.Systems.FirstOrDefault(f => f.System == s.Name), circuit(s.Name), pollError(s.Name), silences.GetValueOrDefault(s.Name)),
            StringComparer.Ordinal);
    }

    /// <summary>Every configured system's state in the running hub, from a health reading and the incidents already read.</summary>
    public static IReadOnlyDictionary<string, SystemStatus> Judge(HubRuntime hub, HealthSnapshot health, IEnumerable<Incident> unresolved) =>
        Judge(hub.Config, health, unresolved, system => hub.Dispatcher(system)?.Breaker.State, system => hub.Pollers.GetValueOrDefault(system)?.LastError);

    /// <summary>Every configured system's state, by name, read from the running hub.</summary>
    public static Task<IReadOnlyDictionary<string, SystemStatus>> ReadAsync(HubRuntime hub, CancellationToken cancellationToken) =>
        ReadAsync(hub.Config, hub.Store, hub.Store, system => hub.Dispatcher(system)?.Breaker.State, system => hub.Pollers.GetValueOrDefault(system)?.LastError,
            hub.Time.GetUtcNow(), cancellationToken);

    /// <summary>Every configured system's state, by name: reads the delivery figures and the unresolved incidents, then judges.</summary>
    public static async Task<IReadOnlyDictionary<string, SystemStatus>> ReadAsync(HubConfig config, IHealthStore health, IIncidentStore incidents,
        Func<string, CircuitState?> circuit, Func<string, string?> pollError, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var figures = await health.GetHealthAsync(now, ErrorWindow, cancellationToken);
        return Judge(config, figures, await incidents.GetUnresolvedIncidentsAsync(cancellationToken), circuit, pollError);
    }

    private static string N(long n) => n.ToString(CultureInfo.InvariantCulture);
}
