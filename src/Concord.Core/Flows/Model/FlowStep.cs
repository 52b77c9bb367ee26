using System.Text.Json.Nodes;
using Concord.Core.Configuration;

namespace Concord.Core.Flows.Model;

/// <summary>What a step does.</summary>
public enum StepAction
{
    /// <summary>Finds a golden record by field values, optionally only one linked in a system.</summary>
    Find,

    /// <summary>Finds by the match fields (the type's identity keys by default), creates when nothing matches.</summary>
    FindOrCreate,
    Create,
    Update,

    /// <summary>Find-or-create, then update the found record with the fields.</summary>
    Upsert,

    /// <summary>Sets golden fields of a record (no system named).</summary>
    Set,

    /// <summary>A message through a system that can notify (Slack, SMTP email, webhook).</summary>
    Notify,

    /// <summary>An HTTP request.</summary>
    Http,

    /// <summary>Waits a duration or until a time, durably.</summary>
    Wait,

    /// <summary>Looks a key up in a table.</summary>
    Lookup,

    /// <summary>Reads a plain-language invoice ("Invoice Northwind $3,200 …") into a draft.</summary>
    DraftInvoice,

    /// <summary>A branch: <see cref="FlowStep.Then"/> when the condition holds, else <see cref="FlowStep.Else"/>.</summary>
    If,
}

/// <summary>Retries of one step: attempts in all, and the first delay (doubled each time, with jitter, up to <see cref="MaxDelay"/>).</summary>
public sealed record StepRetry(int Attempts, TimeSpan Delay, TimeSpan MaxDelay)
{
    public static StepRetry Default { get; } = new(5, TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(5));
}

/// <summary>One step of a flow.</summary>
public sealed class FlowStep
{
    /// <summary>Unique in the flow; <c>steps.&lt;id&gt;</c> reads its output. Defaults to the action and position (<c>notify_3</c>).</summary>
    public required string Id { get; init; }

    public required StepAction Action { get; init; }

    /// <summary>
    /// The action's arguments as written (<c>find: { type: customer, where: { email: "{{ … }}" } }</c>).
    /// String values are templates, rendered against the run's data when the step runs.
    /// </summary>
    public JsonObject Args { get; init; } = [];

    /// <summary>Skips the step when false (<c>when:</c> on the step). For <see cref="StepAction.If"/>, the branch condition.</summary>
    public FlowCondition? When { get; init; }

    public StepRetry Retry { get; init; } = StepRetry.Default;

    /// <summary><c>on_error: continue</c>: a failed step is recorded and the run goes on.</summary>
    public bool ContinueOnError { get; init; }

    public List<FlowStep> Then { get; init; } = [];

    public List<FlowStep> Else { get; init; } = [];

    public SourceSpan At { get; init; }

    /// <summary>Where each argument was written, by its dotted path in <see cref="Args"/> (<c>where.email</c>), for messages.</summary>
    public Dictionary<string, SourceSpan> ArgSpans { get; init; } = new(StringComparer.Ordinal);

    /// <summary>The argument as text, or null.</summary>
    public string? Text(string name) => Args[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    public static IEnumerable<FlowStep> Flatten(IEnumerable<FlowStep> steps)
    {
        foreach (var step in steps)
        {
            yield return step;
            foreach (var inner in Flatten(step.Then).Concat(Flatten(step.Else)))
            {
                yield return inner;
            }
        }
    }
}
