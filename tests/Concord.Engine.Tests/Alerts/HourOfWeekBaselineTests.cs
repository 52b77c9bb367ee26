using Concord.Engine.Alerts.Signals;
using Concord.Engine.Alerts;

namespace Concord.Engine.Tests.Alerts;

public sealed class HourOfWeekBaselineTests
{
    private static readonly DateTimeOffset TuesdayTwoPm = new(2026, 11, 24, 14, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Median_OfAnOddAndAnEvenNumberOfWeeks()
    {
        Assert.Equal(20, HourOfWeekBaseline.Median([20, 0, 22]));
        Assert.Equal(21, HourOfWeekBaseline.Median([20, 22]));
        Assert.Equal(19, HourOfWeekBaseline.Median([0, 18, 20, 25]));
    }

    [Fact]
    public void Expected_ReadsTheSameHourOfEachPastWeek_AndShrugsOffOneBadWeek()
    {
        var asked = new List<DateTimeOffset>();
        var counts = new Dictionary<DateTimeOffset, long>
        {
            [TuesdayTwoPm.AddDays(-7)] = 20,
            [TuesdayTwoPm.AddDays(-14)] = 0, // an outage that week
            [TuesdayTwoPm.AddDays(-21)] = 21,
            [TuesdayTwoPm.AddDays(-28)] = 19,
            [TuesdayTwoPm.AddDays(-1)] = 500, // Monday: another hour of the week
        };

        var expected = HourOfWeekBaseline.Expected(TuesdayTwoPm, 4, DateTimeOffset.MinValue, t =>
        {
            asked.Add(t);
            return counts.GetValueOrDefault(t);
        });

        Assert.Equal(19.5, expected);
        Assert.Equal([TuesdayTwoPm.AddDays(-7), TuesdayTwoPm.AddDays(-14), TuesdayTwoPm.AddDays(-21), TuesdayTwoPm.AddDays(-28)], asked);
    }

    [Fact]
    public void Expected_WeeksBeforeTheHistoryBegan_AreMissingNotZero_AndTwoWeeksAreNeeded()
    {
        long Twenty(DateTimeOffset _) => 20;

        Assert.Null(HourOfWeekBaseline.Expected(TuesdayTwoPm, 4, TuesdayTwoPm.AddDays(-8), Twenty));
        Assert.Equal(20, HourOfWeekBaseline.Expected(TuesdayTwoPm, 4, TuesdayTwoPm.AddDays(-14), Twenty));
        Assert.Null(HourOfWeekBaseline.Expected(TuesdayTwoPm, 4, TuesdayTwoPm, Twenty));
    }

    [Fact]
    public void Expected_InUtc_IsExactlyOneWeekBack_AcrossADaylightSavingChange()
    {
        // Europe moved its clocks on Sunday 29 March 2026; in UTC a week is still 168 hours.
        var afterTheChange = new DateTimeOffset(2026, 3, 31, 14, 0, 0, TimeSpan.Zero);
        var asked = new List<DateTimeOffset>();

        HourOfWeekBaseline.Expected(afterTheChange, 2, DateTimeOffset.MinValue, t =>
        {
            asked.Add(t);
            return 1;
        });

        Assert.Equal([new DateTimeOffset(2026, 3, 24, 14, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 3, 17, 14, 0, 0, TimeSpan.Zero)], asked);
        Assert.All(asked, t => Assert.Equal(TimeSpan.Zero, (afterTheChange - t).Subtract(TimeSpan.FromHours(168 * (asked.IndexOf(t) + 1)))));
    }

    [Fact]
    public void HourOf_IsTheStartOfTheUtcHour()
    {
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 13, 0, 0, TimeSpan.Zero), HourOfWeekBaseline.HourOf(new DateTimeOffset(2026, 11, 24, 14, 59, 0, TimeSpan.FromHours(1))));
    }
}
