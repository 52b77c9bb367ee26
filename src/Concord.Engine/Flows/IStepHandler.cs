using System.Text.Json.Nodes;
using Concord.Core.Flows.Model;
using Concord.Engine.Storage;

namespace Concord.Engine.Flows;

/// <summary>Runs the steps of one action kind. One instance serves every flow.</summary>
public interface IStepHandler
{
    IReadOnlyList<StepAction> Actions { get; }

    /// <summary>
    /// Runs <paramref name="step"/> once. Throws <see cref="StepFailedException"/> for a failure that
    /// says whether to retry; any other exception counts as transient. Must not send anything in a
    /// dry run (<see cref="StepRun.DryRun"/>): it answers what it would have sent instead.
    /// </summary>
    Task<StepOutcome> RunAsync(StepRun step, CancellationToken cancellationToken);
}

/// <summary>One attempt of one step.</summary>
/// <param name="Flow">The flow.</param>
/// <param name="Step">The step as configured.</param>
/// <param name="Run">The run.</param>
/// <param name="Args">The step's arguments, rendered against the run's data.</param>
/// <param name="Data">The run's data the arguments were rendered against (trigger data, <c>steps.*</c>, <c>run</c>).</param>
/// <param name="IdempotencyKey">Sent with the step's side effect; the same for every attempt of this step.</param>
/// <param name="Attempt">1 for the first attempt.</param>
/// <param name="DryRun">Nothing may be written or sent.</param>
public sealed record StepRun(FlowConfig Flow, FlowStep Step, FlowRun Run, JsonObject Args, JsonObject Data, string IdempotencyKey, int Attempt, bool DryRun);

/// <summary>What a step did.</summary>
public abstract record StepOutcome
{
    private StepOutcome()
    {
    }

    /// <summary>Done; any side effect has happened. <see cref="Output"/> is what <c>steps.&lt;id&gt;</c> reads.</summary>
    public sealed record Completed(JsonNode? Output) : StepOutcome;

    /// <summary>
    /// A write to the hub's own store, committed in the same transaction that records the step as done,
    /// so a crash can never apply it twice. <see cref="Apply"/> returns the step's output.
    /// </summary>
    public sealed record Write(Func<IPipelineTransaction, JsonNode?> Apply) : StepOutcome;

    /// <summary>Not done before <see cref="Until"/>: the run sleeps durably and the step completes then, with <see cref="Output"/>.</summary>
    public sealed record Sleep(DateTimeOffset Until, JsonNode? Output) : StepOutcome;
}

/// <summary>A step failed and says whether trying again could help.</summary>
public sealed class StepFailedException(string message, bool retryable, TimeSpan? retryAfter = null, JsonNode? detail = null) : Exception(message)
{
    public bool Retryable { get; } = retryable;

    public TimeSpan? RetryAfter { get; } = retryAfter;

    /// <summary>What the system answered, for the run history.</summary>
    public JsonNode? Detail { get; } = detail;
}
