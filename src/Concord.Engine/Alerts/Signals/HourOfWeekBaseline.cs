namespace Concord.Engine.Alerts.Signals;

/// <summary>
/// The expected volume of one clock hour: the median of the same hour of the week (UTC, so every week is
/// exactly 168 hours back and daylight saving does not move it) over the last weeks. The median shrugs off one
/// bad week (an outage, a holiday). A week before the subject's history began is missing, not zero; fewer than
/// <see cref="MinWeeks"/> weeks give no expectation.
/// </summary>
public static class HourOfWeekBaseline
{
    /// <summary>Weeks of history needed before an hour is judged.</summary>
    public const int MinWeeks = 2;

    private static readonly TimeSpan Week = TimeSpan.FromDays(7);

    /// <summary>
    /// The expected count for <paramref name="hour"/> from the <paramref name="weeks"/> weeks before it, or null when fewer
    /// than <see cref="MinWeeks"/> of them are at or after <paramref name="historyStart"/>.
    /// </summary>
    public static double? Expected(DateTimeOffset hour, int weeks, DateTimeOffset historyStart, Func<DateTimeOffset, long> countAt)
    {
        var values = new List<long>(weeks);
        for (var k = 1; k <= weeks; k++)
        {
            var past = hour - k * Week;
            if (past >= historyStart)
            {
                values.Add(countAt(past));
            }
        }

        return values.Count < MinWeeks ? null : Median(values);
    }

    public static double Median(IReadOnlyList<long> values)
    {
        if (values.Count == 0)
        {
            throw new ArgumentException("the median of nothing", nameof(values));
        }

        var sorted = values.Order().ToList();
        var mid = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2.0;
    }

    /// <summary>The start of the clock hour (UTC) that holds <paramref name="t"/>.</summary>
    public static DateTimeOffset HourOf(DateTimeOffset t)
    {
        var utc = t.ToUniversalTime();
        return new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, TimeSpan.Zero);
    }
}
