using System.Globalization;
using Concord.Core.Alerts;
using Concord.Core.Configuration;
using Concord.Engine.Storage;

namespace Concord.Engine.Alerts.Signals;

/// <summary>
/// <c>error_rate</c>: per system, failed delivery attempts over attempts in the last <c>window</c>;
/// per flow, failed runs over finished runs. A cause when the share is above <c>above</c> and there
/// were at least <c>min_count</c> attempts (or runs): two failures out of three say little.
/// A rule with <c>flows:</c> and no <c>systems:</c> looks at flows only, and the other way round.
/// </summary>
public sealed class ErrorRateSignal(IAlertFigureStore store) : IAlertSignal
{
    public AlertRuleKind Kind => AlertRuleKind.ErrorRate;

    public async Task<IReadOnlyList<AlertCause>> EvaluateAsync(AlertRule rule, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var settings = AlertRuleKinds.Effective(rule);
        var window = settings.Window!.Value;
        var above = settings.Above!.Value;
        var minCount = settings.MinCount!.Value;
        var since = now - window;
        var causes = new List<AlertCause>();
        if (rule.Systems is not null || rule.Flows is null)
        {
            foreach (var s in await store.GetAttemptFailuresAsync(since, cancellationToken))
            {
                if (rule.CoversSystem(s.Subject) && Breaches(s, above, minCount))
                {
                    causes.Add(new AlertCause(s.Subject, $"system {s.Subject}",
                        Summary(s, "delivery attempts", window, above), s.LatestError is { } e ? $"Latest failure: {e}" : null));
                }
            }
        }

        if (rule.Flows is not null || rule.Systems is null)
        {
            foreach (var f in await store.GetRunFailuresAsync(since, cancellationToken))
            {
                if (rule.CoversFlow(f.Subject) && Breaches(f, above, minCount))
                {
                    causes.Add(new AlertCause($"flow:{f.Subject}", $"flow {f.Subject}",
                        Summary(f, "runs", window, above), f.LatestError is { } e ? $"Latest failure: {e}" : null));
                }
            }
        }

        return causes;
    }

    private static bool Breaches(FailureCount count, double above, int minCount) =>
        count.Total >= minCount && count.Total > 0 && (double)count.Failed / count.Total > above;

    private static string Summary(FailureCount c, string what, TimeSpan window, double above) => string.Create(CultureInfo.InvariantCulture,
        $"{c.Failed} of {c.Total} {what} failed in the last {Duration.Format(window)} ({Percent((double)c.Failed / c.Total)}, above {Percent(above)})");

    internal static string Percent(double share) => (share * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%";
}
