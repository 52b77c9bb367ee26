using Concord.Core.Configuration;
using Concord.Core.Flows.Expressions;

namespace Concord.Core.Flows.Model;

/// <summary>One flow of <c>concord.yaml</c>: a trigger, an optional condition, and ordered steps.</summary>
public sealed class FlowConfig
{
    /// <summary>The key under <c>flows:</c> (lower-case letters, digits, <c>_</c> and <c>-</c>).</summary>
    public required string Name { get; init; }

    public string? Description { get; init; }

    /// <summary>Minutes of manual work one successful run saves, for <c>concord report roi</c>.</summary>
    public double? MinutesSaved { get; init; }

    /// <summary>Runs of this flow executing at once. Runs for the same record always go one at a time, in order.</summary>
    public int Concurrency { get; init; } = 4;

    /// <summary>A paused flow is not triggered (manual runs are refused too).</summary>
    public bool Enabled { get; init; } = true;

    public required FlowTrigger Trigger { get; init; }

    /// <summary>The run's condition on the trigger data (<c>when:</c>); a run whose condition is false ends as skipped.</summary>
    public FlowCondition? When { get; init; }

    public List<FlowStep> Steps { get; init; } = [];

    /// <summary>
    /// Marks a cycle through this flow as intended (<c>loop: { until: … }</c>): the static check does not
    /// report cycles through it, and a run whose <c>until</c> holds at its start ends as skipped.
    /// </summary>
    public FlowCondition? LoopUntil { get; init; }

    public SourceSpan At { get; init; }

    /// <summary>Every step, branches included, depth first in the order written.</summary>
    public IEnumerable<FlowStep> AllSteps() => FlowStep.Flatten(Steps);
}

/// <summary>An expression written in the configuration, compiled, with where it was written.</summary>
public sealed record FlowCondition(string Text, Expression Expression, SourceSpan At);
