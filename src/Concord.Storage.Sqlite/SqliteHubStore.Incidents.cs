using Concord.Engine.Storage;
using Microsoft.Data.Sqlite;

namespace Concord.Storage.Sqlite;

/// <summary>
/// Incidents and their notification outbox. An incident and the notifications it owes are written in
/// one transaction, so a crash can neither lose a notification nor leave one without its incident.
/// </summary>
public sealed partial class SqliteHubStore
{
    private const string IncidentColumns = """
        id, rule, kind, key, subject, summary, detail, status, opened_at, last_seen_at, resolved_at,
        acknowledged_at, acknowledged_by, acknowledgement_note, misses
        """;

    private const string NotificationColumns = """
        id, incident_id, event, channel, via, args, idempotency_key, status, attempts, created_at, next_attempt_at, sent_at, last_error
        """;

    public async Task<IReadOnlyList<Incident>> GetUnresolvedIncidentsAsync(CancellationToken cancellationToken)
    {
        await using var connection = OpenRead();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {IncidentColumns} FROM incidents WHERE resolved_at IS NULL ORDER BY opened_at, id";
        return await ReadIncidentsAsync(command, cancellationToken);
    }

    public Task<bool> OpenIncidentAsync(Incident incident, IReadOnlyList<AlertNotification> notifications, CancellationToken cancellationToken) =>
        WriteAsync(w =>
        {
            var c = w.Command($"""
                INSERT INTO incidents({IncidentColumns})
                VALUES ($id, $rule, $kind, $key, $subject, $summary, $detail, $status, $opened, $seen, NULL, NULL, NULL, NULL, 0)
                ON CONFLICT DO NOTHING
                """);
            Bind(c, "$id", incident.Id);
            Bind(c, "$rule", incident.Rule);
            Bind(c, "$kind", incident.Kind);
            Bind(c, "$key", incident.Key);
            Bind(c, "$subject", incident.Subject);
            Bind(c, "$summary", incident.Summary);
            Bind(c, "$detail", incident.Detail);
            Bind(c, "$status", (int)IncidentStatus.Open);
            Bind(c, "$opened", Ms(incident.OpenedAt));
            Bind(c, "$seen", Ms(incident.LastSeenAt));
            if (c.ExecuteNonQuery() == 0)
            {
                return false;
            }

            InsertNotifications(w, notifications);
            return true;
        }, cancellationToken);

    public Task<IReadOnlyList<Incident>> RecordSightingsAsync(IReadOnlyList<IncidentSighting> sightings, CancellationToken cancellationToken) =>
        WriteAsync<IReadOnlyList<Incident>>(w =>
        {
            var result = new List<Incident>(sightings.Count);
            foreach (var s in sightings)
            {
                SqliteCommand c;
                if (s.Cause is { } cause)
                {
                    c = w.Command("""
                        UPDATE incidents SET last_seen_at = $at, misses = 0, subject = $subject, summary = $summary, detail = $detail
                        WHERE id = $id AND resolved_at IS NULL
                        """);
                    Bind(c, "$subject", cause.Subject);
                    Bind(c, "$summary", cause.Summary);
                    Bind(c, "$detail", cause.Detail);
                    Bind(c, "$at", Ms(s.At));
                }
                else
                {
                    c = w.Command("UPDATE incidents SET misses = misses + 1 WHERE id = $id AND resolved_at IS NULL");
                }

                Bind(c, "$id", s.IncidentId);
                c.ExecuteNonQuery();
                if (LoadIncident(w, s.IncidentId) is { } now)
                {
                    result.Add(now);
                }
            }

            return result;
        }, cancellationToken);

    public Task<bool> ResolveIncidentAsync(string id, DateTimeOffset at, IReadOnlyList<AlertNotification> notifications, CancellationToken cancellationToken) =>
        WriteAsync(w =>
        {
            var c = w.Command("UPDATE incidents SET status = $status, resolved_at = $at WHERE id = $id AND resolved_at IS NULL");
            Bind(c, "$status", (int)IncidentStatus.Resolved);
            Bind(c, "$at", Ms(at));
            Bind(c, "$id", id);
            if (c.ExecuteNonQuery() == 0)
            {
                return false;
            }

            InsertNotifications(w, notifications);
            return true;
        }, cancellationToken);

    public Task<Incident?> AcknowledgeIncidentAsync(string id, string by, string? note, DateTimeOffset at, CancellationToken cancellationToken) =>
        WriteAsync(w =>
        {
            var c = w.Command("""
                UPDATE incidents SET acknowledged_at = $at, acknowledged_by = $by, acknowledgement_note = $note,
                    status = CASE WHEN resolved_at IS NULL THEN $ack ELSE status END
                WHERE id = $id
                """);
            Bind(c, "$at", Ms(at));
            Bind(c, "$by", by);
            Bind(c, "$note", note);
            Bind(c, "$ack", (int)IncidentStatus.Acknowledged);
            Bind(c, "$id", id);
            return c.ExecuteNonQuery() == 0 ? null : LoadIncident(w, id);
        }, cancellationToken);

    public async Task<Incident?> GetIncidentAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = OpenRead();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {IncidentColumns} FROM incidents WHERE id = $id";
        Bind(command, "$id", id);
        return (await ReadIncidentsAsync(command, cancellationToken)).FirstOrDefault();
    }

    public async Task<IReadOnlyList<Incident>> QueryIncidentsAsync(IncidentQuery query, CancellationToken cancellationToken)
    {
        await using var connection = OpenRead();
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT {IncidentColumns} FROM incidents
            WHERE ($status IS NULL OR status = $status) AND ($rule IS NULL OR rule = $rule) AND ($since IS NULL OR opened_at >= $since)
            ORDER BY opened_at DESC, id DESC LIMIT $limit
            """;
        Bind(command, "$status", query.Status is { } status ? (int)status : null);
        Bind(command, "$rule", query.Rule);
        Bind(command, "$since", query.Since is { } since ? Ms(since) : null);
        Bind(command, "$limit", Math.Clamp(query.Limit, 1, 1000));
        return await ReadIncidentsAsync(command, cancellationToken);
    }

    public async Task<IReadOnlyList<AlertNotification>> GetNotificationsAsync(string incidentId, CancellationToken cancellationToken)
    {
        await using var connection = OpenRead();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {NotificationColumns} FROM notifications WHERE incident_id = $id ORDER BY seq";
        Bind(command, "$id", incidentId);
        return await ReadNotificationsAsync(command, cancellationToken);
    }

    public async Task<IReadOnlyList<NotificationAttempt>> GetNotificationAttemptsAsync(string incidentId, CancellationToken cancellationToken)
    {
        await using var connection = OpenRead();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT notification_id, attempt, started_at, duration_ms, result, status_code, request, response, error
            FROM notification_attempts WHERE incident_id = $id ORDER BY seq
            """;
        Bind(command, "$id", incidentId);
        var result = new List<NotificationAttempt>();
        await using var r = await command.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken))
        {
            result.Add(new NotificationAttempt(r.GetString(0), r.GetInt32(1), FromMs(r.GetInt64(2)), TimeSpan.FromMilliseconds(r.GetDouble(3)), r.GetString(4),
                r.IsDBNull(5) ? null : r.GetInt32(5), Str(r, 6), Str(r, 7), Str(r, 8)));
        }

        return result;
    }

    public async Task<IReadOnlyList<AlertNotification>> ClaimDueNotificationsAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        await using var connection = OpenRead();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {NotificationColumns} FROM notifications WHERE status < 2 AND next_attempt_at <= $now ORDER BY seq LIMIT $limit";
        Bind(command, "$now", Ms(now));
        Bind(command, "$limit", Math.Clamp(limit, 1, 1000));
        return await ReadNotificationsAsync(command, cancellationToken);
    }

    public async Task<DateTimeOffset?> NextNotificationDueAtAsync(CancellationToken cancellationToken)
    {
        await using var connection = OpenRead();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT MIN(next_attempt_at) FROM notifications WHERE status < 2";
        return await command.ExecuteScalarAsync(cancellationToken) is long ms ? FromMs(ms) : null;
    }

    public Task CompleteNotificationAsync(NotificationOutcome outcome, CancellationToken cancellationToken) =>
        WriteAsync(w =>
        {
            var a = outcome.Attempt;
            var update = w.Command("""
                UPDATE notifications SET status = $status, attempts = $attempt, next_attempt_at = COALESCE($next, next_attempt_at),
                    sent_at = $done, last_error = $error
                WHERE id = $id
                """);
            Bind(update, "$status", (int)outcome.Status);
            Bind(update, "$attempt", a.Attempt);
            Bind(update, "$next", outcome.NextAttemptAt is { } next ? Ms(next) : null);
            Bind(update, "$done", outcome.Status is NotificationStatus.Sent or NotificationStatus.Dead ? Ms(a.StartedAt + a.Duration) : null);
            Bind(update, "$error", a.Error);
            Bind(update, "$id", a.NotificationId);
            update.ExecuteNonQuery();

            var log = w.Command("""
                INSERT INTO notification_attempts(notification_id, incident_id, via, attempt, started_at, duration_ms, result, status_code, request, response, error)
                SELECT id, incident_id, via, $attempt, $started, $duration, $result, $code, COALESCE($request, args), $response, $error FROM notifications WHERE id = $id
                """);
            Bind(log, "$attempt", a.Attempt);
            Bind(log, "$started", Ms(a.StartedAt));
            Bind(log, "$duration", a.Duration.TotalMilliseconds);
            Bind(log, "$result", a.Result);
            Bind(log, "$code", a.ResponseStatus);
            Bind(log, "$request", a.Request);
            Bind(log, "$response", a.Response);
            Bind(log, "$error", a.Error);
            Bind(log, "$id", a.NotificationId);
            log.ExecuteNonQuery();
            return true;
        }, cancellationToken);

    private static void InsertNotifications(SqliteWriter w, IReadOnlyList<AlertNotification> notifications)
    {
        foreach (var n in notifications)
        {
            // The key is unique: an event already owed to a channel is not owed twice.
            var c = w.Command($"""
                INSERT INTO notifications({NotificationColumns})
                VALUES ($id, $incident, $event, $channel, $via, $args, $key, $status, 0, $created, $next, NULL, NULL)
                ON CONFLICT(idempotency_key) DO NOTHING
                """);
            Bind(c, "$id", n.Id);
            Bind(c, "$incident", n.IncidentId);
            Bind(c, "$event", n.Event);
            Bind(c, "$channel", n.Channel);
            Bind(c, "$via", n.Via);
            Bind(c, "$args", n.Args);
            Bind(c, "$key", n.IdempotencyKey);
            Bind(c, "$status", (int)NotificationStatus.Pending);
            Bind(c, "$created", Ms(n.CreatedAt));
            Bind(c, "$next", Ms(n.NextAttemptAt));
            c.ExecuteNonQuery();
        }
    }

    private static Incident? LoadIncident(SqliteWriter w, string id)
    {
        var c = w.Command($"SELECT {IncidentColumns} FROM incidents WHERE id = $id");
        Bind(c, "$id", id);
        using var r = c.ExecuteReader();
        return r.Read() ? ReadIncident(r) : null;
    }

    private static async Task<IReadOnlyList<Incident>> ReadIncidentsAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        var result = new List<Incident>();
        await using var r = await command.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken))
        {
            result.Add(ReadIncident(r));
        }

        return result;
    }

    private static Incident ReadIncident(SqliteDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5), Str(r, 6),
        (IncidentStatus)r.GetInt32(7), FromMs(r.GetInt64(8)), FromMs(r.GetInt64(9)),
        r.IsDBNull(10) ? null : FromMs(r.GetInt64(10)), r.IsDBNull(11) ? null : FromMs(r.GetInt64(11)), Str(r, 12), Str(r, 13), r.GetInt32(14));

    private static async Task<IReadOnlyList<AlertNotification>> ReadNotificationsAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        var result = new List<AlertNotification>();
        await using var r = await command.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken))
        {
            result.Add(new AlertNotification(
                r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5), r.GetString(6),
                (NotificationStatus)r.GetInt32(7), r.GetInt32(8), FromMs(r.GetInt64(9)), FromMs(r.GetInt64(10)),
                r.IsDBNull(11) ? null : FromMs(r.GetInt64(11)), Str(r, 12)));
        }

        return result;
    }
}
