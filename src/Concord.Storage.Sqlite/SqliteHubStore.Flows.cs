using Concord.Engine.Storage;
using Microsoft.Data.Sqlite;

namespace Concord.Storage.Sqlite;

/// <summary>The flow run history and the runs due.</summary>
public sealed partial class SqliteHubStore
{
    internal const string FlowRunColumns = """
        seq, id, flow, trigger_kind, trigger_key, record_type, record_id, status, input, depth, caused_by, step, error, replays,
        created_at, updated_at, next_at, finished_at, replayed_by, replayed_at
        """;

    internal const string FlowStepColumns = "run_id, step_id, position, status, attempts, input, output, error, idempotency_key, started_at, finished_at";

    public async Task<IReadOnlyList<FlowRun>> DueFlowRunsAsync(DateTimeOffset now, int limit, IReadOnlyCollection<string> busy, CancellationToken cancellationToken)
    {
        await using var connection = OpenRead();
        await using var command = connection.CreateCommand();

        // Per-record order: a run waits while an older unfinished run of its flow for the same record exists.
        command.CommandText = $"""
            SELECT {FlowRunColumns} FROM flow_runs r
            WHERE r.status < 4 AND r.next_at <= $now
              AND (r.record_id IS NULL OR NOT EXISTS (
                  SELECT 1 FROM flow_runs o WHERE o.record_id = r.record_id AND o.flow = r.flow AND o.seq < r.seq AND o.status < 4))
            ORDER BY r.seq LIMIT $limit
            """;
        Bind(command, "$now", Ms(now));
        Bind(command, "$limit", Math.Clamp(limit, 1, 10_000) + busy.Count);
        var result = new List<FlowRun>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken) && result.Count < limit)
        {
            var run = ReadFlowRun(reader);
            if (!busy.Contains(run.Id))
            {
                result.Add(run);
            }
        }

        return result;
    }

    public async Task<DateTimeOffset?> NextFlowRunDueAsync(CancellationToken cancellationToken)
    {
        await using var connection = OpenRead();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT MIN(next_at) FROM flow_runs WHERE status < 4";
        return await command.ExecuteScalarAsync(cancellationToken) is long ms ? FromMs(ms) : null;
    }

    public async Task<FlowRun?> GetFlowRunAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = OpenRead();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {FlowRunColumns} FROM flow_runs WHERE id = $id";
        Bind(command, "$id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadFlowRun(reader) : null;
    }

    public async Task<IReadOnlyList<FlowStepState>> GetFlowStepsAsync(string runId, CancellationToken cancellationToken)
    {
        await using var connection = OpenRead();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {FlowStepColumns} FROM flow_steps WHERE run_id = $id ORDER BY position";
        Bind(command, "$id", runId);
        var result = new List<FlowStepState>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(ReadFlowStep(reader));
        }

        return result;
    }

    public async Task<IReadOnlyList<FlowRun>> QueryFlowRunsAsync(FlowRunQuery query, CancellationToken cancellationToken)
    {
        await using var connection = OpenRead();
        await using var command = connection.CreateCommand();
        var where = new List<string>();
        if (query.Flow is { } flow)
        {
            where.Add("flow = $flow");
            Bind(command, "$flow", flow);
        }

        if (query.RecordId is { } record)
        {
            where.Add("record_id = $record");
            Bind(command, "$record", record);
        }

        if (query.Status is { } status)
        {
            where.Add("status = $status");
            Bind(command, "$status", (int)status);
        }

        if (query.Since is { } since)
        {
            where.Add("created_at >= $since");
            Bind(command, "$since", Ms(since));
        }

        if (query.Before is { } before)
        {
            where.Add("seq < $before");
            Bind(command, "$before", before);
        }

        command.CommandText = $"SELECT {FlowRunColumns} FROM flow_runs {(where.Count > 0 ? "WHERE " + string.Join(" AND ", where) : "")} ORDER BY seq DESC LIMIT $limit";
        Bind(command, "$limit", Math.Clamp(query.Limit, 1, 1000));
        var result = new List<FlowRun>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(ReadFlowRun(reader));
        }

        return result;
    }

    public async Task<IReadOnlyList<FlowRunCount>> CountFlowRunsAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var connection = OpenRead();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT flow, status, COUNT(*) FROM flow_runs WHERE created_at >= $since GROUP BY flow, status ORDER BY flow, status";
        Bind(command, "$since", Ms(since));
        var result = new List<FlowRunCount>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(new FlowRunCount(reader.GetString(0), (FlowRunStatus)reader.GetInt32(1), reader.GetInt64(2)));
        }

        return result;
    }

    internal static FlowRun ReadFlowRun(SqliteDataReader r) => new()
    {
        Sequence = r.GetInt64(0),
        Id = r.GetString(1),
        Flow = r.GetString(2),
        TriggerKind = r.GetString(3),
        TriggerKey = r.IsDBNull(4) ? null : r.GetString(4),
        RecordType = r.IsDBNull(5) ? null : r.GetString(5),
        RecordId = r.IsDBNull(6) ? null : r.GetString(6),
        Status = (FlowRunStatus)r.GetInt32(7),
        Input = r.GetString(8),
        Depth = r.GetInt32(9),
        CausedBy = r.IsDBNull(10) ? null : r.GetString(10),
        Step = r.IsDBNull(11) ? null : r.GetString(11),
        Error = r.IsDBNull(12) ? null : r.GetString(12),
        Replays = r.GetInt32(13),
        CreatedAt = FromMs(r.GetInt64(14)),
        UpdatedAt = FromMs(r.GetInt64(15)),
        NextAt = FromMs(r.GetInt64(16)),
        FinishedAt = r.IsDBNull(17) ? null : FromMs(r.GetInt64(17)),
        ReplayedBy = r.IsDBNull(18) ? null : r.GetString(18),
        ReplayedAt = r.IsDBNull(19) ? null : FromMs(r.GetInt64(19)),
    };

    internal static FlowStepState ReadFlowStep(SqliteDataReader r) => new()
    {
        RunId = r.GetString(0),
        StepId = r.GetString(1),
        Position = r.GetInt32(2),
        Status = (FlowStepStatus)r.GetInt32(3),
        Attempts = r.GetInt32(4),
        Input = r.IsDBNull(5) ? null : r.GetString(5),
        Output = r.IsDBNull(6) ? null : r.GetString(6),
        Error = r.IsDBNull(7) ? null : r.GetString(7),
        IdempotencyKey = r.GetString(8),
        StartedAt = r.IsDBNull(9) ? null : FromMs(r.GetInt64(9)),
        FinishedAt = r.IsDBNull(10) ? null : FromMs(r.GetInt64(10)),
    };
}
