using Concord.Engine.Storage;
using Microsoft.Data.Sqlite;

namespace Concord.Storage.Sqlite;

/// <summary>
/// Hourly traffic history. The log tables are append-only in sequence order, so each keeps a mark: the
/// last sequence counted into <c>traffic</c>. A line is in the history when its sequence is at or below the
/// mark and counted live otherwise, so rolling up twice counts nothing twice and a late line is never lost.
/// Failed flow runs are counted by the hour they failed in (their status changes after they are written),
/// up to an hour mark.
/// </summary>
public sealed partial class SqliteHubStore
{
    private const long HourMs = 3_600_000;

    /// <summary>Log lines counted per write transaction, so a first rollup over a long log does not hold the writer for long.</summary>
    private const long RollupChunk = 100_000;

    /// <summary>A run that fails is written a moment after its finish time: failures are counted for hours that ended this long ago.</summary>
    private static readonly TimeSpan FailureSettle = TimeSpan.FromMinutes(5);

    /// <summary>Each sequenced log table: its mark, its time column and how its lines become traffic.</summary>
    private static readonly (string Source, string Time, string Insert)[] TrafficSources =
    [
        ("inbox", "received_at", """
            INSERT INTO traffic(subject, type, hour, inbound, outbound, failed)
            SELECT 'system:' || system, type, (received_at / 3600000) * 3600000, COUNT(*), 0, 0 FROM inbox
            WHERE seq > $lo AND seq <= $hi GROUP BY system, type, received_at / 3600000
            ON CONFLICT(subject, type, hour) DO UPDATE SET inbound = inbound + excluded.inbound
            """),
        ("attempts", "started_at", """
            INSERT INTO traffic(subject, type, hour, inbound, outbound, failed)
            SELECT 'system:' || system, type, (started_at / 3600000) * 3600000, 0, COUNT(*), SUM(result <> 'succeeded') FROM attempts
            WHERE seq > $lo AND seq <= $hi GROUP BY system, type, started_at / 3600000
            ON CONFLICT(subject, type, hour) DO UPDATE SET outbound = outbound + excluded.outbound, failed = failed + excluded.failed
            """),
        ("flow_runs", "created_at", """
            INSERT INTO traffic(subject, type, hour, inbound, outbound, failed)
            SELECT 'flow:' || flow, '', (created_at / 3600000) * 3600000, COUNT(*), 0, 0 FROM flow_runs
            WHERE seq > $lo AND seq <= $hi GROUP BY flow, created_at / 3600000
            ON CONFLICT(subject, type, hour) DO UPDATE SET inbound = inbound + excluded.inbound
            """),
    ];

    public async Task<TrafficRollup> RollUpTrafficAsync(DateTimeOffset now, DateTimeOffset keepSince, CancellationToken cancellationToken)
    {
        long lines = 0;
        while (true)
        {
            var (counted, more) = await WriteAsync(w => RollUp(w, now), cancellationToken);
            lines += counted;
            if (!more)
            {
                break;
            }
        }

        var expired = await WriteAsync(w =>
        {
            var c = w.Command("DELETE FROM traffic WHERE hour < $keep");
            Bind(c, "$keep", Ms(keepSince));
            return c.ExecuteNonQuery();
        }, cancellationToken);
        return new TrafficRollup(lines, expired);
    }

    /// <summary>Counts up to <see cref="RollupChunk"/> lines per source of the hours finished by <paramref name="now"/>; true when more are left.</summary>
    private static (long Lines, bool More) RollUp(SqliteWriter w, DateTimeOffset now)
    {
        var cutoff = Ms(now) / HourMs * HourMs;
        long lines = 0;
        var more = false;
        foreach (var (source, time, insert) in TrafficSources)
        {
            var lo = Mark(w, source);
            var last = w.Command($"SELECT COALESCE(MAX(seq), 0) FROM {source}");
            var max = (long)last.ExecuteScalar()!;
            if (max <= lo)
            {
                continue;
            }

            // The chunk ends before the first line of an hour not finished yet.
            var hi = Math.Min(max, lo + RollupChunk);
            var open = w.Command($"SELECT seq FROM {source} WHERE seq > $lo AND seq <= $hi AND {time} >= $cutoff ORDER BY seq LIMIT 1");
            Bind(open, "$lo", lo);
            Bind(open, "$hi", hi);
            Bind(open, "$cutoff", cutoff);
            if (open.ExecuteScalar() is long first)
            {
                hi = first - 1;
            }
            else if (hi < max)
            {
                more = true;
            }

            if (hi <= lo)
            {
                continue;
            }

            var add = w.Command(insert);
            Bind(add, "$lo", lo);
            Bind(add, "$hi", hi);
            add.ExecuteNonQuery();
            lines += hi - lo;
            SetMark(w, source, hi);
        }

        // Failures: counted by the hour they happened in, once that hour has settled.
        var failedFrom = Mark(w, "flow_failures");
        var failedUntil = Ms(now - FailureSettle) / HourMs * HourMs;
        if (failedUntil > failedFrom)
        {
            var add = w.Command("""
                INSERT INTO traffic(subject, type, hour, inbound, outbound, failed)
                SELECT 'flow:' || flow, '', (finished_at / 3600000) * 3600000, 0, 0, COUNT(*) FROM flow_runs
                WHERE status = 5 AND finished_at >= $lo AND finished_at < $hi GROUP BY flow, finished_at / 3600000
                ON CONFLICT(subject, type, hour) DO UPDATE SET failed = failed + excluded.failed
                """);
            Bind(add, "$lo", failedFrom);
            Bind(add, "$hi", failedUntil);
            add.ExecuteNonQuery();
            SetMark(w, "flow_failures", failedUntil);
        }

        return (lines, more);
    }

    private static long Mark(SqliteWriter w, string source)
    {
        var c = w.Command("SELECT mark FROM traffic_marks WHERE source = $s");
        Bind(c, "$s", source);
        return c.ExecuteScalar() is long mark ? mark : 0;
    }

    private static void SetMark(SqliteWriter w, string source, long mark)
    {
        var c = w.Command("INSERT INTO traffic_marks(source, mark) VALUES ($s, $m) ON CONFLICT(source) DO UPDATE SET mark = excluded.mark");
        Bind(c, "$s", source);
        Bind(c, "$m", mark);
        c.ExecuteNonQuery();
    }

    public Task AddTrafficAsync(IReadOnlyList<TrafficHour> hours, CancellationToken cancellationToken) =>
        WriteAsync(w =>
        {
            foreach (var h in hours)
            {
                var c = w.Command("""
                    INSERT INTO traffic(subject, type, hour, inbound, outbound, failed) VALUES ($subject, $type, $hour, $in, $out, $failed)
                    ON CONFLICT(subject, type, hour) DO UPDATE SET inbound = inbound + excluded.inbound, outbound = outbound + excluded.outbound, failed = failed + excluded.failed
                    """);
                Bind(c, "$subject", h.Subject);
                Bind(c, "$type", h.Type ?? "");
                Bind(c, "$hour", Ms(h.Hour) / HourMs * HourMs);
                Bind(c, "$in", h.Inbound);
                Bind(c, "$out", h.Outbound);
                Bind(c, "$failed", h.Failed);
                c.ExecuteNonQuery();
            }

            return true;
        }, cancellationToken);

    public async Task<IReadOnlyList<TrafficHour>> GetTrafficAsync(DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken)
    {
        var from = Ms(since) / HourMs * HourMs;
        var to = Ms(until);
        await using var connection = OpenRead();
        await using var tx = connection.BeginTransaction();
        var marks = new Dictionary<string, long>(StringComparer.Ordinal);
        await using (var c = Command(connection, tx, "SELECT source, mark FROM traffic_marks"))
        {
            await using var r = await c.ExecuteReaderAsync(cancellationToken);
            while (await r.ReadAsync(cancellationToken))
            {
                marks[r.GetString(0)] = r.GetInt64(1);
            }
        }

        var hours = new Dictionary<(string Subject, string Type, long Hour), (long In, long Out, long Failed)>();
        async Task AddAsync(string sql, IReadOnlyDictionary<string, object> args, Func<SqliteDataReader, (long In, long Out, long Failed)> counts)
        {
            await using var c = Command(connection, tx, sql);
            Bind(c, "$from", from);
            Bind(c, "$to", to);
            foreach (var (name, value) in args)
            {
                Bind(c, name, value);
            }

            await using var r = await c.ExecuteReaderAsync(cancellationToken);
            while (await r.ReadAsync(cancellationToken))
            {
                var key = (r.GetString(0), r.GetString(1), r.GetInt64(2));
                var (i, o, f) = counts(r);
                var had = hours.GetValueOrDefault(key);
                hours[key] = (had.In + i, had.Out + o, had.Failed + f);
            }
        }

        var none = new Dictionary<string, object>();
        await AddAsync("SELECT subject, type, hour, inbound, outbound, failed FROM traffic WHERE hour >= $from AND hour < $to", none,
            r => (r.GetInt64(3), r.GetInt64(4), r.GetInt64(5)));

        // What the history does not hold yet, counted from the log.
        await AddAsync("""
            SELECT 'system:' || system, type, (received_at / 3600000) * 3600000, COUNT(*) FROM inbox
            WHERE seq > $mark AND received_at >= $from AND received_at < $to GROUP BY system, type, received_at / 3600000
            """, new Dictionary<string, object> { ["$mark"] = marks.GetValueOrDefault("inbox") }, r => (r.GetInt64(3), 0, 0));
        await AddAsync("""
            SELECT 'system:' || system, type, (started_at / 3600000) * 3600000, COUNT(*), SUM(result <> 'succeeded') FROM attempts
            WHERE seq > $mark AND started_at >= $from AND started_at < $to GROUP BY system, type, started_at / 3600000
            """, new Dictionary<string, object> { ["$mark"] = marks.GetValueOrDefault("attempts") }, r => (0, r.GetInt64(3), r.GetInt64(4)));
        await AddAsync("""
            SELECT 'flow:' || flow, '', (created_at / 3600000) * 3600000, COUNT(*) FROM flow_runs
            WHERE seq > $mark AND created_at >= $from AND created_at < $to GROUP BY flow, created_at / 3600000
            """, new Dictionary<string, object> { ["$mark"] = marks.GetValueOrDefault("flow_runs") }, r => (r.GetInt64(3), 0, 0));
        await AddAsync("""
            SELECT 'flow:' || flow, '', (finished_at / 3600000) * 3600000, COUNT(*) FROM flow_runs
            WHERE status = 5 AND finished_at >= MAX($mark, $from) AND finished_at < $to GROUP BY flow, finished_at / 3600000
            """, new Dictionary<string, object> { ["$mark"] = marks.GetValueOrDefault("flow_failures") }, r => (0, 0, r.GetInt64(3)));

        return hours
            .OrderBy(h => h.Key.Hour).ThenBy(h => h.Key.Subject, StringComparer.Ordinal).ThenBy(h => h.Key.Type, StringComparer.Ordinal)
            .Select(h => new TrafficHour(h.Key.Subject, h.Key.Type.Length == 0 ? null : h.Key.Type, FromMs(h.Key.Hour), h.Value.In, h.Value.Out, h.Value.Failed))
            .ToList();
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction tx, string sql)
    {
        var c = connection.CreateCommand();
        c.Transaction = tx;
        c.CommandText = sql;
        return c;
    }
}
