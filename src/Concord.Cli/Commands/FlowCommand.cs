using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Concord.Core.Configuration;
using Concord.Engine.Flows;
using Concord.Engine.Storage;
using Concord.Server.Api;

namespace Concord.Cli.Commands;

/// <summary>
/// <c>concord flow</c>: list flows, read their run history, start, replay and test runs. Works on the
/// database directly, like <c>concord replay</c>: a running hub picks new and replayed runs up within a second.
/// </summary>
internal static class FlowCommand
{
    private static readonly JsonSerializerOptions Pretty = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static Command Create()
    {
        var command = new Command("flow", "Flows: list them, start, test and replay runs, read the run history");
        command.Subcommands.Add(List());
        command.Subcommands.Add(Runs());
        command.Subcommands.Add(Show());
        command.Subcommands.Add(Run());
        command.Subcommands.Add(Replay());
        command.Subcommands.Add(Test());
        return command;
    }

    private static Command List()
    {
        var config = CommonOptions.Config();
        var command = new Command("list", "The configured flows, with how their runs ended over the last 30 days") { config };
        command.SetAction(async (result, ct) =>
        {
            if (Load(result, config) is not { } loaded)
            {
                return 1;
            }

            await using var hub = await OfflineHub.OpenAsync(loaded, result.GetValue(config)!, ct);
            var counts = await hub.Store.CountFlowRunsAsync(DateTimeOffset.UtcNow - TimeSpan.FromDays(30), ct);
            if (loaded.Flows.Count == 0)
            {
                Console.WriteLine("No flows are configured (docs/flows.md).");
            }

            foreach (var flow in loaded.Flows.Values)
            {
                var mine = counts.Where(c => c.Flow == flow.Name).ToList();
                var ran = mine.Count == 0 ? "no runs in 30 days" : string.Join(", ", mine.Select(c => $"{c.Count} {c.Status.ToString().ToLowerInvariant()}"));
                Console.WriteLine($"{flow.Name}{(flow.Enabled ? "" : " (paused)")}: {FlowText.Trigger(flow.Trigger)} → {string.Join(" → ", flow.Steps.Select(s => s.Id))}; {ran}");
            }

            return 0;
        });
        return command;
    }

    private static Command Runs()
    {
        var config = CommonOptions.Config();
        var flow = new Option<string?>("--flow") { Description = "Only this flow's runs" };
        var record = new Option<string?>("--record") { Description = "Only runs about this golden record" };
        var status = new Option<string?>("--status") { Description = "pending, running, waiting, retrying, succeeded, failed, skipped or stopped" };
        var limit = new Option<int>("--limit") { Description = "At most this many, newest first", DefaultValueFactory = _ => 20 };
        var command = new Command("runs", "The run history, newest first") { config, flow, record, status, limit };
        command.SetAction(async (result, ct) =>
        {
            if (Load(result, config) is not { } loaded)
            {
                return 1;
            }

            FlowRunStatus? wanted = null;
            if (result.GetValue(status) is { } text)
            {
                if (!Enum.TryParse<FlowRunStatus>(text, ignoreCase: true, out var parsed) || int.TryParse(text, out _))
                {
                    Console.Error.WriteLine($"--status: '{text}' is not one of {string.Join(", ", Enum.GetNames<FlowRunStatus>().Select(n => n.ToLowerInvariant()))}");
                    return 2;
                }

                wanted = parsed;
            }

            await using var hub = await OfflineHub.OpenAsync(loaded, result.GetValue(config)!, ct);
            var runs = await hub.Store.QueryFlowRunsAsync(new FlowRunQuery(result.GetValue(flow), result.GetValue(record), wanted, Limit: Math.Clamp(result.GetValue(limit), 1, 1000)), ct);
            foreach (var run in runs)
            {
                Console.WriteLine(FlowText.RunLine(run));
            }

            if (runs.Count == 0)
            {
                Console.WriteLine("No runs.");
            }

            return 0;
        });
        return command;
    }

    private static Command Show()
    {
        var config = CommonOptions.Config();
        var id = new Argument<string>("run") { Description = "The run's id (run_…)" };
        var json = new Option<bool>("--json") { Description = "Print the run as JSON" };
        var command = new Command("show", "One run: each step's input, output and error (personal data masked), and the log entries it caused") { config, id, json };
        command.SetAction(async (result, ct) =>
        {
            if (Load(result, config) is not { } loaded)
            {
                return 1;
            }

            await using var hub = await OfflineHub.OpenAsync(loaded, result.GetValue(config)!, ct);
            if (await hub.Store.GetFlowRunAsync(result.GetValue(id)!, ct) is not { } run)
            {
                Console.Error.WriteLine($"no flow run {result.GetValue(id)}");
                return 1;
            }

            var steps = await hub.Store.GetFlowStepsAsync(run.Id, ct);
            var log = await hub.Store.QueryLogAsync(new LogQuery(CorrelationId: run.Id, Limit: FlowRunDetailView.MaxLog), ct);
            if (result.GetValue(json))
            {
                // The same document as GET /api/v1/runs/{id}.
                Console.WriteLine(JsonSerializer.Serialize(FlowRunDetailView.Of(loaded, run, steps, log), Pretty));
                return 0;
            }

            var mask = new FlowHistoryMask(loaded);
            FlowText.Print(FlowTester.Report(loaded.Flows.GetValueOrDefault(run.Flow), mask.Mask(run), steps.Select(mask.Mask).ToList(), dryRun: false), Console.Out);
            if (run.ReplayedBy is not null)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  replayed {run.Replays}× by {run.ReplayedBy} at {run.ReplayedAt:yyyy-MM-dd HH:mm:ss} UTC"));
            }

            foreach (var entry in log.OrderBy(e => e.At))
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  log: {entry.At:HH:mm:ss} {entry.Direction} {entry.System} {entry.Type} {entry.RecordId} → {entry.Result}{(entry.ResponseStatus is { } s ? $" ({s})" : "")}"));
            }

            return 0;
        });
        return command;
    }

    private static Command Run()
    {
        var config = CommonOptions.Config();
        var name = new Argument<string>("flow") { Description = "The flow to start" };
        var input = InputOption();
        var wait = new Option<string>("--wait") { Description = "Wait this long for a running hub to finish it (0 to return at once)", DefaultValueFactory = _ => "60s" };
        var command = new Command("run", "Start a run of a flow by hand with an input (any trigger); a running hub executes it") { config, name, input, wait };
        command.SetAction(async (result, ct) =>
        {
            if (Load(result, config) is not { } loaded)
            {
                return 1;
            }

            if (ReadInput(result.GetValue(input)) is not { } data)
            {
                return 2;
            }

            if (!Duration.TryParse(result.GetValue(wait)!, out var timeout) && result.GetValue(wait) != "0")
            {
                Console.Error.WriteLine($"--wait: '{result.GetValue(wait)}' is not a duration such as 30s");
                return 2;
            }

            await using var hub = await OfflineHub.OpenAsync(loaded, result.GetValue(config)!, ct);
            return await StartAndReportAsync(hub, result.GetValue(name)!, data, timeout, ct);
        });
        return command;
    }

    private static Command Test()
    {
        var config = CommonOptions.Config();
        var name = new Argument<string>("flow") { Description = "The flow to test" };
        var input = InputOption();
        var dryRun = new Option<bool>("--dry-run") { Description = "Send and write nothing: print what each step would do" };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON" };
        var command = new Command("test", "Run a flow once with a sample input and print each step's input, output and requests: through the running hub against its systems (point them at sandboxes), or as a dry run against nothing")
        {
            config, name, input, dryRun, json,
        };
        command.SetAction(async (result, ct) =>
        {
            if (Load(result, config) is not { } loaded)
            {
                return 1;
            }

            if (ReadInput(result.GetValue(input)) is not { } data)
            {
                return 2;
            }

            await using var hub = await OfflineHub.OpenAsync(loaded, result.GetValue(config)!, ct);
            if (!result.GetValue(dryRun))
            {
                return await StartAndReportAsync(hub, result.GetValue(name)!, data, TimeSpan.FromMinutes(2), ct, result.GetValue(json));
            }

            try
            {
                var report = await hub.Runtime.Flows.TestAsync(result.GetValue(name)!, data, "cli", dryRun: true, TimeSpan.FromMinutes(1), ct);
                if (result.GetValue(json))
                {
                    Console.WriteLine(JsonSerializer.Serialize(report, Pretty));
                }
                else
                {
                    FlowText.Print(report, Console.Out);
                }

                return report.Status == "succeeded" ? 0 : 1;
            }
            catch (FlowRefusedException ex)
            {
                Console.Error.WriteLine(ex.Message);
                return 1;
            }
        });
        return command;
    }

    private static Command Replay()
    {
        var config = CommonOptions.Config();
        var id = new Argument<string>("run") { Description = "The failed or stopped run" };
        var command = new Command("replay", "Replay a failed run from the step that failed (after fixing the cause); a running hub picks it up") { config, id };
        command.SetAction(async (result, ct) =>
        {
            if (Load(result, config) is not { } loaded)
            {
                return 1;
            }

            await using var hub = await OfflineHub.OpenAsync(loaded, result.GetValue(config)!, ct);
            try
            {
                var run = await hub.Runtime.Flows.ReplayAsync(result.GetValue(id)!, "cli", ct);
                Console.WriteLine($"{run.Id} queued again from step {run.Step ?? "(first)"} (replay {run.Replays}).");
                return 0;
            }
            catch (FlowRefusedException ex)
            {
                Console.Error.WriteLine(ex.Message);
                return 1;
            }
        });
        return command;
    }

    /// <summary>Queues a manual run and, unless told not to wait, follows it until it ends while a hub runs it.</summary>
    private static async Task<int> StartAndReportAsync(OfflineHub hub, string flow, JsonObject input, TimeSpan timeout, CancellationToken ct, bool json = false)
    {
        FlowRun run;
        try
        {
            run = await hub.Runtime.Flows.StartManualAsync(flow, input, "cli", ct);
        }
        catch (FlowRefusedException ex)
        {
            Console.Error.WriteLine(ex.Message);
            return 1;
        }

        if (timeout <= TimeSpan.Zero)
        {
            Console.WriteLine($"{run.Id} queued; a running hub starts it within a second (`concord flow show {run.Id}`).");
            return 0;
        }

        var ended = await hub.Runtime.Flows.WaitForRunAsync(run.Id, timeout, ct) ?? run;
        if (ended.Status == FlowRunStatus.Pending)
        {
            Console.Error.WriteLine($"{run.Id} is queued, but no hub has started it within {Duration.Format(timeout)}: start one with `concord run` against this configuration.");
            return 3;
        }

        // What the hub ran is history now, shown as the history is: personal data masked.
        var mask = new FlowHistoryMask(hub.Config);
        var steps = (await hub.Store.GetFlowStepsAsync(run.Id, ct)).Select(mask.Mask).ToList();
        var report = FlowTester.Report(hub.Config.Flows[flow], mask.Mask(ended), steps, dryRun: false);
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(report, Pretty));
        }
        else
        {
            FlowText.Print(report, Console.Out);
        }

        return ended.Status == FlowRunStatus.Succeeded ? 0 : 1;
    }

    private static Option<string> InputOption() => new("--input", "-i")
    {
        Description = "The run's input: a JSON file, - for standard input, or the JSON itself",
        DefaultValueFactory = _ => "{}",
    };

    /// <summary>The input as a JSON object, or null after saying what is wrong with it.</summary>
    private static JsonObject? ReadInput(string? text)
    {
        text ??= "{}";
        string json;
        string where;
        if (text == "-")
        {
            json = Console.In.ReadToEnd();
            where = "standard input";
        }
        else if (text.TrimStart() is ['{' or '[', ..])
        {
            json = text;
            where = "--input";
        }
        else if (File.Exists(text))
        {
            json = File.ReadAllText(text);
            where = text;
        }
        else
        {
            Console.Error.WriteLine($"--input: no file '{text}' (give a JSON file, - for standard input, or the JSON itself)");
            return null;
        }

        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json);
        }
        catch (JsonException ex)
        {
            Console.Error.WriteLine($"{where}: not valid JSON: {ex.Message}");
            return null;
        }

        if (FlowInput.Problem(node) is { } problem)
        {
            Console.Error.WriteLine($"{where}: {problem}");
            return null;
        }

        return (JsonObject)node!;
    }

    private static HubConfig? Load(ParseResult result, Option<FileInfo> config) =>
        CommonOptions.LoadOrReport(result.GetValue(config)!, checkEnvironment: false, Console.Error);
}
