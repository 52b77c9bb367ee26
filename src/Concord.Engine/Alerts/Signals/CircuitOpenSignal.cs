using Concord.Core.Alerts;
using Concord.Engine.Resilience;

namespace Concord.Engine.Alerts.Signals;

/// <summary>
/// <c>circuit_open</c>: a system whose circuit breaker stopped the hub calling it. A circuit whose break
/// is over but whose probe has not yet succeeded (half open) still counts: nothing has shown the system
/// is back. It clears when a call succeeds and the circuit closes.
/// </summary>
/// <param name="breakers">The circuit breaker of every system the hub delivers to, by system.</param>
public sealed class CircuitOpenSignal(IReadOnlyDictionary<string, CircuitBreaker> breakers) : IAlertSignal
{
    public AlertRuleKind Kind => AlertRuleKind.CircuitOpen;

    public Task<IReadOnlyList<AlertCause>> EvaluateAsync(AlertRule rule, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var causes = new List<AlertCause>();
        foreach (var (system, breaker) in breakers.OrderBy(b => b.Key, StringComparer.Ordinal))
        {
            var state = breaker.State;
            if (state != CircuitState.Closed && rule.CoversSystem(system))
            {
                causes.Add(new AlertCause(system, $"system {system}",
                    state == CircuitState.Open
                        ? $"the circuit to {system} is open: calls kept failing, so the hub stopped calling it for a while (opened {breaker.Openings} time(s) since start)"
                        : $"the circuit to {system} is half open: the hub is probing it after repeated failures (opened {breaker.Openings} time(s) since start)",
                    "Deliveries to it wait; they resume by themselves when a probe succeeds. GET /api/v1/health shows the breaker."));
            }
        }

        return Task.FromResult<IReadOnlyList<AlertCause>>(causes);
    }
}
