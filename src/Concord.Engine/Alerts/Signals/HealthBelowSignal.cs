using System.Globalization;
using Concord.Core.Alerts;
using Concord.Core.Configuration;
using Concord.Engine.Alerts;
using Concord.Engine.Health;

namespace Concord.Engine.Alerts.Signals;

/// <summary>
/// <c>health_below</c>: one cause per type whose data-health score is below target, and one for the overall
/// score (when the rule covers every type). The rule's <c>target:</c> overrides <c>health.target</c> and the
/// per-type targets. Reads the monitor's latest measurement while it is younger than <c>health.every</c>;
/// a type without records has no score and raises nothing.
/// </summary>
public sealed class HealthBelowSignal(DataHealthMonitor monitor, HubConfig config) : IAlertSignal
{
    /// <summary>Reasons named in a summary; the detail names them all.</summary>
    private const int SummaryReasons = 3;

    public AlertRuleKind Kind => AlertRuleKind.HealthBelow;

    public async Task<IReadOnlyList<AlertCause>> EvaluateAsync(AlertRule rule, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var report = await monitor.CurrentAsync(config.Health.Every, cancellationToken);
        var causes = new List<AlertCause>();
        foreach (var type in report.Types.Where(t => rule.CoversType(t.Type)))
        {
            var target = rule.Settings.Target ?? type.Target;
            if (type.Score is { } score && score < target)
            {
                var reasons = type.Reasons.Select(r => r.ToString()).ToList();
                causes.Add(new AlertCause(type.Type, $"type {type.Type}",
                    $"{type.Type} health {Percent(score)} < {Percent(target)}" + (reasons.Count > 0 ? ": " + string.Join(", ", reasons.Take(SummaryReasons)) : ""),
                    string.Create(CultureInfo.InvariantCulture, $"{type.Healthy} of {type.Records} {type.Type} records are complete and connected; ")
                        + (reasons.Count > 0 ? string.Join("; ", reasons) : "no single field or system stands out")));
            }
        }

        if (rule.Types is null && report.Score is { } overall && overall < (rule.Settings.Target ?? report.Target))
        {
            var target = rule.Settings.Target ?? report.Target;
            var worst = report.Types.Where(t => t.Records > t.Healthy).OrderByDescending(t => t.Records - t.Healthy).ThenBy(t => t.Type, StringComparer.Ordinal)
                .Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Type} {t.Records - t.Healthy} of {t.Records} unhealthy")).ToList();
            causes.Add(new AlertCause(DataHealthReport.Overall, "all types",
                $"overall health {Percent(overall)} < {Percent(target)}" + (worst.Count > 0 ? ": " + string.Join(", ", worst.Take(SummaryReasons)) : ""),
                string.Create(CultureInfo.InvariantCulture, $"{report.Healthy} of {report.Records} records are complete and connected; ") + string.Join("; ", worst)));
        }

        return causes;
    }

    /// <summary>A share as a percentage with up to two decimals: 0.912 → 91.2%.</summary>
    public static string Percent(double share) => (share * 100).ToString("0.##", CultureInfo.InvariantCulture) + "%";
}
