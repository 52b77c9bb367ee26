using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Concord.Core.Configuration;
using Concord.Core.Flows.Roi;
using Concord.Engine.Flows;
using Concord.Engine.Storage;
using Concord.Storage.Sqlite;

namespace Concord.Cli.Commands;

/// <summary><c>concord report roi</c>: the hours of manual work the flows saved, from the run history.</summary>
internal static class ReportCommand
{
    public static Command Create()
    {
        var command = new Command("report", "Reports from the hub's history");
        command.Subcommands.Add(Roi());
        return command;
    }

    private static Command Roi()
    {
        var config = CommonOptions.Config();
        var since = new Option<string>("--since") { Description = "The window measured, back from now (e.g. 7d, 30d); scaled to a 30-day month", DefaultValueFactory = _ => "30d" };
        var rate = new Option<decimal>("--rate") { Description = "What an hour of manual work costs", DefaultValueFactory = _ => RoiReport.DefaultHourlyRate };
        var currency = new Option<string>("--currency") { Description = "The rate's currency", DefaultValueFactory = _ => RoiReport.DefaultCurrency };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON" };
        var command = new Command("roi", "Hours of manual work saved per month, per flow (successful runs × each flow's minutes_saved)") { config, since, rate, currency, json };
        command.SetAction(async (result, ct) =>
        {
            var file = result.GetValue(config)!;
            var loaded = CommonOptions.LoadOrReport(file, checkEnvironment: false, Console.Error);
            if (loaded is null)
            {
                return 1;
            }

            if (!Duration.TryParse(result.GetValue(since)!, out var window) || window <= TimeSpan.Zero)
            {
                Console.Error.WriteLine($"--since: '{result.GetValue(since)}' is not a duration such as 7d or 30d");
                return 2;
            }

            if (result.GetValue(rate) < 0)
            {
                Console.Error.WriteLine("--rate: must not be negative");
                return 2;
            }

            var path = Path.IsPathRooted(loaded.Hub.Data) ? loaded.Hub.Data : Path.Combine(file.DirectoryName!, loaded.Hub.Data);
            await using var store = new SqliteHubStore(path);
            await store.InitializeAsync(ct);
            var report = await RoiQuery.RunAsync(store, loaded, DateTimeOffset.UtcNow, window, result.GetValue(rate), result.GetValue(currency)!, ct);
            if (result.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower }));
            }
            else
            {
                Print(report, Console.Out);
            }

            return 0;
        });
        return command;
    }

    internal static void Print(RoiReport report, TextWriter output)
    {
        var c = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(c, $"Manual work saved over the last {Duration.Format(report.Window)}, per 30-day month, at {report.Currency} {report.HourlyRate:0.00}/hour"));
        if (report.Lines.Count == 0)
        {
            output.WriteLine("No flows are configured.");
            return;
        }

        var width = Math.Max(4, report.Lines.Max(l => l.Flow.Length));
        output.WriteLine($"{"flow".PadRight(width)}  {"runs",8}  {"min/run",7}  {"hours/month",11}  {"value/month",14}");
        foreach (var line in report.Lines)
        {
            var minutes = line.MinutesPerRun is { } m ? m.ToString("0.#", c) : "-";
            output.WriteLine(string.Create(c, $"{line.Flow.PadRight(width)}  {line.Runs,8}  {minutes,7}  {line.HoursPerMonth,11:0.0}  {report.Currency + " " + line.ValuePerMonth.ToString("#,0.00", c),14}"));
        }

        output.WriteLine(string.Create(c, $"{"total".PadRight(width)}  {report.TotalRuns,8}  {"",7}  {report.TotalHoursPerMonth,11:0.0}  {report.Currency + " " + report.TotalValuePerMonth.ToString("#,0.00", c),14}"));
        foreach (var flow in report.Unpriced)
        {
            output.WriteLine($"note: flow '{flow}' ran but declares no minutes_saved; its runs are not counted");
        }
    }
}
