using Concord.Core.Configuration;

namespace Concord.Core.Flows.Loops;

/// <summary>
/// Reports flows that would start each other for ever (<c>flow-loop</c>), each cycle once with its whole
/// path. At run time the chain would be stopped at <c>hub.flows.max_depth</c>, after doing the work that many
/// times; here it is caught before the hub starts.
/// </summary>
internal static class FlowLoops
{
    public static void Check(HubConfig config, List<ConfigProblem> problems)
    {
        foreach (var cycle in FlowGraph.Build(config).Cycles())
        {
            var path = $"flow '{cycle[0].From}' " + string.Join(" ", cycle.Select(e => e.Describe()));
            problems.Add(new ConfigProblem(cycle[0].At, "flow-loop", $"flows trigger each other in a loop: {path}",
                "narrow a trigger (`on: changed` with `fields:`, or `from:`), drop one of the writes, or, if the loop is meant to repeat until a condition holds, add `loop: { until: … }` to one of these flows"));
        }
    }
}
