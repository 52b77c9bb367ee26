using System.Text.Json.Nodes;
using Concord.Core.Configuration;
using Concord.Core.Flows.Expressions;
using Concord.Core.Flows.Model;

namespace Concord.Engine.Tests.Flows;

/// <summary>Builds flows in code, as the configuration reader would from <c>flows:</c>.</summary>
internal static class FlowBuilder
{
    public static FlowConfig Flow(string name, FlowTrigger trigger, params FlowStep[] steps) => new() { Name = name, Trigger = trigger, Steps = [.. steps] };

    public static RecordTrigger OnRecord(string type, RecordTriggerOn on, string[]? fields = null, string[]? from = null) =>
        new(type, on, fields ?? [], from ?? [], SourceSpan.None);

    public static ManualTrigger Manual { get; } = new(SourceSpan.None);

    /// <summary>A step whose arguments are written as JSON (strings are templates).</summary>
    public static FlowStep Step(string id, StepAction action, string args = "{}", string? when = null, StepRetry? retry = null, bool continueOnError = false) => new()
    {
        Id = id,
        Action = action,
        Args = (JsonObject)JsonNode.Parse(args)!,
        When = when is null ? null : Condition(when),
        Retry = retry ?? StepRetry.Default,
        ContinueOnError = continueOnError,
    };

    public static FlowStep If(string id, string condition, FlowStep[] then, FlowStep[]? otherwise = null) => new()
    {
        Id = id,
        Action = StepAction.If,
        When = Condition(condition),
        Then = [.. then],
        Else = [.. otherwise ?? []],
    };

    public static FlowCondition Condition(string text) => new(text, Expression.Parse(text), SourceSpan.None);
}
