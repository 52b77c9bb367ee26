using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Concord.Core.Alerts;
using Concord.Engine.Storage;

namespace Concord.Engine.Alerts;

/// <summary>
/// Writes what an incident's opening or resolution says, in the shape the channel's system takes: a Slack
/// message (<c>text</c>), an email (<c>subject</c> and <c>text</c>), or a webhook's JSON (<c>body</c>).
/// Each says what is wrong, where, since when, with the figures, and the incident's API path; a
/// resolution also says how long it lasted. Written once, when the event is enqueued, so every retry
/// sends the same message.
/// </summary>
public static class AlertMessages
{
    public const string Opened = "opened";
    public const string Resolved = "resolved";

    /// <summary>The path of an incident in the API.</summary>
    public static string Link(string incidentId) => $"/api/v1/incidents/{incidentId}";

    /// <summary>The notifier arguments for one channel: the channel's own (<c>channel</c>, <c>to</c>) and the message.</summary>
    /// <param name="incident">The incident, as opened or as resolved.</param>
    /// <param name="evt"><see cref="Opened"/> or <see cref="Resolved"/>.</param>
    /// <param name="channel">The channel it goes to.</param>
    /// <param name="arguments">The argument names the channel's notifier reads (which say what shape it takes).</param>
    public static JsonObject For(Incident incident, string evt, AlertChannel channel, IReadOnlyList<string> arguments)
    {
        var args = new JsonObject();
        foreach (var (name, value) in channel.Args)
        {
            args[name] = value;
        }

        if (arguments.Contains("subject"))
        {
            args["subject"] = Subject(incident, evt);
            args["text"] = Email(incident, evt);
        }
        else if (arguments.Contains("body"))
        {
            args["body"] = Body(incident, evt);
        }
        else
        {
            args["text"] = Chat(incident, evt);
        }

        return args;
    }

    /// <summary>A chat message: a headline, the figures, and when and where to look.</summary>
    public static string Chat(Incident incident, string evt)
    {
        var text = new StringBuilder();
        if (evt == Resolved)
        {
            text.Append(CultureInfo.InvariantCulture, $":white_check_mark: Resolved: *{incident.Rule}* on {incident.Subject}, after {Lasted(incident)}\n");
            text.Append(CultureInfo.InvariantCulture, $"Was: {incident.Summary}\n");
            text.Append(CultureInfo.InvariantCulture, $"Open {Time(incident.OpenedAt)} to {Time(incident.ResolvedAt ?? incident.LastSeenAt)} · {Link(incident.Id)}");
            return text.ToString();
        }

        text.Append(CultureInfo.InvariantCulture, $":rotating_light: *{incident.Rule}* on {incident.Subject}\n");
        text.Append(incident.Summary).Append('\n');
        if (incident.Detail is { Length: > 0 } detail)
        {
            text.Append(detail).Append('\n');
        }

        text.Append(CultureInfo.InvariantCulture, $"Since {Time(incident.OpenedAt)} · {Link(incident.Id)}");
        return text.ToString();
    }

    public static string Subject(Incident incident, string evt) => evt == Resolved
        ? $"[Concord] Resolved after {Lasted(incident)}: {incident.Rule} on {incident.Subject}"
        : $"[Concord] {incident.Rule} on {incident.Subject}";

    public static string Email(Incident incident, string evt)
    {
        var text = new StringBuilder();
        text.Append(evt == Resolved ? "Resolved. It was:\n" : "").Append(incident.Summary).Append("\n\n");
        if (incident.Detail is { Length: > 0 } detail)
        {
            text.Append(detail).Append("\n\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"Rule:     {incident.Rule} ({incident.Kind})\n");
        text.Append(CultureInfo.InvariantCulture, $"Where:    {incident.Subject}\n");
        text.Append(CultureInfo.InvariantCulture, $"Since:    {Time(incident.OpenedAt)}\n");
        if (evt == Resolved)
        {
            text.Append(CultureInfo.InvariantCulture, $"Resolved: {Time(incident.ResolvedAt ?? incident.LastSeenAt)} (lasted {Lasted(incident)})\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"Incident: {incident.Id}, {Link(incident.Id)}\n");
        if (evt == Opened)
        {
            text.Append(CultureInfo.InvariantCulture, $"\nAcknowledge it with POST {Link(incident.Id)}/ack; it resolves by itself when the cause clears.\n");
        }

        return text.ToString();
    }

    /// <summary>A webhook's JSON: the event, the incident's fields and a text for chat tools.</summary>
    public static JsonObject Body(Incident incident, string evt) => new()
    {
        ["event"] = "incident." + evt,
        ["incident"] = new JsonObject
        {
            ["id"] = incident.Id,
            ["rule"] = incident.Rule,
            ["kind"] = incident.Kind,
            ["key"] = incident.Key,
            ["subject"] = incident.Subject,
            ["summary"] = incident.Summary,
            ["detail"] = incident.Detail,
            ["opened_at"] = incident.OpenedAt.ToString("O", CultureInfo.InvariantCulture),
            ["resolved_at"] = incident.ResolvedAt?.ToString("O", CultureInfo.InvariantCulture),
            ["link"] = Link(incident.Id),
        },
        ["text"] = Chat(incident, evt),
    };

    /// <summary>How long an incident lasted (or has lasted so far), to the minute: <c>3h 12m</c>.</summary>
    public static string Lasted(Incident incident) => Span((incident.ResolvedAt ?? incident.LastSeenAt) - incident.OpenedAt);

    public static string Span(TimeSpan span)
    {
        if (span < TimeSpan.FromMinutes(1))
        {
            return $"{Math.Max(0, (int)span.TotalSeconds)}s";
        }

        var parts = new List<string>();
        if (span.Days > 0)
        {
            parts.Add($"{span.Days}d");
        }

        if (span.Hours > 0)
        {
            parts.Add($"{span.Hours}h");
        }

        if (span.Minutes > 0 && span.Days == 0)
        {
            parts.Add($"{span.Minutes}m");
        }

        return string.Join(' ', parts);
    }

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
