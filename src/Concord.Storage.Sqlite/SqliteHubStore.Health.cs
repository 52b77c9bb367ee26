using Concord.Engine.Storage;

namespace Concord.Storage.Sqlite;

public sealed partial class SqliteHubStore
{
    public async Task<IReadOnlyList<DeliveryLagHour>> GetDeliveryLagAsync(DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken)
    {
        await using var connection = OpenRead();
        await using var c = connection.CreateCommand();
        // Succeeded deliveries only (the status index narrows the scan to them); the hour is the one they completed in.
        c.CommandText = """
            SELECT system, completed_at / $hour * $hour AS h, COUNT(*), AVG(completed_at - created_at), MAX(completed_at - created_at)
            FROM deliveries WHERE status = 2 AND completed_at >= $from AND completed_at < $to
            GROUP BY system, h ORDER BY system, h
            """;
        Bind(c, "$hour", HourMs);
        Bind(c, "$from", Ms(since) / HourMs * HourMs);
        Bind(c, "$to", Ms(until));
        var result = new List<DeliveryLagHour>();
        await using var r = await c.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken))
        {
            result.Add(new DeliveryLagHour(r.GetString(0), FromMs(r.GetInt64(1)), r.GetInt64(2),
                TimeSpan.FromMilliseconds(Math.Max(0, r.GetDouble(3))), TimeSpan.FromMilliseconds(Math.Max(0, r.GetInt64(4)))));
        }

        return result;
    }

    public async Task<HealthSnapshot> GetHealthAsync(DateTimeOffset now, TimeSpan window, CancellationToken cancellationToken)
    {
        await using var connection = OpenRead();
        await using var tx = connection.BeginTransaction();
        var byType = new Dictionary<string, long>(StringComparer.Ordinal);
        long conflicts = 0;
        await using (var c = connection.CreateCommand())
        {
            c.Transaction = tx;
            c.CommandText = "SELECT type, COUNT(*), SUM(conflicts) FROM records WHERE deleted = 0 GROUP BY type";
            await using var r = await c.ExecuteReaderAsync(cancellationToken);
            while (await r.ReadAsync(cancellationToken))
            {
                byType[r.GetString(0)] = r.GetInt64(1);
                conflicts += r.IsDBNull(2) ? 0 : r.GetInt64(2);
            }
        }

        long backlog;
        await using (var c = connection.CreateCommand())
        {
            c.Transaction = tx;
            c.CommandText = "SELECT COUNT(*) FROM inbox WHERE processed_at IS NULL";
            backlog = (long)(await c.ExecuteScalarAsync(cancellationToken))!;
        }

        var systems = new Dictionary<string, (long Pending, long Retrying, long Dead, long Attempts, long Failed, long? Oldest)>(StringComparer.Ordinal);
        await using (var c = connection.CreateCommand())
        {
            c.Transaction = tx;
            c.CommandText = """
                SELECT system, SUM(status = 0), SUM(status = 1), MIN(created_at) FROM deliveries WHERE status < 2 GROUP BY system
                """;
            await using var r = await c.ExecuteReaderAsync(cancellationToken);
            while (await r.ReadAsync(cancellationToken))
            {
                var s = systems.GetValueOrDefault(r.GetString(0));
                systems[r.GetString(0)] = s with { Pending = r.GetInt64(1), Retrying = r.GetInt64(2), Oldest = r.GetInt64(3) };
            }
        }

        await using (var c = connection.CreateCommand())
        {
            c.Transaction = tx;
            c.CommandText = "SELECT system, COUNT(*) FROM deliveries WHERE status = 3 GROUP BY system";
            await using var r = await c.ExecuteReaderAsync(cancellationToken);
            while (await r.ReadAsync(cancellationToken))
            {
                var s = systems.GetValueOrDefault(r.GetString(0));
                systems[r.GetString(0)] = s with { Dead = r.GetInt64(1) };
            }
        }

        await using (var c = connection.CreateCommand())
        {
            c.Transaction = tx;
            c.CommandText = "SELECT system, COUNT(*), SUM(result <> 'succeeded') FROM attempts WHERE started_at >= $since GROUP BY system";
            Bind(c, "$since", Ms(now - window));
            await using var r = await c.ExecuteReaderAsync(cancellationToken);
            while (await r.ReadAsync(cancellationToken))
            {
                var s = systems.GetValueOrDefault(r.GetString(0));
                systems[r.GetString(0)] = s with { Attempts = r.GetInt64(1), Failed = r.GetInt64(2) };
            }
        }

        TimeSpan? Age(long? oldest) => oldest is { } ms ? now - FromMs(ms) : null;
        var perSystem = systems.OrderBy(s => s.Key, StringComparer.Ordinal)
            .Select(s => new SystemHealth(s.Key, s.Value.Pending, s.Value.Retrying, s.Value.Dead, s.Value.Attempts, s.Value.Failed, Age(s.Value.Oldest)))
            .ToList();
        return new HealthSnapshot
        {
            RecordsByType = byType,
            Conflicts = conflicts,
            InboxBacklog = backlog,
            DeliveriesPending = perSystem.Sum(s => s.Pending),
            DeliveriesRetrying = perSystem.Sum(s => s.Retrying),
            DeliveriesDead = perSystem.Sum(s => s.Dead),
            AttemptsInWindow = perSystem.Sum(s => s.AttemptsInWindow),
            FailedAttemptsInWindow = perSystem.Sum(s => s.FailedInWindow),
            OldestPendingAge = perSystem.Select(s => s.OldestPendingAge).Where(a => a is not null).DefaultIfEmpty(null).Max(),
            Systems = perSystem,
        };
    }

    public async Task<IReadOnlyList<SystemActivity>> GetSystemActivityAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var connection = OpenRead();
        await using var tx = connection.BeginTransaction();
        var systems = new SortedDictionary<string, SystemActivity>(StringComparer.Ordinal);
        SystemActivity Of(string system) => systems.TryGetValue(system, out var a) ? a : new SystemActivity(system, null, null, 0, 0);
        var queries = new (string Sql, Func<SystemActivity, Microsoft.Data.Sqlite.SqliteDataReader, SystemActivity> Apply)[]
        {
            ("SELECT system, MAX(received_at) FROM inbox GROUP BY system", (a, r) => a with { LastInboundAt = FromMs(r.GetInt64(1)) }),
            ("SELECT system, MAX(completed_at) FROM deliveries WHERE status = 2 AND completed_at IS NOT NULL GROUP BY system", (a, r) => a with { LastDeliveredAt = FromMs(r.GetInt64(1)) }),
            ("SELECT system, COUNT(*) FROM deliveries WHERE status = 3 AND completed_at >= $since GROUP BY system", (a, r) => a with { DeadSince = r.GetInt64(1) }),
            ("SELECT system, COUNT(*) FROM attempts WHERE result <> 'succeeded' AND started_at >= $since GROUP BY system", (a, r) => a with { FailedSince = r.GetInt64(1) }),
        };
        foreach (var (sql, apply) in queries)
        {
            await using var c = connection.CreateCommand();
            c.Transaction = tx;
            c.CommandText = sql;
            Bind(c, "$since", Ms(since));
            await using var r = await c.ExecuteReaderAsync(cancellationToken);
            while (await r.ReadAsync(cancellationToken))
            {
                var system = r.GetString(0);
                systems[system] = apply(Of(system), r);
            }
        }

        return systems.Values.ToList();
    }

    public Task<int> PruneAsync(DateTimeOffset before, CancellationToken cancellationToken) =>
        WriteAsync(w =>
        {
            // Dead deliveries are kept until replayed or resolved: they are work for a person; so
            // are the log lines of deliveries not yet finished. Pruning the inbox also ends the
            // (system, event id) deduplication of those changes: the window is the retention.
            var cutoff = Ms(before);
            var removed = 0;

            // The hourly traffic history outlives the log: whatever is not counted yet is counted first.
            while (RollUp(w, _time.GetUtcNow()).More)
            {
            }

            foreach (var sql in new[]
            {
                "DELETE FROM inbox WHERE processed_at IS NOT NULL AND received_at < $t",
                "DELETE FROM attempts WHERE started_at < $t AND delivery_id NOT IN (SELECT id FROM deliveries WHERE status <> 2)",
                "DELETE FROM deliveries WHERE status = 2 AND completed_at < $t",
                "DELETE FROM events WHERE at < $t AND seq NOT IN (SELECT MAX(seq) FROM events GROUP BY record_id)",
                "DELETE FROM flow_steps WHERE run_id IN (SELECT id FROM flow_runs WHERE status IN (4, 6, 7) AND finished_at < $t)",
                "DELETE FROM flow_runs WHERE status IN (4, 6, 7) AND finished_at < $t",
                "DELETE FROM notification_attempts WHERE started_at < $t AND notification_id IN (SELECT id FROM notifications WHERE status = 2)",
            })
            {
                var c = w.Command(sql);
                Bind(c, "$t", cutoff);
                removed += c.ExecuteNonQuery();
            }

            return removed;
        }, cancellationToken);
}
