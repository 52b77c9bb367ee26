using System.Globalization;
using Concord.Core.Flows.Model;

namespace Concord.Core.Tests.Flows;

/// <summary>Cron schedules: the five fields, the day-field rule, and wall-clock times across daylight-saving changes.</summary>
public sealed class CronScheduleTests
{
    private static readonly TimeZoneInfo Amsterdam = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    private static DateTimeOffset At(string iso) => DateTimeOffset.Parse(iso, CultureInfo.InvariantCulture);

    /// <summary>The next <paramref name="count"/> firings after <paramref name="after"/>, as UTC ISO text.</summary>
    private static List<string> Firings(string cron, string after, int count, TimeZoneInfo? zone = null)
    {
        var schedule = CronSchedule.Parse(cron);
        var result = new List<string>();
        var t = At(after);
        for (var i = 0; i < count; i++)
        {
            t = schedule.NextAfter(t, zone ?? TimeZoneInfo.Utc);
            result.Add(t.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm'Z'", CultureInfo.InvariantCulture));
        }

        return result;
    }

    [Fact]
    public void Steps_lists_and_ranges_select_the_minutes_and_hours()
    {
        Assert.Equal(["2026-03-02T10:15Z", "2026-03-02T10:30Z", "2026-03-02T10:45Z", "2026-03-02T11:00Z"], Firings("*/15 * * * *", "2026-03-02T10:07:59Z", 4));
        Assert.Equal(["2026-03-02T10:00Z", "2026-03-02T10:15Z", "2026-03-02T12:00Z"], Firings("0,15 10-12/2 * * *", "2026-03-02T09:00Z", 3));
        Assert.Equal(["2026-03-02T10:05Z", "2026-03-02T10:25Z", "2026-03-02T10:45Z", "2026-03-02T11:05Z"], Firings("5/20 * * * *", "2026-03-02T10:00Z", 4));
    }

    [Fact]
    public void Next_is_strictly_after_the_given_time()
    {
        Assert.Equal(["2026-03-02T10:16Z"], Firings("* * * * *", "2026-03-02T10:15:00Z", 1));
        Assert.Equal(["2026-03-02T10:16Z"], Firings("* * * * *", "2026-03-02T10:15:30Z", 1));
    }

    [Fact]
    public void Weekday_and_month_names_are_read_in_any_case()
    {
        // 2026-03-13 is a Friday.
        Assert.Equal(["2026-03-16T09:00Z", "2026-03-17T09:00Z"], Firings("0 9 * * MON-fri", "2026-03-13T09:00Z", 2));
        Assert.Equal(["2026-07-01T12:00Z", "2027-01-01T12:00Z"], Firings("0 12 1 jan,JUL *", "2026-03-01T00:00Z", 2));
    }

    [Fact]
    public void Sunday_is_both_0_and_7()
    {
        // 2026-03-15 is a Sunday.
        Assert.Equal(["2026-03-15T00:00Z", "2026-03-22T00:00Z"], Firings("0 0 * * 7", "2026-03-13T00:00Z", 2));
        Assert.Equal(["2026-03-15T00:00Z", "2026-03-22T00:00Z"], Firings("0 0 * * 0", "2026-03-13T00:00Z", 2));
        Assert.Equal(["2026-03-13T00:00Z", "2026-03-14T00:00Z", "2026-03-15T00:00Z", "2026-03-20T00:00Z"], Firings("0 0 * * 5-7", "2026-03-12T00:00Z", 4));
    }

    [Fact]
    public void With_both_day_fields_restricted_either_one_matching_is_enough()
    {
        // Fridays in March 2026: 6, 13, 20. The 10th is a Tuesday.
        Assert.Equal(["2026-03-06T00:00Z", "2026-03-10T00:00Z", "2026-03-13T00:00Z", "2026-03-20T00:00Z"], Firings("0 0 10 * FRI", "2026-03-01T00:00Z", 4));

        // With one of them '*', the other alone decides.
        Assert.Equal(["2026-03-10T00:00Z", "2026-04-10T00:00Z"], Firings("0 0 10 * *", "2026-03-01T00:00Z", 2));
        Assert.Equal(["2026-03-06T00:00Z", "2026-03-13T00:00Z"], Firings("0 0 * * FRI", "2026-03-01T00:00Z", 2));
    }

    [Fact]
    public void A_leap_day_is_found_years_ahead_and_macros_expand()
    {
        Assert.Equal(["2028-02-29T00:00Z", "2032-02-29T00:00Z"], Firings("0 0 29 2 *", "2026-01-01T00:00Z", 2));
        Assert.Equal(["2026-03-03T00:00Z"], Firings("@daily", "2026-03-02T00:00Z", 1));
        Assert.Equal(["2026-03-02T01:00Z"], Firings("@hourly", "2026-03-02T00:00Z", 1));
        Assert.Equal(["2026-03-08T00:00Z"], Firings("@weekly", "2026-03-02T00:00Z", 1));
    }

    [Fact]
    public void Amsterdam_spring_forward_fires_a_skipped_time_once_at_the_first_minute_that_exists()
    {
        // 2026-03-29: at 02:00 CET the clocks go to 03:00 CEST (01:00Z); 02:30 does not exist that day.
        Assert.Equal(["2026-03-29T01:00Z", "2026-03-30T00:30Z"], Firings("30 2 * * *", "2026-03-28T01:30Z", 2, Amsterdam));

        // Every half hour: 02:00, 02:30 and 03:00 all land on 03:00 CEST, which fires once.
        Assert.Equal(["2026-03-29T00:30Z", "2026-03-29T01:00Z", "2026-03-29T01:30Z"], Firings("*/30 * * * *", "2026-03-29T00:00Z", 3, Amsterdam));
    }

    [Fact]
    public void Amsterdam_fall_back_fires_a_time_of_day_once_and_an_interval_in_both_passes()
    {
        // 2026-10-25: at 03:00 CEST (01:00Z) the clocks go back to 02:00 CET; 02:30 happens at 00:30Z and 01:30Z.
        Assert.Equal(["2026-10-25T00:30Z", "2026-10-26T01:30Z"], Firings("30 2 * * *", "2026-10-24T12:00Z", 2, Amsterdam));
        Assert.Equal(["2026-10-26T01:30Z"], Firings("30 2 * * *", "2026-10-25T00:30Z", 1, Amsterdam));

        Assert.Equal(["2026-10-25T00:30Z", "2026-10-25T01:00Z", "2026-10-25T01:30Z", "2026-10-25T02:00Z"], Firings("*/30 * * * *", "2026-10-25T00:00Z", 4, Amsterdam));
    }

    [Fact]
    public void New_York_spring_forward_and_fall_back()
    {
        // 2026-03-08: 02:00 EST → 03:00 EDT (07:00Z).
        Assert.Equal(["2026-03-08T07:00Z", "2026-03-09T06:30Z"], Firings("30 2 * * *", "2026-03-07T12:00Z", 2, NewYork));

        // 2026-11-01: 02:00 EDT → 01:00 EST (06:00Z); 01:30 happens at 05:30Z and 06:30Z.
        Assert.Equal(["2026-11-01T05:30Z", "2026-11-02T06:30Z"], Firings("30 1 * * *", "2026-10-31T12:00Z", 2, NewYork));
    }

    [Fact]
    public void New_York_asked_during_the_repeated_hour()
    {
        // 06:10Z is 01:10 EST, the second pass: 01:30 already fired at 05:30Z.
        Assert.Equal(["2026-11-02T06:30Z"], Firings("30 1 * * *", "2026-11-01T06:10Z", 1, NewYork));

        // An every-hour schedule fires in the second pass too, including slots written before the time asked.
        Assert.Equal(["2026-11-01T06:15Z", "2026-11-01T06:45Z", "2026-11-01T07:15Z"], Firings("15,45 * * * *", "2026-11-01T06:10Z", 3, NewYork));

        // Asked in the first pass, the next slot of the first pass comes before the second pass of an earlier one.
        Assert.Equal(["2026-11-01T05:40Z", "2026-11-01T06:15Z", "2026-11-01T06:40Z"], Firings("15,40 * * * *", "2026-11-01T05:20Z", 3, NewYork));
    }

    [Theory]
    [InlineData("* * * *", "a schedule has 5 fields (minute hour day-of-month month day-of-week), this one has 4")]
    [InlineData("61 * * * *", "minute field: 61 is out of range: use 0-59")]
    [InlineData("0 24 * * *", "hour field: 24 is out of range: use 0-23")]
    [InlineData("0 0 0 * *", "day-of-month field: 0 is out of range: use 1-31")]
    [InlineData("0 0 1 13 *", "month field: 13 is out of range: use 1-12")]
    [InlineData("0 0 * * 8", "day-of-week field: 8 is out of range: use 0-7 (0 and 7 are Sunday)")]
    [InlineData("0 0 * * MUN", "day-of-week field: 'MUN' is not a number from 0 to 7 or a name (SUN–SAT)")]
    [InlineData("0 0 * JANUARY *", "month field: 'JANUARY' is not a number from 1 to 12 or a name (JAN–DEC)")]
    [InlineData("*/0 * * * *", "minute field: the step in '*/0' must be a whole number of at least 1")]
    [InlineData("5-2 * * * *", "minute field: the range '5-2' runs backwards: write the smaller value first")]
    [InlineData("1,,2 * * * *", "minute field: '1,,2' has an empty item in its list")]
    [InlineData("x * * * *", "minute field: 'x' is not a number from 0 to 59")]
    [InlineData("0 0 31 2,4 *", "day-of-month field: no month in the month field has day 31, so the schedule never fires")]
    public void Mistakes_name_the_field_and_the_reason(string cron, string message)
    {
        var error = Assert.Throws<FormatException>(() => CronSchedule.Parse(cron));
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }
}
