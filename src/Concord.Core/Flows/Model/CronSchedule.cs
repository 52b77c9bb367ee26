namespace Concord.Core.Flows.Model;

/// <summary>
/// A five-field cron expression (minute hour day-of-month month day-of-week), evaluated in a time zone.
/// Fields take <c>*</c>, values, ranges (<c>1-5</c>), steps (<c>*/15</c>, <c>1-5/2</c>) and lists of these;
/// months and weekdays also take names (<c>JAN</c>, <c>MON</c>), and 0 and 7 are both Sunday. When both
/// day fields are restricted (neither is <c>*</c>), a day matches when either matches, as in every cron.
/// </summary>
/// <remarks>
/// Times are wall-clock times in the zone. A time the clock skips when it springs forward fires once, at the
/// first minute that exists after it. A time the clock passes twice when it falls back fires once, the first
/// time; a schedule that fires every hour (hour field <c>*</c>) fires in both passes, since it is about
/// intervals rather than a time of day.
/// </remarks>
public sealed class CronSchedule
{
    // Feb 29 on a leap year can be eight years away (2096 → 2104); beyond that a schedule never fires.
    private const int SearchYears = 9;

    private static readonly Dictionary<string, string> Macros = new(StringComparer.OrdinalIgnoreCase)
    {
        ["@yearly"] = "0 0 1 1 *",
        ["@annually"] = "0 0 1 1 *",
        ["@monthly"] = "0 0 1 * *",
        ["@weekly"] = "0 0 * * 0",
        ["@daily"] = "0 0 * * *",
        ["@midnight"] = "0 0 * * *",
        ["@hourly"] = "0 * * * *",
    };

    private readonly CronField _minutes;
    private readonly CronField _hours;
    private readonly CronField _days;
    private readonly CronField _months;
    private readonly CronField _weekdays;

    private CronSchedule(string text, CronField minutes, CronField hours, CronField days, CronField months, CronField weekdays)
    {
        Text = text;
        _minutes = minutes;
        _hours = hours;
        _days = days;
        _months = months;
        _weekdays = weekdays;
    }

    public string Text { get; }

    /// <summary>Parses <paramref name="text"/>.</summary>
    /// <exception cref="FormatException">The message names the field and what is wrong with it.</exception>
    public static CronSchedule Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var expanded = Macros.TryGetValue(text.Trim(), out var macro) ? macro : text;
        var fields = expanded.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != 5)
        {
            throw new FormatException(
                $"a schedule has 5 fields (minute hour day-of-month month day-of-week), this one has {fields.Length}: '{text}'");
        }

        var schedule = new CronSchedule(
            text.Trim(),
            CronField.Parse(fields[0], CronField.Minute),
            CronField.Parse(fields[1], CronField.Hour),
            CronField.Parse(fields[2], CronField.DayOfMonth),
            CronField.Parse(fields[3], CronField.Month),
            CronField.Parse(fields[4], CronField.DayOfWeek));
        schedule.CheckDaysExist();
        return schedule;
    }

    /// <summary>The first time strictly after <paramref name="after"/> the schedule fires, read as wall-clock time in <paramref name="zone"/>.</summary>
    public DateTimeOffset NextAfter(DateTimeOffset after, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var local = TimeZoneInfo.ConvertTime(after, zone);

        // A time read in the second pass of a fall-back may be followed by slots written earlier in the day
        // that have not had their second pass yet; start the search as far back as the clock went.
        var start = Floor(local.DateTime);
        if (zone.IsAmbiguousTime(after))
        {
            var offsets = zone.GetAmbiguousTimeOffsets(after);
            start -= offsets.Max() - offsets.Min();
        }

        var limit = local.DateTime.AddYears(SearchYears);
        DateTimeOffset? best = null;
        for (var slot = NextSlot(start, limit); slot is { } wall; slot = NextSlot(wall.AddMinutes(1), limit))
        {
            var (first, second) = Instants(wall, zone);

            // Instants of later slots are never earlier than this slot's first one.
            if (best is { } found && first >= found)
            {
                break;
            }

            if (first > after)
            {
                best = best is { } b && b < first ? b : first;
            }
            else if (second is { } again && again > after && _hours.All)
            {
                best = best is { } b && b < again ? b : again;
            }
        }

        return best ?? throw new InvalidOperationException($"the schedule '{Text}' does not fire in the {SearchYears} years after {after:O}");
    }

    public override string ToString() => Text;

    private static DateTime Floor(DateTime time) => new(time.Year, time.Month, time.Day, time.Hour, time.Minute, 0, DateTimeKind.Unspecified);

    /// <summary>
    /// The instant a wall-clock slot fires at, and for a slot the clock passes twice, the second. A slot the
    /// clock skips fires at the first minute that exists after it.
    /// </summary>
    private static (DateTimeOffset First, DateTimeOffset? Second) Instants(DateTime wall, TimeZoneInfo zone)
    {
        if (zone.IsInvalidTime(wall))
        {
            var valid = wall;
            while (zone.IsInvalidTime(valid))
            {
                valid = valid.AddMinutes(1);
            }

            return (new DateTimeOffset(valid, zone.GetUtcOffset(valid)), null);
        }

        if (zone.IsAmbiguousTime(wall))
        {
            var offsets = zone.GetAmbiguousTimeOffsets(wall);
            return (new DateTimeOffset(wall, offsets.Max()), new DateTimeOffset(wall, offsets.Min()));
        }

        return (new DateTimeOffset(wall, zone.GetUtcOffset(wall)), null);
    }

    /// <summary>The first wall-clock minute at or after <paramref name="from"/> the fields match, or null past <paramref name="limit"/>.</summary>
    private DateTime? NextSlot(DateTime from, DateTime limit)
    {
        var t = Floor(from);
        while (t <= limit)
        {
            if (!_months.Has(t.Month))
            {
                t = new DateTime(t.Year, t.Month, 1, 0, 0, 0, DateTimeKind.Unspecified).AddMonths(1);
            }
            else if (!DayMatches(t))
            {
                t = t.Date.AddDays(1);
            }
            else if (!_hours.Has(t.Hour))
            {
                t = t.Date.AddHours(t.Hour + 1);
            }
            else if (!_minutes.Has(t.Minute))
            {
                t = t.AddMinutes(1);
            }
            else
            {
                return t;
            }
        }

        return null;
    }

    private bool DayMatches(DateTime day)
    {
        var byDate = _days.Has(day.Day);
        var byWeekday = _weekdays.Has((int)day.DayOfWeek);
        return _days.Star || _weekdays.Star
            ? byDate && byWeekday
            : byDate || byWeekday;
    }

    /// <summary>A schedule on a date no chosen month has (31 in April, 30 in February) would wait for ever.</summary>
    private void CheckDaysExist()
    {
        if (!_weekdays.Star && !_days.Star)
        {
            return;
        }

        int[] longest = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
        var possible = Enumerable.Range(1, 12).Where(_months.Has).Any(month => Enumerable.Range(1, longest[month - 1]).Any(_days.Has));
        if (!possible)
        {
            throw new FormatException($"day-of-month field: no month in the month field has day {_days.Text}, so the schedule never fires");
        }
    }
}
