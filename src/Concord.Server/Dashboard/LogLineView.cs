using System.Text.Json;
using Concord.Engine.Storage;

namespace Concord.Server.Dashboard;

/// <summary>
/// A transaction-log line as the dashboard shows it. For a viewer, a payload sent is masked like a delivery's, an answer
/// in JSON is masked the same way, and a payload received is withheld: it is in the sender's own shape, where the hub
/// cannot tell which values are personal.
/// </summary>
public sealed record LogLineView(LogEntry Entry, string? Payload, string? Answer, bool PayloadWithheld)
{
    /// <summary>A delivery's id, when the line is an attempt of one (not an alert notification).</summary>
    public long? DeliveryId => Entry.Direction == "outbound" && Entry.Type is not null && long.TryParse(Entry.Reference, System.Globalization.CultureInfo.InvariantCulture, out var id) ? id : null;

    public static LogLineView Of(LogEntry e, DashboardMask mask)
    {
        if (mask.Clear)
        {
            return new LogLineView(e, e.Payload, e.ResponseBody, false);
        }

        var withheld = e.Direction == "inbound" && e.Payload is not null;
        return new LogLineView(e, withheld ? null : Masked(mask, e.Type, e.Payload), Masked(mask, e.Type, e.ResponseBody), withheld);
    }

    private static string? Masked(DashboardMask mask, string? type, string? text)
    {
        if (text is null)
        {
            return null;
        }

        try
        {
            return DashboardJson.Compact(mask.Payload(type, text));
        }
        catch (JsonException)
        {
            return text;
        }
    }
}
