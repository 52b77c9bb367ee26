using System.Text.Json.Nodes;
using Concord.Core.Configuration;
using Concord.Core.Flows.Model;

namespace Concord.Core.Map;

/// <summary>Reads the integration map out of a configuration: no I/O, the same answer for the same file.</summary>
public static class StackMapBuilder
{
    public static StackMap Build(HubConfig config)
    {
        var connections = Connections(config);
        var flows = config.Flows.Values.Select(Flow).ToList();

        var synced = connections.Select(c => c.Type).ToHashSet(StringComparer.Ordinal);
        var types = config.Entities.Values
            .Where(t => t.Declared || synced.Contains(t.Name))
            .Select(t => new MapType(t.Name, t.Owner,
                t.FieldOwners.Values.Where(f => f.System != t.Owner).Select(f => new MapFieldOwner(f.Field, f.System)).ToList()))
            .ToList();

        var uses = flows.SelectMany(f => f.Targets.Where(t => t.System is not null).Select(t => (System: t.System!, Flow: f.Name))
                .Concat(f.TriggerSystems.Select(s => (System: s, Flow: f.Name))))
            .GroupBy(u => u.System, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.Select(u => u.Flow).Distinct(StringComparer.Ordinal).ToList(), StringComparer.Ordinal);
        var systems = config.Systems.Values
            .Select(s => new MapSystem(s.Name, s.Kind, s.EffectiveLayer, uses.GetValueOrDefault(s.Name, [])))
            .Concat(config.Tools.Values.Where(t => !config.Systems.ContainsKey(t.Name)).Select(t => new MapSystem(t.Name, null, t.Layer, [])))
            .ToList();

        return new StackMap(Path.GetFileName(config.File), systems, types, connections, flows);
    }

    /// <summary>One connection per (system, type); a second rule for the same pair widens the direction.</summary>
    private static List<MapConnection> Connections(HubConfig config)
    {
        var result = new List<MapConnection>();
        var index = new Dictionary<(string, string), int>();
        foreach (var rule in config.Syncs)
        {
            var type = config.Entities.GetValueOrDefault(rule.Type);
            var direction = rule.Direction switch
            {
                SyncDirection.Push => MapDirection.Receives,
                SyncDirection.Pull => MapDirection.Contributes,
                _ => MapDirection.Both,
            };
            if (index.TryGetValue((rule.System, rule.Type), out var at))
            {
                var seen = result[at];
                result[at] = seen with { Direction = seen.Direction == direction ? direction : MapDirection.Both, Fields = null };
                continue;
            }

            var ownsType = type?.Owner == rule.System;
            var ownedFields = type?.FieldOwners.Values.Where(f => f.System == rule.System && !ownsType).Select(f => f.Field).ToList() ?? [];
            index[(rule.System, rule.Type)] = result.Count;
            result.Add(new MapConnection(rule.System, rule.Type, direction, ownsType, ownedFields, rule.Fields, rule.Filter.Count > 0));
        }

        return result;
    }

    private static MapFlow Flow(FlowConfig flow)
    {
        var (trigger, type, from) = flow.Trigger switch
        {
            RecordTrigger r => (RecordTriggerText(r), r.Type, r.From),
            ScheduleTrigger s => ($"schedule {s.Cron.Text}{(s.Zone == TimeZoneInfo.Utc ? "" : $" ({s.Zone.Id})")}", null, []),
            WebhookTrigger => ($"webhook /hooks/flows/{flow.Name}", null, []),
            _ => ("manual", (string?)null, (IReadOnlyList<string>)[]),
        };

        var targets = new List<MapFlowTarget>();
        foreach (var step in flow.AllSteps())
        {
            var target = step.Action switch
            {
                StepAction.Notify => new MapFlowTarget("notifies", Text(step, "via"), null),
                StepAction.Http => new MapFlowTarget("calls", null, null),
                StepAction.Find => new MapFlowTarget("reads", Text(step, "in"), Text(step, "type")),
                StepAction.FindOrCreate or StepAction.Create or StepAction.Update or StepAction.Upsert or StepAction.Set
                    => new MapFlowTarget("writes", Text(step, "in"), Text(step, "type")),
                _ => null,
            };
            if (target is not null && !targets.Contains(target))
            {
                targets.Add(target);
            }
        }

        return new MapFlow(flow.Name, trigger, type, from, targets, flow.Enabled);
    }

    private static string RecordTriggerText(RecordTrigger r)
    {
        var on = r.On switch
        {
            RecordTriggerOn.Changed when r.Fields.Count > 0 => $"{r.Type}.{string.Join("/", r.Fields)} changed",
            var other => $"{r.Type} {other.ToString().ToLowerInvariant()}",
        };
        return r.From.Count == 0 ? on : $"{on} from {string.Join(", ", r.From)}";
    }

    private static string? Text(FlowStep step, string argument) =>
        step.Args[argument] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
