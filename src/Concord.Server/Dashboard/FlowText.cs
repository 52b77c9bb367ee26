using System.Text.Json.Nodes;
using Concord.Core.Flows.Model;
using Concord.Engine.Flows;
using Concord.Engine.Storage;

namespace Concord.Server.Dashboard;

/// <summary>How the flow pages describe a trigger and a run's status, and show run data: in clear for operators, masked for viewers.</summary>
public static class FlowText
{
    public static string Trigger(FlowConfig flow) => flow.Trigger switch
    {
        RecordTrigger r => $"a {r.Type} is {r.On.ToString().ToLowerInvariant()}"
            + (r.Fields.Count > 0 ? $" ({string.Join(", ", r.Fields)})" : "")
            + (r.From.Count > 0 ? $" from {string.Join(" or ", r.From)}" : ""),
        WebhookTrigger => $"a signed POST to /hooks/flows/{flow.Name}",
        ScheduleTrigger s => $"schedule {s.Cron.Text} ({s.Zone.Id})",
        _ => "started by hand",
    };

    public static string Status(FlowRunStatus status) => status.ToString().ToLowerInvariant();

    /// <summary>JSON run data as the user may see it: the flow history's masking of personal fields, at any depth, for viewers.</summary>
    public static string? Data(string? json, FlowHistoryMask mask, bool clear)
    {
        var shown = clear ? json : mask.Mask(json);
        if (shown is null)
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(shown) is { } node ? DashboardJson.Pretty(node) : shown;
        }
        catch (System.Text.Json.JsonException)
        {
            return shown;
        }
    }
}
