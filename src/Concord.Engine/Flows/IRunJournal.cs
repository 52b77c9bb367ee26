using System.Text.Json.Nodes;
using Concord.Engine.Storage;

namespace Concord.Engine.Flows;

/// <summary>Where a run's progress is kept while it executes: the store for real runs, memory for a dry run.</summary>
public interface IRunJournal
{
    Task<IReadOnlyList<FlowStepState>> StepsAsync(string runId, CancellationToken cancellationToken);

    /// <summary>Saves the run and the given step states together.</summary>
    Task SaveAsync(FlowRun run, IReadOnlyList<FlowStepState> steps, CancellationToken cancellationToken);

    /// <summary>
    /// Applies a step's write and records what <paramref name="complete"/> makes of its output (the run and the
    /// step, done or waiting) in the same transaction. Returns the output.
    /// </summary>
    Task<JsonNode?> WriteAsync(Func<IPipelineTransaction, JsonNode?> apply, Func<JsonNode?, (FlowRun Run, FlowStepState Step)> complete, CancellationToken cancellationToken);

    /// <summary>Reads inside a store transaction (what a waiting step polls).</summary>
    Task<T> ReadAsync<T>(Func<IPipelineTransaction, T> read, CancellationToken cancellationToken);
}

/// <summary>The journal of real runs: every save is a store transaction, committed before the step's side effect is attempted.</summary>
public sealed class StoreRunJournal(IHubStore store) : IRunJournal
{
    public Task<IReadOnlyList<FlowStepState>> StepsAsync(string runId, CancellationToken cancellationToken) => store.GetFlowStepsAsync(runId, cancellationToken);

    public Task SaveAsync(FlowRun run, IReadOnlyList<FlowStepState> steps, CancellationToken cancellationToken) =>
        store.ExecuteAsync(tx =>
        {
            tx.SaveFlowRun(run);
            foreach (var step in steps)
            {
                tx.SaveFlowStep(step);
            }

            return true;
        }, cancellationToken);

    public Task<JsonNode?> WriteAsync(Func<IPipelineTransaction, JsonNode?> apply, Func<JsonNode?, (FlowRun Run, FlowStepState Step)> complete, CancellationToken cancellationToken) =>
        store.ExecuteAsync(tx =>
        {
            var output = apply(tx);
            var (run, step) = complete(output);
            tx.SaveFlowRun(run);
            tx.SaveFlowStep(step);
            return output;
        }, cancellationToken);

    public Task<T> ReadAsync<T>(Func<IPipelineTransaction, T> read, CancellationToken cancellationToken) => store.ExecuteAsync(read, cancellationToken);
}

/// <summary>
/// The journal of a dry run: the run and its steps live in memory, and a step's write is applied in a
/// store transaction that is always rolled back, so the output says exactly what would have been
/// written (marked <c>dry_run: true</c>) and nothing is.
/// </summary>
public sealed class DryRunJournal(IPipelineStore store) : IRunJournal
{
    private readonly Dictionary<string, FlowStepState> _steps = new(StringComparer.Ordinal);

    /// <summary>The run as last saved.</summary>
    public FlowRun? Run { get; private set; }

    public IReadOnlyList<FlowStepState> Steps => _steps.Values.OrderBy(s => s.Position).ToList();

    public Task<IReadOnlyList<FlowStepState>> StepsAsync(string runId, CancellationToken cancellationToken) => Task.FromResult(Steps);

    public Task SaveAsync(FlowRun run, IReadOnlyList<FlowStepState> steps, CancellationToken cancellationToken)
    {
        Run = run;
        foreach (var step in steps)
        {
            _steps[step.StepId] = step;
        }

        return Task.CompletedTask;
    }

    public async Task<JsonNode?> WriteAsync(Func<IPipelineTransaction, JsonNode?> apply, Func<JsonNode?, (FlowRun Run, FlowStepState Step)> complete, CancellationToken cancellationToken)
    {
        JsonNode? output;
        try
        {
            await store.ExecuteAsync<JsonNode?>(tx => throw new RolledBack(apply(tx)), cancellationToken);
            throw new InvalidOperationException("a dry run's write was committed");
        }
        catch (RolledBack rolledBack)
        {
            output = rolledBack.Output;
        }

        if (output is JsonObject obj)
        {
            // Nothing was written, so no delivery is owed or awaited.
            obj.Remove(DeliveryAwait.Key);
            obj["dry_run"] = true;
        }

        var (run, step) = complete(output);
        await SaveAsync(run, [step], cancellationToken);
        return output;
    }

    public Task<T> ReadAsync<T>(Func<IPipelineTransaction, T> read, CancellationToken cancellationToken) =>
        store.ExecuteAsync(read, cancellationToken);

    /// <summary>Carries a dry run's output out of the transaction it rolls back.</summary>
    private sealed class RolledBack(JsonNode? output) : Exception("dry run: rolled back")
    {
        public JsonNode? Output { get; } = output;
    }
}
