using System.CommandLine;
using System.Globalization;
using Concord.Cli.Audit;
using Concord.Core.Audit;
using Concord.Engine.Audit;
using Concord.Storage.Sqlite;

namespace Concord.Cli.Commands;

/// <summary>
/// <c>concord audit</c>: the stack audit — tools, layers, spend and the quarterly review's findings — from
/// <c>concord.yaml</c> and the traffic the hub's store has kept.
/// </summary>
internal static class AuditCommand
{
    public static Command Create()
    {
        var config = CommonOptions.Config();
        var output = new Option<FileInfo?>("--out") { Description = "Write the Markdown report to this file instead of the console" };
        var html = new Option<FileInfo?>("--html") { Description = "Also write the report as a self-contained HTML page" };
        var now = new Option<string?>("--now") { Description = "Audit as of this ISO 8601 time instead of now (for reproducible reports)" };
        var command = new Command("audit", "Audit the stack: each tool's layer and cost, the total spend, unused, overlapping, silent and broken integrations, and the owner per data type")
        {
            config, output, html, now,
        };
        command.SetAction(async (result, ct) =>
        {
            var at = DateTimeOffset.UtcNow;
            if (result.GetValue(now) is { } text && !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out at))
            {
                Console.Error.WriteLine($"--now: '{text}' is not an ISO 8601 time such as 2026-06-30T12:00:00Z");
                return 2;
            }

            var file = result.GetValue(config)!;
            var loaded = CommonOptions.LoadOrReport(file, checkEnvironment: false, Console.Error);
            if (loaded is null)
            {
                return 1;
            }

            var path = Path.IsPathRooted(loaded.Hub.Data) ? loaded.Hub.Data : Path.Combine(file.DirectoryName!, loaded.Hub.Data);
            AuditReport report;
            if (File.Exists(path))
            {
                await using var store = new SqliteHubStore(path);
                await store.InitializeAsync(ct);
                report = await AuditTraffic.AuditAsync(loaded, store, at, ct);
            }
            else
            {
                report = StackAudit.Run(loaded, new Dictionary<string, SystemTraffic>(StringComparer.Ordinal), at);
            }

            var markdown = AuditMarkdown.Render(report);
            if (result.GetValue(output) is { } md)
            {
                await File.WriteAllTextAsync(md.FullName, markdown, ct);
            }
            else
            {
                Console.Out.Write(markdown);
            }

            if (result.GetValue(html) is { } page)
            {
                await File.WriteAllTextAsync(page.FullName, AuditHtml.Render(report), ct);
            }

            return 0;
        });
        return command;
    }
}
