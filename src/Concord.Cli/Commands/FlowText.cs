using System.Globalization;
using System.Text.Json.Nodes;
using Concord.Core.Flows.Model;
using Concord.Engine.Flows;
using Concord.Engine.Storage;

namespace Concord.Cli.Commands;

/// <summary>How flows, runs and step reports read in a terminal.</summary>
internal static class FlowText
{
    /// <summary>Longest JSON shown on one line of a report before it is cut.</summary>
    private const int MaxJson = 600;

    public static string Trigger(FlowTrigger trigger) => trigger switch
    {
        RecordTrigger r => $"{r.Type} {r.On.ToString().ToLowerInvariant()}{(r.Fields.Count > 0 ? $" ({string.Join(", ", r.Fields)})" : "")}{(r.From.Count > 0 ? $" from {string.Join("/", r.From)}" : "")}",
        ScheduleTrigger s => $"schedule '{s.Cron.Text}' ({s.Zone.Id})",
        _ => trigger.Kind,
    };

    public static string RunLine(FlowRun run) => string.Create(CultureInfo.InvariantCulture,
        $"{run.Id}  {run.CreatedAt:yyyy-MM-dd HH:mm:ss}  {run.Flow,-24} {run.Status.ToString().ToLowerInvariant(),-9} {run.TriggerKind,-8} {run.RecordId ?? ""}{(run.Error is null ? "" : $"  at {run.Step}: {run.Error}")}");

    public static void Print(FlowTestReport report, TextWriter output)
    {
        output.WriteLine($"flow {report.Flow} · {report.RunId} · {report.Status}{(report.DryRun ? " (dry run: nothing was sent or written)" : "")}");
        if (report.Error is not null)
        {
            output.WriteLine($"  error: {report.Error}");
        }

        var n = 0;
        foreach (var step in report.Steps)
        {
            output.WriteLine($"{++n,3}. {step.Id,-20} {step.Action,-15} {step.Status}{(step.Attempts > 1 ? $" after {step.Attempts} attempts" : "")}");
            if (step.Input is not null)
            {
                output.WriteLine($"       input:  {Short(step.Input)}");
            }

            if (step.Output is not null)
            {
                output.WriteLine($"       output: {Short(step.Output)}");
            }

            if (step.Error is not null)
            {
                output.WriteLine($"       error:  {step.Error}");
            }
        }
    }

    private static string Short(JsonNode node)
    {
        var text = node.ToJsonString();
        return text.Length <= MaxJson ? text : text[..MaxJson] + $"… ({text.Length} characters)";
    }
}
