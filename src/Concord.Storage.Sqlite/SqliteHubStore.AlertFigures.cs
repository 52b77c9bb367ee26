using Concord.Engine.Storage;

namespace Concord.Storage.Sqlite;

/// <summary>The figures the shipped alert rules read.</summary>
public sealed partial class SqliteHubStore
{
    public async Task<IReadOnlyList<DeadLetterCount>> GetDeadLettersAsync(CancellationToken cancellationToken)
    {
        await using var connection = OpenRead();
        await using var command = connection.CreateCommand();
        // ix_deliveries_status serves the status filter; the latest error is that of the newest dead delivery.
        command.CommandText = """
            SELECT d.system, COUNT(*), MAX(COALESCE(d.completed_at, d.created_at)),
                   (SELECT e.last_error FROM deliveries e WHERE e.status = 3 AND e.system = d.system ORDER BY e.id DESC LIMIT 1)
            FROM deliveries d WHERE d.status = 3 GROUP BY d.system ORDER BY d.system
            """;
        var result = new List<DeadLetterCount>();
        await using var r = await command.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken))
        {
            result.Add(new DeadLetterCount(r.GetString(0), r.GetInt64(1), FromMs(r.GetInt64(2)), Str(r, 3)));
        }

        return result;
    }

    public async Task<IReadOnlyList<FailureCount>> GetAttemptFailuresAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var connection = OpenRead();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT a.system, COUNT(*), SUM(a.result <> 'succeeded'),
                   (SELECT b.error FROM attempts b WHERE b.system = a.system AND b.started_at >= $since AND b.result <> 'succeeded' ORDER BY b.seq DESC LIMIT 1)
            FROM attempts a WHERE a.started_at >= $since GROUP BY a.system ORDER BY a.system
            """;
        Bind(command, "$since", Ms(since));
        return await ReadFailuresAsync(command, cancellationToken);
    }

    public async Task<IReadOnlyList<FailureCount>> GetRunFailuresAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var connection = OpenRead();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT f.flow, COUNT(*), SUM(f.status = 5),
                   (SELECT g.error FROM flow_runs g WHERE g.flow = f.flow AND g.status = 5 AND g.finished_at >= $since ORDER BY g.seq DESC LIMIT 1)
            FROM flow_runs f WHERE f.status IN (4, 5) AND f.finished_at >= $since GROUP BY f.flow ORDER BY f.flow
            """;
        Bind(command, "$since", Ms(since));
        return await ReadFailuresAsync(command, cancellationToken);
    }

    public async Task<IReadOnlyList<FindingRaised>> GetFindingsRaisedAsync(IReadOnlyList<string> kinds, DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var connection = OpenRead();
        await using var command = connection.CreateCommand();
        var names = kinds.Select((_, i) => "$k" + i).ToList();
        command.CommandText = $"SELECT kind, type, raised_at FROM findings WHERE raised_at >= $since AND kind IN ({(names.Count == 0 ? "NULL" : string.Join(", ", names))}) ORDER BY raised_at";
        Bind(command, "$since", Ms(since));
        for (var i = 0; i < kinds.Count; i++)
        {
            Bind(command, names[i], kinds[i]);
        }

        var result = new List<FindingRaised>();
        await using var r = await command.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken))
        {
            result.Add(new FindingRaised(r.GetString(0), r.GetString(1), FromMs(r.GetInt64(2))));
        }

        return result;
    }

    private static async Task<IReadOnlyList<FailureCount>> ReadFailuresAsync(Microsoft.Data.Sqlite.SqliteCommand command, CancellationToken cancellationToken)
    {
        var result = new List<FailureCount>();
        await using var r = await command.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken))
        {
            result.Add(new FailureCount(r.GetString(0), r.GetInt64(1), r.GetInt64(2), Str(r, 3)));
        }

        return result;
    }
}
