using System.Text.Json;
using Concord.Core.Records;
using Concord.Engine.Storage;
using Microsoft.Data.Sqlite;

namespace Concord.Storage.Sqlite;

public sealed partial class SqliteHubStore
{
    public async Task<GoldenRecord?> GetRecordAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = OpenRead();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT doc FROM records WHERE id = $id";
        Bind(command, "$id", id);
        return await command.ExecuteScalarAsync(cancellationToken) is string doc ? JsonSerializer.Deserialize<GoldenRecord>(doc, Json) : null;
    }

    public async Task<IReadOnlyList<RecordLink>> GetLinksAsync(string recordId, CancellationToken cancellationToken)
    {
        await using var connection = OpenRead();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT system, type, external_id, record_id, linked_at FROM links WHERE record_id = $r ORDER BY system, linked_at";
        Bind(command, "$r", recordId);
        var result = new List<RecordLink>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(new RecordLink(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), FromMs(reader.GetInt64(4))));
        }

        return result;
    }

    public async Task<IReadOnlyList<RecordEvent>> GetHistoryAsync(string recordId, int limit, CancellationToken cancellationToken)
    {
        await using var connection = OpenRead();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT record_id, type, version, at, kind, system, change_id, changes FROM events WHERE record_id = $r ORDER BY version DESC, seq DESC LIMIT $limit";
        Bind(command, "$r", recordId);
        Bind(command, "$limit", Math.Clamp(limit, 1, 1000));
        var result = new List<RecordEvent>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(new RecordEvent(reader.GetString(0), reader.GetString(1), reader.GetInt64(2), FromMs(reader.GetInt64(3)), reader.GetString(4),
                reader.GetString(5), reader.GetString(6), JsonSerializer.Deserialize<List<FieldChange>>(reader.GetString(7), Json) ?? []));
        }

        return result;
    }

    public async Task<IReadOnlyList<GoldenRecord>> SearchAsync(string type, string query, int limit, CancellationToken cancellationToken)
    {
        var q = query.Trim();
        var digits = RecordSearch.PhoneDigits(q);
        await using var connection = OpenRead();
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT doc FROM records WHERE type = $type AND deleted = 0 AND ($q = ''
                OR id = $q
                OR id IN (SELECT record_id FROM links WHERE external_id = $q)
                OR id IN (SELECT record_id FROM identity_keys WHERE type = $type AND value = $lower)
                OR search LIKE $like ESCAPE '\'{(digits is null ? "" : "\n                OR " + PhoneDigits("search") + " LIKE $digits")})
            ORDER BY updated_at DESC LIMIT $limit
            """;
        if (digits is not null)
        {
            Bind(command, "$digits", "%" + digits + "%");
        }

        Bind(command, "$type", type);
        Bind(command, "$q", q);
        Bind(command, "$lower", q.ToLowerInvariant());
        Bind(command, "$like", "%" + q.ToLowerInvariant().Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%");
        Bind(command, "$limit", Math.Clamp(limit, 1, 200));
        var result = new List<GoldenRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(JsonSerializer.Deserialize<GoldenRecord>(reader.GetString(0), Json)!);
        }

        return result;
    }

    /// <summary>
    /// The search column with the characters people put between a phone number's digits taken out, so
    /// "+1 (217) 555-0100" is found by "2175550100" whichever way either side was written.
    /// </summary>
    private static string PhoneDigits(string column)
    {
        var expression = column;
        foreach (var c in RecordSearch.PhoneSeparators)
        {
            expression = $"replace({expression}, '{c}', '')";
        }

        return expression;
    }

    /// <summary>How far back the log pages: each side reads offset + limit lines, so the offset is bounded.</summary>
    private const int MaxLogOffset = 10_000;

    public async Task<IReadOnlyList<LogEntry>> QueryLogAsync(LogQuery query, CancellationToken cancellationToken)
    {
        await using var connection = OpenRead();
        await using var command = connection.CreateCommand();
        var inbound = new List<string>();
        var outbound = new List<string>();
        var alerts = new List<string>();

        // One filter on the three sides a log line comes from (inbound changes, delivery attempts, alert notification
        // attempts); "0 = 1" where a side has no such lines.
        void Filter(object? value, string parameter, string onInbound, string onOutbound, string onAlerts)
        {
            if (value is null)
            {
                return;
            }

            inbound.Add(onInbound);
            outbound.Add(onOutbound);
            alerts.Add(onAlerts);
            Bind(command, parameter, value);
        }

        Filter(query.RecordId, "$record", "i.record_id = $record", "a.record_id = $record", "0 = 1");
        Filter(query.System, "$system", "i.system = $system", "a.system = $system", "n.via = $system");
        Filter(query.Since is { } since ? Ms(since) : null, "$since", "i.received_at >= $since", "a.started_at >= $since", "n.started_at >= $since");
        Filter(query.CorrelationId, "$corr", "i.change_id = $corr", "a.correlation_id = $corr", "n.incident_id = $corr");
        Filter(query.ExternalId, "$external",
            "(i.external_id = $external OR i.record_id IN (SELECT l.record_id FROM links l WHERE l.external_id = $external))",
            "a.record_id IN (SELECT l.record_id FROM links l WHERE l.external_id = $external)", "0 = 1");
        Filter(query.Flow, "$flow", "0 = 1", "a.correlation_id IN (SELECT r.id FROM flow_runs r WHERE r.flow = $flow)", "0 = 1");
        Filter(query.Until is { } until ? Ms(until) : null, "$until", "i.received_at < $until", "a.started_at < $until", "n.started_at < $until");
        Filter(query.DeliveryId, "$delivery", "0 = 1", "a.delivery_id = $delivery", "0 = 1");
        Filter(query.Result, "$result", "COALESCE(i.result, 'accepted') = $result", "a.result = $result", "n.result = $result");

        switch (query.Direction)
        {
            case "inbound":
                outbound.Add("0 = 1");
                alerts.Add("0 = 1");
                break;
            case "outbound":
                inbound.Add("0 = 1");
                break;
        }

        static string Where(List<string> c) => c.Count == 0 ? "" : "WHERE " + string.Join(" AND ", c);
        // Each side (inbound changes, delivery attempts, alert notification attempts) is cut to the page's end before they are merged. The inbox is read newest first
        // by its sequence, which is arrival order, so no index on the time is needed on the hot path.
        command.CommandText = $"""
            SELECT * FROM (
                SELECT * FROM (
                    SELECT 'inbound' AS direction, i.system, i.type, i.record_id, i.external_id, i.change_id AS correlation_id, i.change_id AS reference,
                           NULL AS attempt, i.received_at AS at, NULL AS duration_ms, COALESCE(i.result, 'accepted') AS result, NULL AS status_code,
                           i.payload, NULL AS response, i.error
                    FROM inbox i {Where(inbound)} ORDER BY i.seq DESC LIMIT $end)
                UNION ALL
                SELECT * FROM (
                    SELECT 'outbound', a.system, a.type, a.record_id,
                           (SELECT l.external_id FROM links l WHERE l.record_id = a.record_id AND l.system = a.system AND l.type = a.type ORDER BY l.linked_at LIMIT 1),
                           a.correlation_id, CAST(a.delivery_id AS TEXT),
                           a.attempt, a.started_at, a.duration_ms, a.result, a.status_code, d.payload, a.response, a.error
                    FROM attempts a LEFT JOIN deliveries d ON d.id = a.delivery_id {Where(outbound)} ORDER BY a.seq DESC LIMIT $end)
                UNION ALL
                SELECT * FROM (
                    SELECT 'outbound', n.via, NULL, NULL, NULL, n.incident_id, n.notification_id,
                           n.attempt, n.started_at, n.duration_ms, n.result, n.status_code, n.request, n.response, n.error
                    FROM notification_attempts n {Where(alerts)} ORDER BY n.seq DESC LIMIT $end)
            ) ORDER BY at DESC LIMIT $limit OFFSET $offset
            """;
        var limit = Math.Clamp(query.Limit, 1, 1000);
        var offset = Math.Clamp(query.Offset, 0, MaxLogOffset);
        Bind(command, "$limit", limit);
        Bind(command, "$offset", offset);
        Bind(command, "$end", limit + offset);
        var result = new List<LogEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(new LogEntry
            {
                Direction = reader.GetString(0),
                System = reader.GetString(1),
                Type = Str(reader, 2),
                RecordId = Str(reader, 3),
                ExternalId = Str(reader, 4),
                CorrelationId = reader.GetString(5),
                Reference = reader.GetString(6),
                Attempt = reader.IsDBNull(7) ? null : reader.GetInt32(7),
                At = FromMs(reader.GetInt64(8)),
                DurationMs = reader.IsDBNull(9) ? null : reader.GetDouble(9),
                Result = reader.GetString(10),
                ResponseStatus = reader.IsDBNull(11) ? null : reader.GetInt32(11),
                Payload = Str(reader, 12),
                ResponseBody = Str(reader, 13),
                Error = Str(reader, 14),
            });
        }

        return result;
    }

    public Task CreateApiKeyAsync(ApiKeyInfo key, CancellationToken cancellationToken) =>
        WriteAsync(w =>
        {
            var c = w.Command("INSERT INTO api_keys(id, name, hash, created_at) VALUES ($id, $name, $hash, $at)");
            Bind(c, "$id", key.Id);
            Bind(c, "$name", key.Name);
            Bind(c, "$hash", key.Hash);
            Bind(c, "$at", Ms(key.CreatedAt));
            return c.ExecuteNonQuery();
        }, cancellationToken);

    public async Task<ApiKeyInfo?> FindApiKeyAsync(string hash, CancellationToken cancellationToken)
    {
        await using var connection = OpenRead();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, name, hash, created_at, revoked_at FROM api_keys WHERE hash = $hash AND revoked_at IS NULL";
        Bind(command, "$hash", hash);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadKey(reader) : null;
    }

    public async Task<IReadOnlyList<ApiKeyInfo>> ListApiKeysAsync(CancellationToken cancellationToken)
    {
        await using var connection = OpenRead();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, name, hash, created_at, revoked_at FROM api_keys ORDER BY created_at, id";
        var result = new List<ApiKeyInfo>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(ReadKey(reader));
        }

        return result;
    }

    public Task<bool> RevokeApiKeyAsync(string id, DateTimeOffset at, CancellationToken cancellationToken) =>
        WriteAsync(w =>
        {
            var c = w.Command("UPDATE api_keys SET revoked_at = $at WHERE id = $id AND revoked_at IS NULL");
            Bind(c, "$at", Ms(at));
            Bind(c, "$id", id);
            return c.ExecuteNonQuery() == 1;
        }, cancellationToken);

    private static ApiKeyInfo ReadKey(SqliteDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetString(2), FromMs(r.GetInt64(3)), r.IsDBNull(4) ? null : FromMs(r.GetInt64(4)));

    private static string? Str(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);
}
