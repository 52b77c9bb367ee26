using System.Globalization;
using Concord.Core.Alerts;
using Concord.Core.Configuration;
using Concord.Engine.Alerts;
using Concord.Engine.Storage;

namespace Concord.Engine.Alerts.Signals;

/// <summary>
/// <c>silence</c>: a system whose inbound volume, or a flow whose runs, fell far below what the same hours of the
/// week usually bring. Over the last <c>window</c> (default 3 h) the observed count is compared with the expected
/// one (<see cref="HourOfWeekBaseline"/>, per hour, weighted by how much of the hour the window covers); a cause
/// when at least <c>min_expected</c> (default 10) were expected and fewer than <c>below</c> (default 20%) of them came.
/// A system or flow without <see cref="HourOfWeekBaseline.MinWeeks"/> weeks of history is not judged.
/// </summary>
public sealed class SilenceSignal(HubConfig config, ITrafficStore traffic) : IAlertSignal
{
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromHours(3);

    public const double DefaultBelow = 0.2;

    public const double DefaultMinExpected = 10;

    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    public AlertRuleKind Kind => AlertRuleKind.Silence;

    public async Task<IReadOnlyList<AlertCause>> EvaluateAsync(AlertRule rule, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var window = rule.Settings.Window ?? DefaultWindow;
        var below = rule.Settings.Below ?? DefaultBelow;
        var minExpected = rule.Settings.MinExpected ?? DefaultMinExpected;
        var weeks = config.Hub.BaselineWeeks;
        var start = now - window;
        var firstSlot = HourOfWeekBaseline.HourOf(start);
        var rows = await traffic.GetTrafficAsync(firstSlot - TimeSpan.FromDays(7 * weeks), HourOfWeekBaseline.HourOf(now) + Hour, cancellationToken);

        // The volume per subject and hour: a system's accepted changes (of the types the rule covers), a flow's runs.
        var volumes = new Dictionary<string, Dictionary<DateTimeOffset, long>>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            if (Covered(rule, row) is not { } subject || row.Inbound == 0)
            {
                continue;
            }

            var hours = volumes.TryGetValue(subject, out var h) ? h : volumes[subject] = [];
            hours[row.Hour] = hours.GetValueOrDefault(row.Hour) + row.Inbound;
        }

        var causes = new List<AlertCause>();
        foreach (var (subject, hours) in volumes.OrderBy(v => v.Key, StringComparer.Ordinal))
        {
            var historyStart = hours.Keys.Min();
            double expected = 0;
            long observed = 0;
            var judged = true;
            for (var slot = firstSlot; slot < now; slot += Hour)
            {
                var covered = (Min(slot + Hour, now) - Max(slot, start)) / Hour;
                if (covered <= 0)
                {
                    continue;
                }

                if (HourOfWeekBaseline.Expected(slot, weeks, historyStart, t => hours.GetValueOrDefault(t)) is not { } e)
                {
                    judged = false;
                    break;
                }

                expected += covered * e;
                observed += hours.GetValueOrDefault(slot);
            }

            if (judged && expected >= minExpected && observed < below * expected)
            {
                causes.Add(Cause(subject, observed, expected, window, start, now));
            }
        }

        return causes;
    }

    /// <summary>The subject a row counts for under the rule (<c>stripe</c>, <c>flow:invoice_paid</c>), or null.</summary>
    private string? Covered(AlertRule rule, TrafficHour row)
    {
        if (row.Subject.StartsWith("system:", StringComparison.Ordinal))
        {
            var system = row.Subject["system:".Length..];
            return config.Systems.ContainsKey(system) && rule.CoversSystem(system) && (row.Type is null || rule.CoversType(row.Type)) ? system : null;
        }

        if (row.Subject.StartsWith("flow:", StringComparison.Ordinal))
        {
            var flow = row.Subject["flow:".Length..];
            return config.Flows.ContainsKey(flow) && rule.CoversFlow(flow) ? row.Subject : null;
        }

        return null;
    }

    /// <summary>"no stripe events for 3 h; 60 expected (20/h on Tuesdays 14:00–17:00 UTC)".</summary>
    private static AlertCause Cause(string subject, long observed, double expected, TimeSpan window, DateTimeOffset start, DateTimeOffset now)
    {
        var isFlow = subject.StartsWith("flow:", StringComparison.Ordinal);
        var name = isFlow ? subject["flow:".Length..] : subject;
        var span = Hours(window);
        var what = observed == 1 ? (isFlow ? $"run of flow {name}" : $"{name} event") : (isFlow ? $"runs of flow {name}" : $"{name} events");
        var seen = observed == 0 ? $"no {what} for {span}" : string.Create(CultureInfo.InvariantCulture, $"{observed} {what} in {span}");
        var rate = Number(expected / window.TotalHours);
        var when = start.DayOfWeek == now.DayOfWeek
            ? string.Create(CultureInfo.InvariantCulture, $"{start.DayOfWeek}s {start:HH:mm}–{now:HH:mm} UTC")
            : string.Create(CultureInfo.InvariantCulture, $"{start.DayOfWeek}s {start:HH:mm} – {now.DayOfWeek}s {now:HH:mm} UTC");
        var summary = $"{seen}; {Number(expected)} expected ({rate}/h on {when})";
        return new AlertCause(subject, isFlow ? $"flow {name}" : $"system {name}", summary,
            string.Create(CultureInfo.InvariantCulture, $"{observed} seen against {expected:0.#} expected from the same hours of the previous weeks (median per hour)"));
    }

    private static string Hours(TimeSpan window) =>
        window.TotalHours >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{window.TotalHours:0.#} h") : string.Create(CultureInfo.InvariantCulture, $"{window.TotalMinutes:0} min");

    private static string Number(double value) =>
        value >= 10 ? Math.Round(value).ToString("0", CultureInfo.InvariantCulture) : value.ToString("0.#", CultureInfo.InvariantCulture);

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
