using Concord.Core.Configuration;
using Concord.Core.Flows.Model;
using Concord.Engine.Storage;

namespace Concord.Engine.Flows;

/// <summary>
/// Starts the flows a record event triggers, inside the transaction that made the event: the runs
/// commit with the change or not at all, and each run's trigger key (the record's id and version)
/// makes a second look at the same event a no-op, so a trigger is never lost or doubled. Applies the
/// two loop guards: a flow's own writes never trigger it (echo suppression), and a chain of runs each
/// caused by the one before is stopped when it grows longer than <c>hub.flows.max_depth</c>.
/// </summary>
public sealed class FlowTriggers(HubConfig config, TimeProvider time)
{
    /// <summary>The finding raised on a record when a chain of runs through it was stopped.</summary>
    public const string DepthFinding = "flow-depth";

    /// <summary>The source (and event system) of a flow's writes: <c>flow:&lt;name&gt;</c>.</summary>
    public static string Source(string flow) => "flow:" + flow;

    /// <summary>Enqueues a run of every flow <paramref name="change"/> triggers; returns how many runs are due to execute.</summary>
    public int Fire(IPipelineTransaction tx, FlowRecordEvent change)
    {
        var due = 0;
        foreach (var flow in config.Flows.Values)
        {
            if (!flow.Enabled || flow.Trigger is not RecordTrigger trigger || !Matches(trigger, change) || change.Source == Source(flow.Name))
            {
                continue;
            }

            var now = time.GetUtcNow();
            var input = RunData.ForRecord(trigger, change, config.Entities.GetValueOrDefault(change.Record.Type), tx.LoadRecord);
            var run = new FlowRun
            {
                Id = Ids.New("run", time),
                Flow = flow.Name,
                TriggerKind = "record",
                TriggerKey = $"{change.Record.Id}.v{change.Record.Version}",
                RecordType = change.Record.Type,
                RecordId = change.Record.Id,
                Status = FlowRunStatus.Pending,
                Input = input.ToJsonString(),
                Depth = change.Cause is { } cause ? cause.Depth + 1 : 0,
                CausedBy = change.Cause?.Id,
                CreatedAt = now,
                UpdatedAt = now,
                NextAt = now,
            };

            // The chain holds this run and every run before it: depth + 1 runs.
            if (run.Depth + 1 > config.FlowSettings.MaxDepth)
            {
                var chain = string.Join(" → ", Chain(tx, change.Cause).Append(flow.Name).Select(n => $"'{n}'"));
                var error = $"stopped: the chain of runs {chain} is longer than hub.flows.max_depth ({config.FlowSettings.MaxDepth}); each flow's write triggered the next";
                if (tx.EnqueueFlowRun(run with { Status = FlowRunStatus.Stopped, Error = error, FinishedAt = now }))
                {
                    tx.RaiseFinding(new Finding(Ids.New("fnd", time), DepthFinding, "warning", change.Record.Type, change.Record.Id, null, null,
                        $"flow '{flow.Name}' was not run for {change.Record.Type} {change.Record.Id}: {error} (run {run.Id})", now));
                }

                continue;
            }

            if (tx.EnqueueFlowRun(run))
            {
                due++;
            }
        }

        return due;
    }

    /// <summary>Whether a record event is one the trigger waits for: its type, kind, changed fields and source.</summary>
    public static bool Matches(RecordTrigger trigger, FlowRecordEvent change)
    {
        if (trigger.Type != change.Record.Type || (trigger.From.Count > 0 && !trigger.From.Contains(change.Source, StringComparer.Ordinal)))
        {
            return false;
        }

        return trigger.On switch
        {
            RecordTriggerOn.Created => change.Kind == FlowRecordEvent.Created,
            RecordTriggerOn.Updated => change.Kind is FlowRecordEvent.Updated or FlowRecordEvent.Restored,
            RecordTriggerOn.Changed => change.Kind is FlowRecordEvent.Updated or FlowRecordEvent.Restored
                && change.Changed.Any(c => trigger.Fields.Contains(c.Field, StringComparer.Ordinal)),
            RecordTriggerOn.Deleted => change.Kind == FlowRecordEvent.Deleted,
            _ => false,
        };
    }

    /// <summary>The flows of the runs that led to <paramref name="cause"/>, oldest first.</summary>
    private static List<string> Chain(IPipelineTransaction tx, FlowRun? cause)
    {
        var names = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var run = cause; run is not null && seen.Add(run.Id) && names.Count < 100; run = run.CausedBy is { } before ? tx.LoadFlowRun(before) : null)
        {
            names.Add(run.Flow);
        }

        names.Reverse();
        return names;
    }
}
