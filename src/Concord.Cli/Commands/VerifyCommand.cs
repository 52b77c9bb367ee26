using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Concord.Connectors;
using Concord.Core.Configuration;
using Concord.Engine.Storage;
using Concord.Engine.Verification;
using Concord.Storage.Sqlite;

namespace Concord.Cli.Commands;

/// <summary>
/// <c>concord verify</c>: asks the running hub (through its database, as <c>concord flow run</c> does)
/// to check syncs against their systems now, waits for each check, and prints the drift record by record.
/// </summary>
internal static class VerifyCommand
{
    private static readonly JsonSerializerOptions Pretty = new() { WriteIndented = true };

    public static Command Create()
    {
        var config = CommonOptions.Config();
        var system = new Option<string?>("--system") { Description = "Only this system's syncs" };
        var type = new Option<string?>("--type") { Description = "Only this entity type" };
        var repair = new Option<bool>("--repair") { Description = "Re-push the owner's values for drifted records (ordinary deliveries, retried and logged)" };
        var json = new Option<bool>("--json") { Description = "Print the reports as JSON" };
        var wait = new Option<string>("--wait") { Description = "How long to wait for the running hub to finish the checks", DefaultValueFactory = _ => "10m" };
        var command = new Command("verify", "Compare what the hub sends each system with what the system holds, now, through the running hub; prints drift per record")
        {
            config, system, type, repair, json, wait,
        };
        command.SetAction(async (result, ct) =>
        {
            var file = result.GetValue(config)!;
            if (CommonOptions.LoadOrReport(file, checkEnvironment: false, Console.Error) is not { } loaded)
            {
                return 1;
            }

            if (!Duration.TryParse(result.GetValue(wait)!, out var timeout))
            {
                Console.Error.WriteLine($"--wait: '{result.GetValue(wait)}' is not a duration such as 5m");
                return 2;
            }

            var catalog = new ConnectorCatalog();
            var syncs = loaded.Syncs
                .Where(s => s.Receives && loaded.Systems.TryGetValue(s.System, out var sys) && catalog.Find(sys.Kind) is { ListsRecords: true } d && d.EntitiesOf(sys).Any(e => e.Type == s.Type))
                .Where(s => (result.GetValue(system) is not { } only || s.System == only) && (result.GetValue(type) is not { } t || s.Type == t))
                .ToList();
            if (syncs.Count == 0)
            {
                Console.Error.WriteLine("No sync to check" + (result.GetValue(system) is null && result.GetValue(type) is null ? "" : " matches --system/--type")
                    + ": a check needs a push or two-way sync to a stripe, hubspot or quickbooks system.");
                return 2;
            }

            var path = Path.IsPathRooted(loaded.Hub.Data) ? loaded.Hub.Data : Path.Combine(file.DirectoryName!, loaded.Hub.Data);
            await using var store = new SqliteHubStore(path);
            await store.InitializeAsync(ct);
            var asked = DateTimeOffset.UtcNow;
            foreach (var sync in syncs)
            {
                await store.RequestVerificationAsync(new VerificationRequest(sync.System, sync.Type, result.GetValue(repair), asked), ct);
            }

            var reports = new JsonArray();
            var exit = 0;
            var deadline = DateTimeOffset.UtcNow + timeout;
            foreach (var sync in syncs)
            {
                var run = await WaitAsync(store, sync.System, sync.Type, asked, deadline, ct);
                if (run is null)
                {
                    Console.Error.WriteLine($"{sync.System}/{sync.Type}: no running hub checked it within {Duration.Format(timeout)}; start one with `concord run` against this configuration (the request stays queued).");
                    return 3;
                }

                var drift = await store.GetDriftAsync(sync.System, sync.Type, 1000, ct);
                exit = run.Error is not null || run.Drifted > 0 ? 1 : exit;
                if (result.GetValue(json))
                {
                    reports.Add(Json(run, drift));
                }
                else
                {
                    Print(run, drift, Console.Out);
                }
            }

            if (result.GetValue(json))
            {
                Console.WriteLine(reports.ToJsonString(Pretty));
            }

            return exit;
        });
        return command;
    }

    private static async Task<SyncVerification?> WaitAsync(SqliteHubStore store, string system, string type, DateTimeOffset asked, DateTimeOffset deadline, CancellationToken ct)
    {
        while (true)
        {
            if (await store.GetVerificationAsync(system, type, ct) is { } run && run.VerifiedAt >= asked)
            {
                return run;
            }

            if (DateTimeOffset.UtcNow >= deadline)
            {
                return null;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), ct);
        }
    }

    /// <summary>The report as text: a line for the sync, then one per drifted record.</summary>
    public static void Print(SyncVerification run, IReadOnlyList<DriftRecord> drift, TextWriter output)
    {
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{run.System}/{run.Type}: verified {run.VerifiedAt:yyyy-MM-dd'T'HH:mm:ss'Z'} — hub links {run.HubCount}, {run.System} holds {run.SystemCount}, compared {run.Compared}, drifted {run.Drifted}"));
        if (run.Error is { } error)
        {
            output.WriteLine($"  FAILED: {error}");
        }

        foreach (var d in drift)
        {
            var line = $"  {DriftKinds.Name(d.Kind),-17} {d.ExternalId}{(d.RecordId is { } id ? $" ({id})" : "")}";
            if (d.Fields.Count > 0)
            {
                line += "  " + string.Join("; ", d.Fields.Select(f => $"{f.Field}: hub {Text(f.Hub)}, {run.System} {Text(f.System)}"));
            }

            output.WriteLine(line);
        }

        if (run.Drifted > drift.Count)
        {
            output.WriteLine($"  … and {run.Drifted - drift.Count} more");
        }
    }

    private static string Text(JsonNode? value) => value is null ? "(none)" : value.ToJsonString();

    private static JsonObject Json(SyncVerification run, IReadOnlyList<DriftRecord> drift) => new()
    {
        ["system"] = run.System,
        ["type"] = run.Type,
        ["verified_at"] = run.VerifiedAt,
        ["hub_count"] = run.HubCount,
        ["system_count"] = run.SystemCount,
        ["compared"] = run.Compared,
        ["drifted"] = run.Drifted,
        ["error"] = run.Error,
        ["drift"] = new JsonArray(drift.Select(d => (JsonNode)new JsonObject
        {
            ["kind"] = DriftKinds.Name(d.Kind),
            ["external_id"] = d.ExternalId,
            ["record_id"] = d.RecordId,
            ["fields"] = new JsonArray(d.Fields.Select(f => (JsonNode)new JsonObject { ["field"] = f.Field, ["hub"] = f.Hub?.DeepClone(), ["system"] = f.System?.DeepClone() }).ToArray()),
        }).ToArray()),
    };
}
