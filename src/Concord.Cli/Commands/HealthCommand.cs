using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Concord.Connectors;
using Concord.Core.Configuration;
using Concord.Engine.Alerts.Signals;
using Concord.Engine.Health;
using Concord.Storage.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace Concord.Cli.Commands;

/// <summary><c>concord health</c>: the data-health report, measured from the hub's database (a running hub is not needed).</summary>
internal static class HealthCommand
{
    public static Command Create()
    {
        var config = CommonOptions.Config();
        var json = new Option<bool>("--json") { Description = "Print the report as JSON (the `data` object of GET /api/v1/health)" };
        var command = new Command("health", "Data health: completeness, connection across systems, unmatched references, duplicates, conflicts, error rates; the score per type against the target")
        {
            config, json,
        };
        command.SetAction(async (result, ct) =>
        {
            var file = result.GetValue(config)!;
            var loaded = CommonOptions.LoadOrReport(file, checkEnvironment: false, Console.Error);
            if (loaded is null)
            {
                return 1;
            }

            var path = Path.IsPathRooted(loaded.Hub.Data) ? loaded.Hub.Data : Path.Combine(file.DirectoryName!, loaded.Hub.Data);
            await using var store = new SqliteHubStore(path);
            await store.InitializeAsync(ct);
            var report = await new DataHealthMonitor(loaded, store, TimeProvider.System, NullLogger.Instance, new ConnectorCatalog()).MeasureAsync(ct);
            if (result.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower }));
            }
            else
            {
                Print(report, Console.Out);
            }

            return report.BelowTarget.Count > 0 ? 3 : 0;
        });
        return command;
    }

    internal static void Print(DataHealthReport report, TextWriter output)
    {
        var c = CultureInfo.InvariantCulture;
        static string Pct(double? share) => share is { } s ? HealthBelowSignal.Percent(s) : "-";
        output.WriteLine(string.Create(c, $"Data health at {report.At:yyyy-MM-dd HH:mm} UTC: overall {Pct(report.Score)} of {report.Records} records complete and connected (target {Pct(report.Target)})"));
        if (report.Types.Count == 0)
        {
            output.WriteLine("No entity types are configured.");
            return;
        }

        var width = Math.Max(4, report.Types.Max(t => t.Type.Length));
        output.WriteLine($"{"type".PadRight(width)}  {"records",8}  {"complete",8}  {"connected",9}  {"score",7}  {"target",6}");
        foreach (var t in report.Types)
        {
            output.WriteLine(string.Create(c,
                $"{t.Type.PadRight(width)}  {t.Records,8}  {Pct(t.Completeness),8}  {Pct(t.Connectedness),9}  {Pct(t.Score),7}  {Pct(t.Target),6}{(t.BelowTarget ? "  below target" : "")}"));
            if (t.Reasons.Count > 0)
            {
                output.WriteLine($"{"".PadRight(width)}  why: {string.Join(", ", t.Reasons)}");
            }

            var notes = new List<string>();
            notes.AddRange(t.References.Where(r => r.Unmatched > 0).Select(r => string.Create(c, $"{r.Unmatched} without a {r.Field}{(r.Dangling > 0 ? $" ({r.Dangling} naming no known {r.RefersTo})" : "")}")));
            if (t.SingleSource > 0)
            {
                notes.Add(string.Create(c, $"{t.SingleSource} in one system only"));
            }

            if (t.DuplicatesSuspected > 0 || t.DuplicatesMerged > 0)
            {
                notes.Add(string.Create(c, $"{t.DuplicatesSuspected} suspected duplicates, {t.DuplicatesMerged} merged"));
            }

            if (t.Conflicts.Count > 0)
            {
                notes.Add("conflicts: " + string.Join(", ", t.Conflicts.Take(3).Select(x => string.Create(c, $"{x.Field}@{x.System} {x.Records}"))));
            }

            if (notes.Count > 0)
            {
                output.WriteLine($"{"".PadRight(width)}  also: {string.Join("; ", notes)}");
            }
        }

        if (report.Systems.Count == 0)
        {
            return;
        }

        output.WriteLine();
        var sw = Math.Max(6, report.Systems.Max(s => s.System.Length));
        output.WriteLine($"{"system".PadRight(sw)}  {"errors (" + Duration.Format(TimeSpan.FromSeconds(report.WindowSeconds)) + ")",-18}  {"oldest pending",14}  {"last change",12}");
        foreach (var s in report.Systems)
        {
            var errors = s.Attempts == 0 ? "-" : string.Create(c, $"{Pct(s.ErrorRate)} ({s.Failed}/{s.Attempts})");
            output.WriteLine($"{s.System.PadRight(sw)}  {errors,-18}  {Ago(s.OldestPendingSeconds),14}  {(s.SinceLastChangeSeconds is { } since ? Ago(since) + " ago" : "never"),12}");
        }

        if (report.BelowTarget.Count > 0)
        {
            output.WriteLine();
            output.WriteLine($"below target: {string.Join(", ", report.BelowTarget)}");
        }
    }

    private static string Ago(double? seconds) => seconds switch
    {
        null => "-",
        < 120 => string.Create(CultureInfo.InvariantCulture, $"{seconds:0}s"),
        < 7200 => string.Create(CultureInfo.InvariantCulture, $"{seconds / 60:0}m"),
        < 172800 => string.Create(CultureInfo.InvariantCulture, $"{seconds / 3600:0}h"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{seconds / 86400:0}d"),
    };
}
