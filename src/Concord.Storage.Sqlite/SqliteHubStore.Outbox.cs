using Concord.Engine.Storage;
using Microsoft.Data.Sqlite;

namespace Concord.Storage.Sqlite;

public sealed partial class SqliteHubStore
{
    internal const string DeliveryColumnsSql = DeliveryColumns;

    private const string DeliveryColumns = """
        d.id, d.system, d.type, d.record_id, d.version, d.operation, d.payload, d.changed, d.idempotency_key, d.correlation_id,
        d.status, d.attempts, d.created_at, d.next_attempt_at, d.completed_at, d.last_error,
        (SELECT l.external_id FROM links l WHERE l.record_id = d.record_id AND l.system = d.system AND l.type = d.type ORDER BY l.linked_at LIMIT 1),
        d.replayed_by, d.replayed_at
        """;

    public async Task<IReadOnlyList<Delivery>> ClaimDueAsync(string system, DateTimeOffset now, int limit, IReadOnlyCollection<string> busyRecords, CancellationToken cancellationToken)
    {
        await using var connection = OpenRead();
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT {DeliveryColumns} FROM deliveries d
            WHERE d.system = $s AND d.status < 2 AND d.next_attempt_at <= $now
              AND NOT EXISTS (SELECT 1 FROM deliveries e WHERE e.system = d.system AND e.record_id = d.record_id AND e.status < 2 AND e.id < d.id)
            ORDER BY d.id LIMIT $limit
            """;
        Bind(command, "$s", system);
        Bind(command, "$now", Ms(now));
        Bind(command, "$limit", limit + busyRecords.Count);
        var busy = busyRecords as ISet<string> ?? busyRecords.ToHashSet(StringComparer.Ordinal);
        var result = new List<Delivery>(limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (result.Count < limit && await reader.ReadAsync(cancellationToken))
        {
            var d = ReadDelivery(reader);
            if (!busy.Contains(d.RecordId))
            {
                result.Add(d);
            }
        }

        return result;
    }

    public async Task<DateTimeOffset?> NextDueAtAsync(string system, CancellationToken cancellationToken)
    {
        await using var connection = OpenRead();
        await using var command = connection.CreateCommand();
        // Only the head of each record's queue can fall due; later ones wait for it.
        command.CommandText = """
            SELECT MIN(d.next_attempt_at) FROM deliveries d
            WHERE d.system = $s AND d.status < 2
              AND NOT EXISTS (SELECT 1 FROM deliveries e WHERE e.system = d.system AND e.record_id = d.record_id AND e.status < 2 AND e.id < d.id)
            """;
        Bind(command, "$s", system);
        return await command.ExecuteScalarAsync(cancellationToken) is long ms ? FromMs(ms) : null;
    }

    public Task CompleteAsync(IReadOnlyList<DeliveryOutcome> outcomes, CancellationToken cancellationToken) =>
        WriteAsync(w =>
        {
            foreach (var o in outcomes)
            {
                var update = w.Command("""
                    UPDATE deliveries SET status = $status, attempts = $attempt, next_attempt_at = COALESCE($next, next_attempt_at),
                        completed_at = $completed, last_error = $error
                    WHERE id = $id
                    """);
                Bind(update, "$status", (int)o.Status);
                Bind(update, "$attempt", o.Attempt);
                Bind(update, "$next", o.NextAttemptAt is { } next ? Ms(next) : null);
                Bind(update, "$completed", o.Status is DeliveryStatus.Succeeded or DeliveryStatus.Dead ? Ms(o.StartedAt + o.Duration) : null);
                Bind(update, "$error", o.Error);
                Bind(update, "$id", o.DeliveryId);
                update.ExecuteNonQuery();

                var log = w.Command("""
                    INSERT INTO attempts(delivery_id, system, type, record_id, correlation_id, attempt, started_at, duration_ms, result, status_code, response, error)
                    SELECT id, system, type, record_id, correlation_id, $attempt, $started, $duration, $result, $code, $response, $error FROM deliveries WHERE id = $id
                    """);
                Bind(log, "$attempt", o.Attempt);
                Bind(log, "$started", Ms(o.StartedAt));
                Bind(log, "$duration", o.Duration.TotalMilliseconds);
                Bind(log, "$result", o.Status switch { DeliveryStatus.Succeeded => "succeeded", DeliveryStatus.Dead => "dead", _ => "retrying" });
                Bind(log, "$code", o.ResponseStatus);
                Bind(log, "$response", o.ResponseBody);
                Bind(log, "$error", o.Error);
                Bind(log, "$id", o.DeliveryId);
                log.ExecuteNonQuery();

                // An id the system already gave another record is not moved silently: that is a
                // possible duplicate for identity resolution, not a link to overwrite.
                if (o.ExternalId is { Length: > 0 } externalId)
                {
                    var link = w.Command("""
                        INSERT INTO links(system, type, external_id, record_id, linked_at)
                        SELECT system, type, $e, record_id, $at FROM deliveries WHERE id = $id
                        ON CONFLICT(system, type, external_id) DO NOTHING
                        """);
                    Bind(link, "$e", externalId);
                    Bind(link, "$at", Ms(o.StartedAt));
                    Bind(link, "$id", o.DeliveryId);
                    link.ExecuteNonQuery();
                }
            }

            return true;
        }, cancellationToken);

    public async Task<Delivery?> GetDeliveryAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = OpenRead();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {DeliveryColumns} FROM deliveries d WHERE d.id = $id";
        Bind(command, "$id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadDelivery(reader) : null;
    }

    public async Task<IReadOnlyList<Delivery>> QueryDeliveriesAsync(DeliveryQuery query, CancellationToken cancellationToken)
    {
        await using var connection = OpenRead();
        await using var command = connection.CreateCommand();
        var where = new List<string>();
        if (query.Status is { } status)
        {
            where.Add("d.status = $status");
            Bind(command, "$status", (int)status);
        }

        if (query.System is { } system)
        {
            where.Add("d.system = $system");
            Bind(command, "$system", system);
        }

        if (query.RecordId is { } record)
        {
            where.Add("d.record_id = $record");
            Bind(command, "$record", record);
        }

        if (query.ExternalId is { } externalId)
        {
            where.Add("d.record_id IN (SELECT l.record_id FROM links l WHERE l.external_id = $external)");
            Bind(command, "$external", externalId);
        }

        if (query.Flow is { } flow)
        {
            where.Add("d.correlation_id IN (SELECT r.id FROM flow_runs r WHERE r.flow = $flow)");
            Bind(command, "$flow", flow);
        }

        if (query.From is { } from)
        {
            where.Add("d.created_at >= $from");
            Bind(command, "$from", Ms(from));
        }

        if (query.Until is { } until)
        {
            where.Add("d.created_at < $until");
            Bind(command, "$until", Ms(until));
        }

        if (query.Before is { } before)
        {
            where.Add("d.id < $before");
            Bind(command, "$before", before);
        }

        command.CommandText = $"SELECT {DeliveryColumns} FROM deliveries d {(where.Count > 0 ? "WHERE " + string.Join(" AND ", where) : "")} ORDER BY d.id DESC LIMIT $limit";
        Bind(command, "$limit", Math.Clamp(query.Limit, 1, 1000));
        var result = new List<Delivery>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(ReadDelivery(reader));
        }

        return result;
    }

    public Task<bool> RequeueAsync(long id, string payload, string idempotencyKey, DateTimeOffset now, string by, CancellationToken cancellationToken) =>
        WriteAsync(w =>
        {
            var c = w.Command("""
                UPDATE deliveries SET status = 0, attempts = 0, payload = $p, idempotency_key = $k, next_attempt_at = $now,
                    completed_at = NULL, last_error = NULL, replayed_by = $by, replayed_at = $now
                WHERE id = $id AND status = 3
                """);
            Bind(c, "$p", payload);
            Bind(c, "$k", idempotencyKey);
            Bind(c, "$by", by);
            Bind(c, "$now", Ms(now));
            Bind(c, "$id", id);
            return c.ExecuteNonQuery() == 1;
        }, cancellationToken);

    internal static Delivery ReadDeliveryRow(SqliteDataReader r) => ReadDelivery(r);

    private static Delivery ReadDelivery(SqliteDataReader r) => new()
    {
        Id = r.GetInt64(0),
        System = r.GetString(1),
        Type = r.GetString(2),
        RecordId = r.GetString(3),
        Version = r.GetInt64(4),
        Operation = r.GetString(5),
        Payload = r.GetString(6),
        Changed = r.GetString(7),
        IdempotencyKey = r.GetString(8),
        CorrelationId = r.GetString(9),
        Status = StatusOf(r.GetInt32(10)),
        Attempts = r.GetInt32(11),
        CreatedAt = FromMs(r.GetInt64(12)),
        NextAttemptAt = FromMs(r.GetInt64(13)),
        CompletedAt = r.IsDBNull(14) ? null : FromMs(r.GetInt64(14)),
        LastError = r.IsDBNull(15) ? null : r.GetString(15),
        ExternalId = r.IsDBNull(16) ? null : r.GetString(16),
        ReplayedBy = r.IsDBNull(17) ? null : r.GetString(17),
        ReplayedAt = r.IsDBNull(18) ? null : FromMs(r.GetInt64(18)),
    };

    /// <summary>Stored as 0 pending, 1 retrying, 2 succeeded, 3 dead: "open" is status &lt; 2.</summary>
    private static DeliveryStatus StatusOf(int value) => value switch
    {
        0 => DeliveryStatus.Pending,
        1 => DeliveryStatus.Retrying,
        2 => DeliveryStatus.Succeeded,
        _ => DeliveryStatus.Dead,
    };
}
