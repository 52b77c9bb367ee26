using System.Text.Json.Nodes;
using Concord.Core.Configuration;
using Concord.Core.Flows.Model;
using Concord.Engine.Storage;
using Microsoft.Extensions.Logging;

namespace Concord.Engine.Flows;

/// <summary>
/// Executes runs: walks a run's steps from the first one not done, persisting each step as started
/// before its side effect and as done after it (a write in the same transaction), so that a run
/// resumes after a crash exactly where it stood. One executor serves every flow; a run executes
/// on one task at a time (the runner sees to that).
/// </summary>
public sealed class FlowExecutor
{
    /// <summary>First and longest pause between two looks at a delivery a step waits for.</summary>
    public static readonly TimeSpan FirstPoll = TimeSpan.FromMilliseconds(200);

    public static readonly TimeSpan MaxPoll = TimeSpan.FromSeconds(30);

    /// <param name="config">The configuration whose flows are run.</param>
    /// <param name="handlers">One handler per action; a later handler for the same action replaces an earlier one.</param>
    /// <param name="time">The clock.</param>
    /// <param name="logger">For what goes wrong outside a step.</param>
    /// <param name="committed">Called after a step's write committed (not in a dry run): the hub wakes its dispatchers and indexes new records.</param>
    /// <param name="random">Jitter of the retry delays.</param>
    public FlowExecutor(HubConfig config, IEnumerable<IStepHandler> handlers, TimeProvider time, ILogger logger,
        Func<FlowStep, JsonNode?, CancellationToken, Task>? committed = null, Random? random = null)
    {
        Config = config;
        Time = time;
        Logger = logger;
        Committed = committed;
        Random = random;
        Renderer = new ArgumentRenderer(time);
        foreach (var handler in handlers)
        {
            foreach (var action in handler.Actions)
            {
                Handlers[action] = handler;
            }
        }
    }

    internal HubConfig Config { get; }

    internal TimeProvider Time { get; }

    internal ILogger Logger { get; }

    internal Func<FlowStep, JsonNode?, CancellationToken, Task>? Committed { get; }

    internal Random? Random { get; }

    internal ArgumentRenderer Renderer { get; }

    internal Dictionary<StepAction, IStepHandler> Handlers { get; } = [];

    /// <summary>
    /// Runs <paramref name="run"/> until it finishes or pauses (waiting, or retrying later); returns the run as it stands.
    /// A cancelled token stops it between steps or inside one; what was started is resumed next time.
    /// </summary>
    public async Task<FlowRun> ExecuteAsync(FlowRun run, IRunJournal journal, bool dryRun, CancellationToken cancellationToken)
    {
        if (!Config.Flows.TryGetValue(run.Flow, out var flow))
        {
            var now = Time.GetUtcNow();
            var failed = run with
            {
                Status = FlowRunStatus.Failed, Error = $"flow '{run.Flow}' is not configured (any more)", FinishedAt = now, UpdatedAt = now,
            };
            await journal.SaveAsync(failed, [], cancellationToken);
            return failed;
        }

        var states = await journal.StepsAsync(run.Id, cancellationToken);
        return await new RunExecution(this, flow, run, journal, dryRun, states).RunAsync(cancellationToken);
    }
}
