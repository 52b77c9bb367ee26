using System.Globalization;
using Concord.Core.Alerts;
using Concord.Engine.Alerts.Shapes;
using Concord.Engine.Alerts;

namespace Concord.Engine.Alerts.Signals;

/// <summary>
/// <c>schema_drift</c>: one cause per (system, type) whose recent payloads gained, lost or changed the kind of a
/// field against the learned shape. It clears when the payloads match again, or when an operator accepts the new
/// shape. The summary names paths and kinds only, never values.
/// </summary>
public sealed class SchemaDriftSignal(ShapeLearner shapes) : IAlertSignal
{
    public AlertRuleKind Kind => AlertRuleKind.SchemaDrift;

    public Task<IReadOnlyList<AlertCause>> EvaluateAsync(AlertRule rule, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var causes = new List<AlertCause>();
        foreach (var shape in shapes.Shapes())
        {
            if (shape.Drift.Count == 0 || !rule.CoversSystem(shape.System) || !rule.CoversType(shape.Type))
            {
                continue;
            }

            var detail = string.Join('\n', shape.Drift.Select(d =>
                string.Create(CultureInfo.InvariantCulture, $"{d.Describe()}, since {d.Since:yyyy-MM-dd HH:mm} UTC")));
            causes.Add(new AlertCause(
                $"{shape.System}/{shape.Type}",
                $"system {shape.System}, type {shape.Type}",
                $"{shape.System} {shape.Type} payloads changed: {string.Join(", ", shape.Drift.Select(d => d.Describe()))}",
                detail + $"\naccept the new shape with POST /api/v1/schemas/{shape.System}/{shape.Type}/accept"));
        }

        return Task.FromResult<IReadOnlyList<AlertCause>>(causes);
    }
}
