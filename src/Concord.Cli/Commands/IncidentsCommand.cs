using System.CommandLine;
using System.Globalization;
using Concord.Engine.Alerts;
using Concord.Engine.Storage;

namespace Concord.Cli.Commands;

/// <summary>
/// <c>concord incidents</c>: the incidents the alert rules opened, read from the hub's database like
/// <c>concord flow runs</c>, so it works whether or not the hub is running.
/// </summary>
internal static class IncidentsCommand
{
    public static Command Create()
    {
        var config = CommonOptions.Config();
        var all = new Option<bool>("--all") { Description = "Resolved incidents too (by default only open and acknowledged ones)" };
        var limit = new Option<int>("--limit") { Description = "At most this many, newest first", DefaultValueFactory = _ => 50 };
        var command = new Command("incidents", "The incidents the alert rules opened, newest first: unresolved ones, or --all") { config, all, limit };
        command.SetAction(async (result, ct) =>
        {
            if (CommonOptions.LoadOrReport(result.GetValue(config)!, checkEnvironment: false, Console.Error) is not { } loaded)
            {
                return 1;
            }

            await using var hub = await OfflineHub.OpenAsync(loaded, result.GetValue(config)!, ct);
            var max = Math.Clamp(result.GetValue(limit), 1, 1000);
            var incidents = result.GetValue(all)
                ? await hub.Store.QueryIncidentsAsync(new IncidentQuery(Limit: max), ct)
                : (await hub.Store.GetUnresolvedIncidentsAsync(ct)).OrderByDescending(i => i.OpenedAt).Take(max).ToList();
            foreach (var incident in incidents)
            {
                Console.WriteLine(Line(incident));
            }

            if (incidents.Count == 0)
            {
                Console.WriteLine(result.GetValue(all) ? "No incidents." : "No open incidents.");
            }

            return 0;
        });
        return command;
    }

    /// <summary>One line: when, status, rule and subject, what, and who acknowledged it.</summary>
    public static string Line(Incident i)
    {
        var status = i.Status switch
        {
            IncidentStatus.Resolved => $"resolved after {AlertMessages.Lasted(i)}",
            IncidentStatus.Acknowledged => $"acknowledged by {i.AcknowledgedBy}",
            _ => "open",
        };
        return string.Create(CultureInfo.InvariantCulture,
            $"{i.OpenedAt.UtcDateTime:yyyy-MM-dd HH:mm}  {i.Id}  {status}  {i.Rule} on {i.Subject}: {i.Summary}");
    }
}
