using System.Text.Json.Nodes;
using Concord.Core.Configuration;
using Concord.Core.Flows.Model;
using Concord.Engine.Storage;

namespace Concord.Engine.Flows;

/// <summary>One step of a tested run: what it was given, what it produced, how it ended (<c>not-run</c> when the run never reached it).</summary>
public sealed record FlowTestStep(string Id, string Action, string Status, int Attempts, JsonNode? Input, JsonNode? Output, string? Error);

/// <summary>What a run of a flow did, step by step (<c>concord flow test</c>).</summary>
public sealed record FlowTestReport(string Flow, string RunId, string Status, string? Error, bool DryRun, IReadOnlyList<FlowTestStep> Steps);

/// <summary>
/// Runs one flow once over an input object. A dry run is executed by the same executor as every run,
/// over a journal that keeps the run in memory and rolls every write back: record steps say what they
/// would write, handlers that send (notify, http) say what they would send, waits do not wait, and
/// nothing is retried.
/// </summary>
public sealed class FlowTester(HubConfig config, IHubStore store, FlowExecutor executor, TimeProvider time)
{
    public async Task<FlowTestReport> DryRunAsync(string flow, JsonObject input, string by, CancellationToken cancellationToken)
    {
        var flowConfig = config.Flows.GetValueOrDefault(flow) ?? throw new FlowRefusedException($"no flow named '{flow}' is configured", notFound: true);
        var run = FlowEngine.NewRun(flowConfig, "manual", null, RunData.ForManual(input, by, time.GetUtcNow()), time);
        var journal = new DryRunJournal(store);
        var ended = await executor.ExecuteAsync(run, journal, dryRun: true, cancellationToken);
        return Report(flowConfig, ended, journal.Steps, dryRun: true);
    }

    /// <summary>
    /// The report of a run as it stands, each configured step in the order written; for a flow no longer
    /// configured (<paramref name="flow"/> null), the steps it ran, in the order it ran them.
    /// </summary>
    public static FlowTestReport Report(FlowConfig? flow, FlowRun run, IReadOnlyList<FlowStepState> states, bool dryRun)
    {
        if (flow is null)
        {
            return new FlowTestReport(run.Flow, run.Id, run.Status.ToString().ToLowerInvariant(), run.Error, dryRun,
                states.OrderBy(s => s.Position).Select(s => new FlowTestStep(s.StepId, "?", Name(s.Status), s.Attempts, Parse(s.Input), Parse(s.Output), s.Error)).ToList());
        }

        var byId = states.ToDictionary(s => s.StepId, StringComparer.Ordinal);
        var steps = flow.AllSteps().Select(step => byId.TryGetValue(step.Id, out var s)
            ? new FlowTestStep(step.Id, StepActions.Name(step.Action), Name(s.Status), s.Attempts, Parse(s.Input), Parse(s.Output), s.Error)
            : new FlowTestStep(step.Id, StepActions.Name(step.Action), "not-run", 0, null, null, null)).ToList();
        return new FlowTestReport(flow.Name, run.Id, run.Status.ToString().ToLowerInvariant(), run.Error, dryRun, steps);
    }

    private static string Name(FlowStepStatus status) => status.ToString().ToLowerInvariant();

    private static JsonNode? Parse(string? json) => json is null ? null : JsonNode.Parse(json);
}
