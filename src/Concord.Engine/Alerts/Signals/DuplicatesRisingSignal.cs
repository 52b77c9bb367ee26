using System.Globalization;
using Concord.Core.Alerts;
using Concord.Core.Configuration;
using Concord.Engine.Storage;

namespace Concord.Engine.Alerts.Signals;

/// <summary>
/// <c>duplicates_rising</c>: suspected duplicates (<c>possible-duplicate</c> and <c>duplicate-in-system</c>
/// findings) raised in the last <c>window</c>, per type, against the average per window over the seven
/// windows before. A cause when the count is above <c>above</c> times that average and at least
/// <c>min_count</c>: a bad import or a form that stopped matching shows here before the review queue
/// overflows. It clears when the rate is back to usual.
/// </summary>
public sealed class DuplicatesRisingSignal(IAlertFigureStore store) : IAlertSignal
{
    /// <summary>The finding kinds that say "these look like the same thing".</summary>
    public static readonly string[] Kinds = ["possible-duplicate", "duplicate-in-system"];

    /// <summary>Windows before the current one that make the usual rate.</summary>
    public const int History = 7;

    public AlertRuleKind Kind => AlertRuleKind.DuplicatesRising;

    public async Task<IReadOnlyList<AlertCause>> EvaluateAsync(AlertRule rule, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var settings = AlertRuleKinds.Effective(rule);
        var window = settings.Window!.Value;
        var factor = settings.Above!.Value;
        var minCount = settings.MinCount!.Value;
        var start = now - window;
        var raised = await store.GetFindingsRaisedAsync(Kinds, now - window * (History + 1), cancellationToken);
        var causes = new List<AlertCause>();
        foreach (var byType in raised.Where(f => rule.CoversType(f.Type)).GroupBy(f => f.Type).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var recent = byType.Count(f => f.RaisedAt >= start);
            var usual = byType.Count(f => f.RaisedAt < start) / (double)History;
            if (recent >= minCount && recent > factor * usual)
            {
                var usualText = usual.ToString("0.#", CultureInfo.InvariantCulture);
                causes.Add(new AlertCause(byType.Key, $"type {byType.Key}",
                    string.Create(CultureInfo.InvariantCulture,
                        $"{recent} suspected duplicate {byType.Key} records in the last {Duration.Format(window)}; usually {usualText} per {Duration.Format(window)} (alert above {factor:0.##}× and at least {minCount})"),
                    $"Review them with GET /api/v1/review?type={byType.Key}: a bad import or a source that stopped sending its ids often shows up here first."));
            }
        }

        return causes;
    }
}
