using Concord.Core.Map;
using Concord.Engine.Hosting;
using Concord.Engine.Resilience;
using Concord.Engine.Storage;

namespace Concord.Engine.Map;

/// <summary>How a connected system is doing, in the four words the dashboard uses.</summary>
public enum SystemState
{
    Healthy,

    /// <summary>Deliveries dead-lettered or retrying, attempts failing, a circuit probing, or a poller that cannot read.</summary>
    Degraded,

    /// <summary>The circuit breaker stopped the hub calling the system.</summary>
    CircuitOpen,

    /// <summary>The silence alert rule found its inbound volume far below its usual for these hours.</summary>
    Silent,
}

/// <summary>A system's state and why (<c>2 dead deliveries</c>, the silence incident's summary); no reason when healthy.</summary>
public sealed record SystemStateReading(SystemState State, string? Reason)
{
    /// <summary><c>healthy</c>, <c>degraded</c>, <c>circuit open</c>, <c>silent</c>.</summary>
    public string Word => State switch
    {
        SystemState.Healthy => "healthy",
        SystemState.Degraded => "degraded",
        SystemState.CircuitOpen => "circuit open",
        _ => "silent",
    };
}

/// <summary>
/// The one judgement of a system's state, made from the judgements the hub already makes rather than a new one: the
/// map's health (<see cref="LiveMapReader.StatusOf"/>: dead letters, failing attempts, retries, the circuit, the poller),
/// the circuit breaker's state, and the silence alert rule (an unresolved <c>silence</c> incident about the system,
/// which exists only when such a rule runs and has the weeks of history it needs).
/// </summary>
public static class SystemStates
{
    /// <summary>
    /// An open circuit says the most (nothing is being sent), then silence (nothing is coming in), then anything the
    /// map colours as failing or degraded.
    /// </summary>
    public static SystemStateReading Of(SystemStatus status, CircuitState? circuit, Incident? silence)
    {
        if (circuit == CircuitState.Open)
        {
            return new SystemStateReading(SystemState.CircuitOpen, status.Reason is { } reason && reason != "circuit open" ? $"circuit open; {reason}" : "circuit open");
        }

        if (silence is not null)
        {
            return new SystemStateReading(SystemState.Silent, silence.Summary);
        }

        return status.Health is MapHealth.Failing or MapHealth.Degraded
            ? new SystemStateReading(SystemState.Degraded, status.Reason)
            : new SystemStateReading(SystemState.Healthy, null);
    }

    /// <summary>Every configured system's state, by name, read from the running hub.</summary>
    public static async Task<IReadOnlyDictionary<string, SystemStateReading>> ReadAsync(HubRuntime hub, CancellationToken cancellationToken)
    {
        var overlay = await LiveMapReader.ReadAsync(hub, cancellationToken);
        var silences = (await hub.Store.GetUnresolvedIncidentsAsync(cancellationToken))
            .Where(i => i.Kind == "silence")
            .GroupBy(i => i.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderBy(i => i.OpenedAt).First(), StringComparer.Ordinal);
        return hub.Config.Systems.Values.ToDictionary(
            s => s.Name,
            s => Of(overlay.SystemOf(s.Name), hub.Dispatcher(s.Name)?.Breaker.State, silences.GetValueOrDefault(s.Name)),
            StringComparer.Ordinal);
    }
}
