using System.Globalization;
using System.Text.RegularExpressions;

namespace Concord.Core.Flows.Text;

/// <summary>
/// Reads the date expressions of "due …" and "dated …" against a reference date: ISO dates,
/// month names, day/month numbers, weekdays, "in 14 days", "end of month", "tomorrow".
/// </summary>
internal static class DateText
{
    private const string Months = "jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?";
    private const string Weekdays = "monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues?|wed|thu(?:rs?)?|fri|sat|sun";

    /// <summary>One date expression; the groups say which form matched.</summary>
    internal const string Pattern =
        @"(?:(?<iy>\d{4})-(?<im>\d{1,2})-(?<id>\d{1,2})" +
        @"|(?<sa>\d{1,2})[/.](?<sb>\d{1,2})(?:[/.](?<sy>\d{4}|\d{2}))?" +
        @"|(?<mn>" + Months + @")\.?\s+(?<md>\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(?<my>\d{4}))?" +
        @"|(?<dd>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(?<dm>" + Months + @")\.?(?:,?\s+(?<dy>\d{4}))?" +
        @"|(?:in|within)\s+(?<n>\d{1,4})\s+(?<unit>days?|weeks?|months?)" +
        @"|(?<next>next\s+)?(?<wd>" + Weekdays + @")" +
        @"|(?<eom>end\s+of\s+(?:the\s+)?(?<eonext>next\s+)?month)" +
        @"|(?<tomorrow>tomorrow)|(?<today>today|(?:on|upon)\s+receipt))(?![\p{L}\d])";

    /// <summary>
    /// The date a match of <see cref="Pattern"/> names, seen from <paramref name="reference"/>; null with a
    /// reason when it names none. A day and month without a year is the next one on or after the
    /// reference when <paramref name="forward"/> (a due date), else in the reference's year (an issue date).
    /// </summary>
    public static DateOnly? Resolve(Match m, DateOnly reference, bool forward, out string? problem)
    {
        problem = null;
        DateOnly? date = null;
        if (m.Groups["iy"].Success)
        {
            date = Make(Int(m, "iy"), Int(m, "im"), Int(m, "id"));
        }
        else if (m.Groups["sa"].Success)
        {
            // Day first, as most of the world writes it; "12/31" can only be month first.
            var (a, b) = (Int(m, "sa"), Int(m, "sb"));
            var (day, month) = a <= 12 && b > 12 ? (b, a) : (a, b);
            date = Year(m, "sy", reference, forward, month, day);
        }
        else if (m.Groups["mn"].Success)
        {
            date = Year(m, "my", reference, forward, Month(m.Groups["mn"].Value), Int(m, "md"));
        }
        else if (m.Groups["dm"].Success)
        {
            date = Year(m, "dy", reference, forward, Month(m.Groups["dm"].Value), Int(m, "dd"));
        }
        else if (m.Groups["n"].Success)
        {
            var n = Int(m, "n");
            var unit = m.Groups["unit"].Value.ToLowerInvariant();
            date = unit.StartsWith("month", StringComparison.Ordinal) ? AddMonths(reference, n) : AddDays(reference, unit.StartsWith("week", StringComparison.Ordinal) ? n * 7 : n);
        }
        else if (m.Groups["wd"].Success)
        {
            var target = Weekday(m.Groups["wd"].Value);
            var ahead = ((int)target - (int)reference.DayOfWeek + 7) % 7;
            date = AddDays(reference, ahead == 0 ? 7 : ahead);
        }
        else if (m.Groups["eom"].Success)
        {
            date = AddMonths(reference, m.Groups["eonext"].Success ? 1 : 0) is { } month
                ? new DateOnly(month.Year, month.Month, DateTime.DaysInMonth(month.Year, month.Month))
                : null;
        }
        else if (m.Groups["tomorrow"].Success)
        {
            date = AddDays(reference, 1);
        }
        else if (m.Groups["today"].Success)
        {
            date = reference;
        }

        if (date is null)
        {
            problem = $"'{m.Value.Trim()}' is not a date in the calendar";
        }

        return date;
    }

    private static DateOnly? Year(Match m, string group, DateOnly reference, bool forward, int month, int day)
    {
        if (m.Groups[group].Success)
        {
            var y = Int(m, group);
            return Make(y < 100 ? 2000 + y : y, month, day);
        }

        var thisYear = Make(reference.Year, month, day);
        if (thisYear is { } d && (d >= reference || !forward))
        {
            return d;
        }

        // 29 February without a year is the next one that exists.
        for (var y = reference.Year + 1; y <= reference.Year + 8 && y <= 9999; y++)
        {
            if (Make(y, month, day) is { } next)
            {
                return next;
            }
        }

        return null;
    }

    private static DateOnly? Make(int year, int month, int day) =>
        year is >= 1 and <= 9999 && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month)
            ? new DateOnly(year, month, day)
            : null;

    private static int Int(Match m, string group) =>
        int.TryParse(m.Groups[group].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;

    private static int Month(string name) =>
        name.ToLowerInvariant()[..3] switch
        {
            "jan" => 1, "feb" => 2, "mar" => 3, "apr" => 4, "may" => 5, "jun" => 6,
            "jul" => 7, "aug" => 8, "sep" => 9, "oct" => 10, "nov" => 11, _ => 12,
        };

    private static DayOfWeek Weekday(string name) =>
        name.ToLowerInvariant()[..3] switch
        {
            "mon" => DayOfWeek.Monday, "tue" => DayOfWeek.Tuesday, "wed" => DayOfWeek.Wednesday, "thu" => DayOfWeek.Thursday,
            "fri" => DayOfWeek.Friday, "sat" => DayOfWeek.Saturday, _ => DayOfWeek.Sunday,
        };

    /// <summary>Days later, or null past the end of the calendar (a clock set to year 9999 must not throw).</summary>
    internal static DateOnly? AddDays(DateOnly date, int days) =>
        (long)date.DayNumber + days <= DateOnly.MaxValue.DayNumber ? date.AddDays(days) : null;

    private static DateOnly? AddMonths(DateOnly date, int months) =>
        date.Year + (months / 12) + 1 <= 9999 ? date.AddMonths(months) : null;
}
