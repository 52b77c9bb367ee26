using System.Globalization;
using Concord.Core.Alerts;
using Concord.Engine.Storage;

namespace Concord.Engine.Alerts.Signals;

/// <summary>
/// <c>dead_letter</c>: a system with deliveries that gave up, one cause per system. It clears when none
/// of the system's deliveries is dead any more (replayed, or resolved by retention once replayed).
/// </summary>
public sealed class DeadLetterSignal(IAlertFigureStore store) : IAlertSignal
{
    public AlertRuleKind Kind => AlertRuleKind.DeadLetter;

    public async Task<IReadOnlyList<AlertCause>> EvaluateAsync(AlertRule rule, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var dead = await store.GetDeadLettersAsync(cancellationToken);
        return dead.Where(d => d.Count > 0 && rule.CoversSystem(d.System)).Select(d => new AlertCause(
            d.System,
            $"system {d.System}",
            string.Create(CultureInfo.InvariantCulture, $"{d.Count} {(d.Count == 1 ? "delivery" : "deliveries")} to {d.System} gave up (dead letter); latest {d.LatestAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC: {d.LatestError ?? "no error recorded"}"),
            $"See them with GET /api/v1/deliveries?status=dead&system={d.System}; replay each with POST /api/v1/deliveries/<id>/replay once the cause is fixed."))
            .ToList();
    }
}
