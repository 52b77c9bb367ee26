using Concord.Core.Configuration;
using Concord.Core.Flows.Model;
using Concord.Core.Flows.Roi;

namespace Concord.Core.Tests.Flows;

public sealed class RoiReportTests
{
    private static FlowConfig Flow(string name, double? minutes) =>
        new() { Name = name, MinutesSaved = minutes, Trigger = new ManualTrigger(SourceSpan.None) };

    [Fact]
    public void HoursAreRunsTimesMinutes_ScaledFromTheWindowToAMonth_AndPricedAtTheRate()
    {
        var report = RoiReport.Compute(
            [Flow("payments", 6), Flow("deals", 15), Flow("unpriced", null), Flow("idle", 3)],
            new Dictionary<string, long> { ["payments"] = 100, ["deals"] = 10, ["unpriced"] = 7 },
            TimeSpan.FromDays(15), 22.50m, "EUR");

        // 100 runs × 6 min = 10 h in 15 days → 20 h a month; 10 × 15 min = 2.5 h → 5 h a month.
        var payments = report.Lines.Single(l => l.Flow == "payments");
        Assert.Equal(20.0, payments.HoursPerMonth);
        Assert.Equal(450.00m, payments.ValuePerMonth);
        Assert.Equal(5.0, report.Lines.Single(l => l.Flow == "deals").HoursPerMonth);
        Assert.Equal(25.0, report.TotalHoursPerMonth);
        Assert.Equal(562.50m, report.TotalValuePerMonth);
        Assert.Equal(117, report.TotalRuns);
        Assert.Equal(["unpriced"], report.Unpriced);
        Assert.Equal("payments", report.Lines[0].Flow);
        Assert.Equal(0, report.Lines.Single(l => l.Flow == "idle").HoursPerMonth);
    }

    [Fact]
    public void AHalfCent_IsRoundedAwayFromZero()
    {
        // 10 runs × 1.5 min = 0.25 h at 22.50 an hour: 5.625.
        var report = RoiReport.Compute([Flow("tag", 1.5)], new Dictionary<string, long> { ["tag"] = 10 }, RoiReport.Month, 22.50m, "EUR");

        Assert.Equal(5.63m, report.Lines.Single().ValuePerMonth);
    }

    [Fact]
    public void TheTotalHours_HaveNoFloatingPointTail()
    {
        // 0.1 + 0.07 + 0.05 is 0.22000000000000003 in doubles.
        var report = RoiReport.Compute([Flow("a", 2), Flow("b", 4), Flow("c", 3)],
            new Dictionary<string, long> { ["a"] = 3, ["b"] = 1, ["c"] = 1 }, RoiReport.Month, 22.50m, "EUR");

        Assert.Equal([0.1, 0.07, 0.05], report.Lines.Select(l => l.HoursPerMonth));
        Assert.Equal("0.22", report.TotalHoursPerMonth.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(30, report.WindowDays);
    }

    [Fact]
    public void AnEmptyWindowIsRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => RoiReport.Compute([], new Dictionary<string, long>(), TimeSpan.Zero, 20m, "EUR"));
}
