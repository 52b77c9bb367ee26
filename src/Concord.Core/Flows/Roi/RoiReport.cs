using System.Text.Json.Serialization;
using Concord.Core.Flows.Model;

namespace Concord.Core.Flows.Roi;

/// <summary>One flow's line in the ROI report.</summary>
/// <param name="Flow">The flow's name.</param>
/// <param name="MinutesPerRun">What the configuration says one run saves; null when it says nothing.</param>
/// <param name="Runs">Successful runs in the window.</param>
/// <param name="HoursPerMonth">Hours saved, scaled to a 30-day month.</param>
/// <param name="ValuePerMonth">Those hours at the hourly rate.</param>
public sealed record RoiLine(string Flow, double? MinutesPerRun, long Runs, double HoursPerMonth, decimal ValuePerMonth);

/// <summary>
/// Hours of manual work the flows saved: successful runs × the minutes each flow declares one run saves,
/// scaled from the window measured to a 30-day month. Only successful runs count: a failed or skipped run
/// saved nobody any work.
/// </summary>
public sealed record RoiReport([property: JsonIgnore] TimeSpan Window, decimal HourlyRate, string Currency, IReadOnlyList<RoiLine> Lines)
{
    public static readonly TimeSpan Month = TimeSpan.FromDays(30);

    /// <summary>The window in days, as the API shows it (a span would read "30.00:00:00").</summary>
    [JsonPropertyName("window_days")]
    public double WindowDays => Window.TotalDays;

    /// <summary>The middle of the €20–25 an hour small businesses pay for manual data entry.</summary>
    public const decimal DefaultHourlyRate = 22.50m;

    public const string DefaultCurrency = "EUR";

    /// <summary>The lines' hours added up; rounded again, since adding rounded doubles leaves tails (0.22000000000000003).</summary>
    public double TotalHoursPerMonth => Math.Round(Lines.Sum(l => l.HoursPerMonth), 2, MidpointRounding.AwayFromZero);

    public decimal TotalValuePerMonth => Lines.Sum(l => l.ValuePerMonth);

    public long TotalRuns => Lines.Sum(l => l.Runs);

    /// <summary>Flows that ran but declare no <c>minutes_saved</c>: their work is not counted.</summary>
    public IEnumerable<string> Unpriced => Lines.Where(l => l.MinutesPerRun is null && l.Runs > 0).Select(l => l.Flow);

    /// <summary>Builds the report from the configured flows and their successful runs in <paramref name="window"/>.</summary>
    public static RoiReport Compute(IEnumerable<FlowConfig> flows, IReadOnlyDictionary<string, long> succeededRuns, TimeSpan window, decimal hourlyRate, string currency)
    {
        if (window <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(window), "the window must be positive");
        }

        var scale = Month / window;
        var lines = flows
            .Select(flow =>
            {
                var runs = succeededRuns.GetValueOrDefault(flow.Name);
                var hours = flow.MinutesSaved is { } minutes ? runs * minutes / 60.0 * scale : 0;
                // Money is rounded as the money filter rounds it: halves away from zero (5.625 is 5.63, not 5.62).
                return new RoiLine(flow.Name, flow.MinutesSaved, runs, Math.Round(hours, 2, MidpointRounding.AwayFromZero),
                    Math.Round((decimal)hours * hourlyRate, 2, MidpointRounding.AwayFromZero));
            })
            .OrderByDescending(l => l.HoursPerMonth)
            .ThenBy(l => l.Flow, StringComparer.Ordinal)
            .ToList();
        return new RoiReport(window, hourlyRate, currency, lines);
    }
}
