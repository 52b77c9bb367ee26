using System.Text.Json.Nodes;
using Concord.Engine.Hosting;
using Concord.Engine.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Concord.Server.Api;

/// <summary>Incidents the alert rules opened: what is wrong now, what was, who knows, and where each notification went.</summary>
internal static class IncidentEndpoints
{
    public static void MapIncidents(this RouteGroupBuilder api)
    {
        api.MapGet("/incidents", async (string? status, string? rule, string? since, string? limit, HubRuntime hub, CancellationToken ct) =>
        {
            if (!QueryArgs.TryLimit(limit, 100, 1000, out var max, out var bad) || !QueryArgs.TryTime("since", since, out var from, out bad))
            {
                return bad!;
            }

            IncidentStatus? wanted = status switch
            {
                null => null,
                "open" => IncidentStatus.Open,
                "acknowledged" => IncidentStatus.Acknowledged,
                "resolved" => IncidentStatus.Resolved,
                _ => (IncidentStatus)(-1),
            };
            if ((int?)wanted == -1)
            {
                return Problems.BadRequest("status", $"must be open, acknowledged or resolved, not '{status}'");
            }

            var found = await hub.Store.QueryIncidentsAsync(new IncidentQuery(wanted, rule, from, max), ct);
            return Results.Ok(found.Select(IncidentView.Of).ToList());
        })
        .WithName("QueryIncidents")
        .WithSummary("Incidents the alert rules opened, newest first; status open, acknowledged or resolved, rule, since (opened at or after)")
        .Produces<List<IncidentView>>()
        .Produces<ProblemBody>(StatusCodes.Status400BadRequest, "application/problem+json");

        api.MapGet("/incidents/{id}", async (string id, HubRuntime hub, CancellationToken ct) =>
            await ReadAsync(hub, id, ct) is { } detail ? Results.Ok(detail) : Problems.NotFound($"no incident {id}"))
        .WithName("GetIncident")
        .WithSummary("One incident with its notifications (opened and resolved, per channel) and every attempt to send them")
        .Produces<IncidentDetailView>()
        .Produces<ProblemBody>(StatusCodes.Status404NotFound, "application/problem+json");

        api.MapPost("/incidents/{id}/ack", async (string id, HttpRequest request, HttpContext http, HubRuntime hub, CancellationToken ct) =>
        {
            string? by = null;
            string? note = null;
            if (request.ContentLength is > 0 || request.Headers.TransferEncoding.Count > 0)
            {
                JsonNode? body;
                try
                {
                    body = await JsonNode.ParseAsync(request.Body, cancellationToken: ct);
                }
                catch (System.Text.Json.JsonException ex)
                {
                    return Problems.BadRequest("$", $"the body is not JSON: {ex.Message}");
                }

                if (body is not null and not JsonObject)
                {
                    return Problems.BadRequest("$", "the body must be a JSON object: {\"by\": \"…\", \"note\": \"…\"}");
                }

                if (!TryText(body, "by", out by, out var bad) || !TryText(body, "note", out note, out bad))
                {
                    return bad!;
                }
            }

            by ??= http.Items["concord.api_key"] as string ?? "api";
            var acknowledged = await hub.Store.AcknowledgeIncidentAsync(id, by, note, hub.Time.GetUtcNow(), ct);
            return acknowledged is null ? Problems.NotFound($"no incident {id}") : Results.Ok(IncidentView.Of(acknowledged));
        })
        .WithName("AcknowledgeIncident")
        .WithSummary("Acknowledge an incident ({by, note}; by defaults to the API key's name): someone is on it. It still resolves by itself when its cause clears; acknowledging again updates who and what")
        .Produces<IncidentView>()
        .Produces<ProblemBody>(StatusCodes.Status400BadRequest, "application/problem+json")
        .Produces<ProblemBody>(StatusCodes.Status404NotFound, "application/problem+json");
    }

    /// <summary>One incident with its notifications and their attempts, as the API and the dashboard show it; null when unknown.</summary>
    public static async Task<IncidentDetailView?> ReadAsync(HubRuntime hub, string id, CancellationToken ct)
    {
        if (await hub.Store.GetIncidentAsync(id, ct) is not { } incident)
        {
            return null;
        }

        var attempts = (await hub.Store.GetNotificationAttemptsAsync(id, ct)).ToLookup(a => a.NotificationId, StringComparer.Ordinal);
        var notifications = (await hub.Store.GetNotificationsAsync(id, ct)).Select(n => NotificationView.Of(n, attempts[n.Id])).ToList();
        return new IncidentDetailView(IncidentView.Of(incident), notifications);
    }

    /// <summary>A "by" or "note" as kept: none when empty, at most 2,000 characters.</summary>
    public static string? Text(string? text) => string.IsNullOrEmpty(text) ? null : text.Length > 2000 ? text[..2000] : text;

    private static bool TryText(JsonNode? body, string name, out string? value, out IResult? problem)
    {
        value = null;
        problem = null;
        switch (body?[name])
        {
            case null:
                return true;
            case JsonValue v when v.TryGetValue<string>(out var text):
                value = Text(text);
                return true;
            default:
                problem = Problems.BadRequest(name, "must be text");
                return false;
        }
    }
}

/// <summary>One incident as the API shows it.</summary>
public sealed record IncidentView(
    string Id,
    string Rule,
    string Kind,
    string Key,
    string Subject,
    string Summary,
    string? Detail,
    string Status,
    DateTimeOffset OpenedAt,
    DateTimeOffset LastSeenAt,
    DateTimeOffset? ResolvedAt,
    DateTimeOffset? AcknowledgedAt,
    string? AcknowledgedBy,
    string? AcknowledgementNote,
    string Link)
{
    public static IncidentView Of(Incident i) => new(i.Id, i.Rule, i.Kind, i.Key, i.Subject, i.Summary, i.Detail, i.Status.ToString().ToLowerInvariant(),
        i.OpenedAt, i.LastSeenAt, i.ResolvedAt, i.AcknowledgedAt, i.AcknowledgedBy, i.AcknowledgementNote, Engine.Alerts.AlertMessages.Link(i.Id));
}

/// <summary>An incident with its notifications.</summary>
public sealed record IncidentDetailView(IncidentView Incident, IReadOnlyList<NotificationView> Notifications);

/// <summary>One notification an incident owed a channel, and its attempts.</summary>
public sealed record NotificationView(
    string Id,
    string Event,
    string Channel,
    string Via,
    string Status,
    int Attempts,
    DateTimeOffset CreatedAt,
    DateTimeOffset NextAttemptAt,
    DateTimeOffset? SentAt,
    string? LastError,
    string IdempotencyKey,
    JsonNode? Message,
    IReadOnlyList<NotificationAttemptView> Log)
{
    public static NotificationView Of(AlertNotification n, IEnumerable<NotificationAttempt> attempts) => new(
        n.Id, n.Event, n.Channel, n.Via, n.Status.ToString().ToLowerInvariant(), n.Attempts, n.CreatedAt, n.NextAttemptAt, n.SentAt, n.LastError, n.IdempotencyKey,
        JsonNode.Parse(n.Args), attempts.Select(NotificationAttemptView.Of).ToList());
}

/// <summary>One attempt to send a notification.</summary>
public sealed record NotificationAttemptView(int Attempt, DateTimeOffset StartedAt, double DurationMs, string Result, int? ResponseStatus, string? Response, string? Error)
{
    public static NotificationAttemptView Of(NotificationAttempt a) => new(a.Attempt, a.StartedAt, a.Duration.TotalMilliseconds, a.Result, a.ResponseStatus, a.Response, a.Error);
}
