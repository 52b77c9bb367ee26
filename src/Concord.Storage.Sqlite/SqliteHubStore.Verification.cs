using System.Text.Json;
using Concord.Core.Records;
using Concord.Engine.Storage;
using Microsoft.Data.Sqlite;

namespace Concord.Storage.Sqlite;

public sealed partial class SqliteHubStore
{
    /// <summary>Runs kept per sync: enough history for the map's trend, bounded however often checks run.</summary>
    private const int RunsKeptPerSync = 200;

    public async Task<IReadOnlyList<SyncVerification>> GetVerificationsAsync(CancellationToken cancellationToken)
    {
        await using var connection = OpenRead();
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT {RunColumns} FROM verify_runs v
            WHERE id = (SELECT MAX(id) FROM verify_runs w WHERE w.system = v.system AND w.type = v.type)
            ORDER BY system, type
            """;
        return await ReadRunsAsync(command, cancellationToken);
    }

    public async Task<SyncVerification?> GetVerificationAsync(string system, string type, CancellationToken cancellationToken)
    {
        await using var connection = OpenRead();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {RunColumns} FROM verify_runs WHERE system = $s AND type = $t ORDER BY id DESC LIMIT 1";
        Bind(command, "$s", system);
        Bind(command, "$t", type);
        return (await ReadRunsAsync(command, cancellationToken)).FirstOrDefault();
    }

    public async Task<IReadOnlyList<DriftRecord>> GetDriftAsync(string system, string type, int limit, CancellationToken cancellationToken)
    {
        await using var connection = OpenRead();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT kind, external_id, record_id, fields FROM verify_drift
            WHERE run_id = (SELECT MAX(id) FROM verify_runs WHERE system = $s AND type = $t)
            ORDER BY seq LIMIT $limit
            """;
        Bind(command, "$s", system);
        Bind(command, "$t", type);
        Bind(command, "$limit", Math.Max(1, limit));
        var result = new List<DriftRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(new DriftRecord((DriftKind)reader.GetInt32(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                JsonSerializer.Deserialize<List<FieldDrift>>(reader.GetString(3), Json) ?? []));
        }

        return result;
    }

    public Task SaveVerificationAsync(SyncVerification verification, IReadOnlyList<DriftRecord> drift, CancellationToken cancellationToken) =>
        WriteAsync(w =>
        {
            // Only the latest run's drift is read; older drift would grow the file with every check.
            var clear = w.Command("DELETE FROM verify_drift WHERE run_id IN (SELECT id FROM verify_runs WHERE system = $s AND type = $t)");
            Bind(clear, "$s", verification.System);
            Bind(clear, "$t", verification.Type);
            clear.ExecuteNonQuery();

            var run = w.Command("""
                INSERT INTO verify_runs(system, type, verified_at, hub_count, system_count, compared, drifted, error)
                VALUES ($s, $t, $at, $hub, $sys, $compared, $drifted, $error) RETURNING id
                """);
            Bind(run, "$s", verification.System);
            Bind(run, "$t", verification.Type);
            Bind(run, "$at", Ms(verification.VerifiedAt));
            Bind(run, "$hub", verification.HubCount);
            Bind(run, "$sys", verification.SystemCount);
            Bind(run, "$compared", verification.Compared);
            Bind(run, "$drifted", verification.Drifted);
            Bind(run, "$error", verification.Error);
            var id = (long)run.ExecuteScalar()!;

            var seq = 0;
            foreach (var d in drift)
            {
                var put = w.Command("INSERT INTO verify_drift(run_id, seq, kind, external_id, record_id, fields) VALUES ($run, $seq, $kind, $ext, $rec, $fields)");
                Bind(put, "$run", id);
                Bind(put, "$seq", seq++);
                Bind(put, "$kind", (int)d.Kind);
                Bind(put, "$ext", d.ExternalId);
                Bind(put, "$rec", d.RecordId);
                Bind(put, "$fields", JsonSerializer.Serialize(d.Fields, Json));
                put.ExecuteNonQuery();
            }

            var prune = w.Command("DELETE FROM verify_runs WHERE system = $s AND type = $t AND id <= $id - $keep");
            Bind(prune, "$s", verification.System);
            Bind(prune, "$t", verification.Type);
            Bind(prune, "$id", id);
            Bind(prune, "$keep", RunsKeptPerSync);
            prune.ExecuteNonQuery();
            return true;
        }, cancellationToken);

    public async Task<long> CountLinkedAsync(string system, string type, CancellationToken cancellationToken)
    {
        await using var connection = OpenRead();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT COUNT(*) FROM links l JOIN records r ON r.id = l.record_id
            WHERE l.system = $s AND l.type = $t AND r.deleted = 0
            """;
        Bind(command, "$s", system);
        Bind(command, "$t", type);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<IReadOnlyList<LinkedRecord>> GetLinkedAsync(string system, string type, IReadOnlyCollection<string> externalIds, CancellationToken cancellationToken)
    {
        if (externalIds.Count == 0)
        {
            return [];
        }

        await using var connection = OpenRead();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT l.external_id, r.doc FROM links l JOIN records r ON r.id = l.record_id
            WHERE l.system = $s AND l.type = $t AND r.deleted = 0 AND l.external_id IN (SELECT value FROM json_each($ids))
            """;
        Bind(command, "$s", system);
        Bind(command, "$t", type);
        Bind(command, "$ids", JsonSerializer.Serialize(externalIds));
        return await ReadLinkedAsync(command, cancellationToken);
    }

    public Task ClearSeenAsync(string system, string type, CancellationToken cancellationToken) =>
        WriteAsync(w =>
        {
            var clear = w.Command("DELETE FROM verify_seen WHERE system = $s AND type = $t");
            Bind(clear, "$s", system);
            Bind(clear, "$t", type);
            clear.ExecuteNonQuery();
            return true;
        }, cancellationToken);

    public Task MarkSeenAsync(string system, string type, IReadOnlyCollection<string> externalIds, CancellationToken cancellationToken) =>
        WriteAsync(w =>
        {
            var mark = w.Command("INSERT OR IGNORE INTO verify_seen(system, type, external_id) SELECT $s, $t, value FROM json_each($ids)");
            Bind(mark, "$s", system);
            Bind(mark, "$t", type);
            Bind(mark, "$ids", JsonSerializer.Serialize(externalIds));
            mark.ExecuteNonQuery();
            return true;
        }, cancellationToken);

    public async Task<IReadOnlyList<LinkedRecord>> GetUnseenAsync(string system, string type, string? afterExternalId, int limit, CancellationToken cancellationToken)
    {
        await using var connection = OpenRead();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT l.external_id, r.doc FROM links l JOIN records r ON r.id = l.record_id
            WHERE l.system = $s AND l.type = $t AND r.deleted = 0 AND l.external_id > $after
              AND NOT EXISTS (SELECT 1 FROM verify_seen v WHERE v.system = l.system AND v.type = l.type AND v.external_id = l.external_id)
            ORDER BY l.external_id LIMIT $limit
            """;
        Bind(command, "$s", system);
        Bind(command, "$t", type);
        Bind(command, "$after", afterExternalId ?? "");
        Bind(command, "$limit", Math.Max(1, limit));
        return await ReadLinkedAsync(command, cancellationToken);
    }

    public async Task<IReadOnlySet<string>> WithOpenDeliveriesAsync(string system, IReadOnlyCollection<string> recordIds, CancellationToken cancellationToken)
    {
        var result = new HashSet<string>(StringComparer.Ordinal);
        if (recordIds.Count == 0)
        {
            return result;
        }

        await using var connection = OpenRead();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT DISTINCT record_id FROM deliveries WHERE system = $s AND status < 2 AND record_id IN (SELECT value FROM json_each($ids))";
        Bind(command, "$s", system);
        Bind(command, "$ids", JsonSerializer.Serialize(recordIds));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(reader.GetString(0));
        }

        return result;
    }

    public Task RequestVerificationAsync(VerificationRequest request, CancellationToken cancellationToken) =>
        WriteAsync(w =>
        {
            var put = w.Command("""
                INSERT INTO verify_requests(system, type, repair, requested_at) VALUES ($s, $t, $repair, $at)
                ON CONFLICT(system, type) DO UPDATE SET repair = MAX(repair, excluded.repair), requested_at = excluded.requested_at
                """);
            Bind(put, "$s", request.System);
            Bind(put, "$t", request.Type);
            Bind(put, "$repair", request.Repair ? 1 : 0);
            Bind(put, "$at", Ms(request.RequestedAt));
            put.ExecuteNonQuery();
            return true;
        }, cancellationToken);

    public async Task<IReadOnlyList<VerificationRequest>> TakeVerificationRequestsAsync(CancellationToken cancellationToken)
    {
        // Asked every second by the running hub: a read finds that nothing waits without a write.
        await using (var connection = OpenRead())
        await using (var any = connection.CreateCommand())
        {
            any.CommandText = "SELECT EXISTS (SELECT 1 FROM verify_requests)";
            if ((long)(await any.ExecuteScalarAsync(cancellationToken))! == 0)
            {
                return [];
            }
        }

        return await WriteAsync<IReadOnlyList<VerificationRequest>>(w =>
        {
            var take = w.Command("DELETE FROM verify_requests RETURNING system, type, repair, requested_at");
            var result = new List<VerificationRequest>();
            using (var reader = take.ExecuteReader())
            {
                while (reader.Read())
                {
                    result.Add(new VerificationRequest(reader.GetString(0), reader.GetString(1), reader.GetInt64(2) != 0, FromMs(reader.GetInt64(3))));
                }
            }

            return result.OrderBy(r => r.RequestedAt).ToList();
        }, cancellationToken);
    }

    private const string RunColumns = "system, type, verified_at, hub_count, system_count, compared, drifted, error";

    private static async Task<IReadOnlyList<SyncVerification>> ReadRunsAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        var result = new List<SyncVerification>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(new SyncVerification(reader.GetString(0), reader.GetString(1), FromMs(reader.GetInt64(2)), reader.GetInt64(3), reader.GetInt64(4),
                reader.GetInt64(5), reader.GetInt64(6), reader.IsDBNull(7) ? null : reader.GetString(7)));
        }

        return result;
    }

    private static async Task<IReadOnlyList<LinkedRecord>> ReadLinkedAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        var result = new List<LinkedRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(new LinkedRecord(reader.GetString(0), JsonSerializer.Deserialize<GoldenRecord>(reader.GetString(1), Json)!));
        }

        return result;
    }
}
