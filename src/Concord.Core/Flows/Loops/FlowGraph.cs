using System.Text.Json.Nodes;
using Concord.Core.Configuration;
using Concord.Core.Flows.Model;

namespace Concord.Core.Flows.Loops;

/// <summary>
/// One flow can start another: <paramref name="From"/> writes <paramref name="Type"/>.<paramref name="Field"/>
/// (through <paramref name="Via"/> when the other flow waits for changes from that system), and
/// <paramref name="To"/>'s record trigger reads it. <paramref name="At"/> is the write.
/// </summary>
public sealed record FlowEdge(string From, string To, string Type, string Field, string? Via, RecordTrigger Trigger, SourceSpan At)
{
    /// <summary><c>writes customer.status → flow 'b' (on customer.status changed)</c>.</summary>
    public string Describe()
    {
        var on = Trigger.On switch
        {
            RecordTriggerOn.Changed => $"on {Type}.{Field} changed",
            var other => $"on {Type} {other.ToString().ToLowerInvariant()}",
        };
        var from = Via is null ? "" : $" from {Via}";
        var through = Via is null ? "" : $" in {Via}";
        return $"writes {Type}.{Field}{through} → flow '{To}' ({on}{from})";
    }
}

/// <summary>
/// Which flows can start which: an edge A → B when a step of A writes a field of a type that B's record
/// trigger reads (any field for <c>created</c> and <c>updated</c>, one of its <c>fields</c> for
/// <c>changed</c>). A trigger narrowed with <c>from:</c> is reached only when A writes <c>in:</c> one of
/// those systems and that system sends the field back to the hub (pull or two-way). No step deletes a
/// record, so nothing reaches a <c>deleted</c> trigger; and a flow never triggers itself, since the hub
/// does not start a flow from its own writes.
/// </summary>
public sealed class FlowGraph
{
    private FlowGraph(IReadOnlyList<FlowConfig> flows, IReadOnlyList<FlowEdge> edges)
    {
        Flows = flows;
        Edges = edges;
    }

    /// <summary>The flows, in the order written.</summary>
    public IReadOnlyList<FlowConfig> Flows { get; }

    /// <summary>At most one edge per pair of flows: the first write found that reaches the trigger.</summary>
    public IReadOnlyList<FlowEdge> Edges { get; }

    public static FlowGraph Build(HubConfig config)
    {
        var flows = config.Flows.Values.ToList();
        var edges = new List<FlowEdge>();
        foreach (var writer in flows)
        {
            foreach (var reader in flows.Where(f => f != writer && f.Trigger is RecordTrigger))
            {
                if (FirstEdge(config, writer, reader) is { } edge)
                {
                    edges.Add(edge);
                }
            }
        }

        return new FlowGraph(flows, edges);
    }

    /// <summary>
    /// Every cycle of flows, each once, as its edges starting at the flow written first. Cycles through a
    /// flow with <c>loop: { until: … }</c> are intended and left out.
    /// </summary>
    public List<List<FlowEdge>> Cycles(int limit = 100)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < Flows.Count; i++)
        {
            index[Flows[i].Name] = i;
        }

        var kept = Edges.Where(e => Flows[index[e.From]].LoopUntil is null && Flows[index[e.To]].LoopUntil is null).ToList();
        var successors = Flows.Select((_, i) => (IReadOnlyList<int>)kept.Where(e => index[e.From] == i).Select(e => index[e.To]).ToList()).ToList();
        return ElementaryCycles.Find(successors, limit)
            .Select(cycle => cycle.Select((node, i) => kept.First(e => index[e.From] == node && index[e.To] == cycle[(i + 1) % cycle.Count])).ToList())
            .ToList();
    }

    private static FlowEdge? FirstEdge(HubConfig config, FlowConfig writer, FlowConfig reader)
    {
        var trigger = (RecordTrigger)reader.Trigger;
        if (trigger.On == RecordTriggerOn.Deleted)
        {
            return null;
        }

        foreach (var step in writer.AllSteps().Where(s => Writes(s.Action) && s.Text("type") == trigger.Type))
        {
            var written = (step.Args["fields"] as JsonObject)?.Select(p => p.Key).ToList() ?? [];
            var read = trigger.On == RecordTriggerOn.Changed ? written.Where(trigger.Fields.Contains).ToList() : written;
            var via = trigger.From.Count == 0 ? null : step.Text("in") is { } system && trigger.From.Contains(system, StringComparer.Ordinal) ? system : null;
            if (trigger.From.Count > 0)
            {
                // Through a system: only the fields it sends back to the hub come back as its changes.
                read = via is null ? [] : read.Where(f => config.Syncs.Any(r => r.System == via && r.Type == trigger.Type && r.Contributes && r.Covers(f))).ToList();
            }

            if (read.Count > 0)
            {
                return new FlowEdge(writer.Name, reader.Name, trigger.Type, read[0], via, trigger, step.ArgSpans.GetValueOrDefault($"fields.{read[0]}", step.At));
            }
        }

        return null;
    }

    private static bool Writes(StepAction action) =>
        action is StepAction.FindOrCreate or StepAction.Create or StepAction.Update or StepAction.Upsert or StepAction.Set;
}
