using System.Text.Json.Nodes;
using Concord.Core.Configuration;
using Concord.Core.Flows.Model;
using Concord.Engine.Flows;
using Concord.Engine.Storage;

namespace Concord.Engine.Tests.Flows.Steps;

/// <summary>Builds one attempt of one step, as the runner hands it to a handler.</summary>
internal static class Steps
{
    public static StepRun Run(StepAction action, string args, bool dryRun = false, string id = "step_1", string key = "run_1.step_1.0") =>
        Run(action, (JsonObject)JsonNode.Parse(args)!, dryRun, id, key);

    public static StepRun Run(StepAction action, JsonObject args, bool dryRun = false, string id = "step_1", string key = "run_1.step_1.0")
    {
        var step = new FlowStep { Id = id, Action = action, Args = (JsonObject)args.DeepClone() };
        var flow = new FlowConfig { Name = "test_flow", Trigger = new ManualTrigger(SourceSpan.None), Steps = [step] };
        var run = new FlowRun { Id = "run_1", Flow = flow.Name, TriggerKind = "manual", Input = "{}" };
        return new StepRun(flow, step, run, args, [], key, Attempt: 1, dryRun);
    }

    public static JsonObject Output(StepOutcome outcome) => (JsonObject)Assert.IsType<StepOutcome.Completed>(outcome).Output!;
}
