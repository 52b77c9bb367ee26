using System.CommandLine;
using System.Globalization;
using Concord.Cli.Audit;
using Concord.Core.Audit;
using Concord.Storage.Sqlite;

namespace Concord.Cli.Commands;

/// <summary>
/// <c>concord audit</c>: the stack audit — tools, layers, spend and the quarterly review's findings — from
/// <c>concord.yaml</c> and the traffic the hub's store has kept.
/// </summary>
internal static class AuditCommand
{
    /// <summary>Dead deliveries and failed attempts are counted over this window.</summary>
    private static readonly TimeSpan FailureWindow = TimeSpan.FromDays(7);

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
            var traffic = new Dictionary<string, SystemTraffic>(StringComparer.Ordinal);
            if (File.Exists(path))
            {
                await using var store = new SqliteHubStore(path);
                await store.InitializeAsync(ct);
                foreach (var a in await store.GetSystemActivityAsync(at - FailureWindow, ct))
                {
                    traffic[a.System] = new SystemTraffic(a.LastInboundAt, a.LastDeliveredAt, (int)a.DeadSince, (int)a.FailedSince);
                }

                await AddTrafficHistoryAsync(store, traffic, at, ct);
            }

            var report = StackAudit.Run(loaded, traffic, at);
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

    /// <summary>
    /// The log is pruned after <c>hub.log_retention</c> (30 days by default), the hourly traffic history much later:
    /// a system last heard from 30 to 90 days ago is only found there, and is not silent yet.
    /// </summary>
    private static async Task AddTrafficHistoryAsync(SqliteHubStore store, Dictionary<string, SystemTraffic> traffic, DateTimeOffset at, CancellationToken ct)
    {
        const string Prefix = "system:";
        foreach (var hour in await store.GetTrafficAsync(at - StackAudit.SilentAfter, at, ct))
        {
            if (!hour.Subject.StartsWith(Prefix, StringComparison.Ordinal))
            {
                continue;
            }

            var system = hour.Subject[Prefix.Length..];
            var seen = traffic.GetValueOrDefault(system) ?? SystemTraffic.None;

            // Within an hour the history does not say when: its start is the earliest the traffic can have been.
            var inbound = hour.Inbound > 0 && (seen.LastInbound is not { } i || i < hour.Hour) ? hour.Hour : seen.LastInbound;
            var outbound = hour.Outbound > hour.Failed && (seen.LastOutbound is not { } o || o < hour.Hour) ? hour.Hour : seen.LastOutbound;
            traffic[system] = seen with { LastInbound = inbound, LastOutbound = outbound };
        }
    }
}
