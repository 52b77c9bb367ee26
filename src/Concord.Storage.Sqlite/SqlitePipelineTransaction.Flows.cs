using Concord.Engine.Storage;

namespace Concord.Storage.Sqlite;

/// <summary>Flow runs and steps, written in the pipeline's transaction so a trigger commits with the change that fired it.</summary>
internal sealed partial class SqlitePipelineTransaction
{
    public bool EnqueueFlowRun(FlowRun run)
    {
        var c = w.Command($"""
            INSERT INTO flow_runs(id, flow, trigger_kind, trigger_key, record_type, record_id, status, input, depth, caused_by, step, error, replays,
                created_at, updated_at, next_at, finished_at, replayed_by, replayed_at)
            VALUES ($id, $flow, $kind, $key, $rtype, $rid, $status, $input, $depth, $cause, $step, $error, $replays, $created, $updated, $next, $finished,
                $replayed_by, $replayed_at)
            ON CONFLICT DO NOTHING
            """);
        BindRun(c, run);
        return c.ExecuteNonQuery() == 1;
    }

    public FlowRun? LoadFlowRun(string id)
    {
        var c = w.Command($"SELECT {SqliteHubStore.FlowRunColumns} FROM flow_runs WHERE id = $id");
        SqliteHubStore.Bind(c, "$id", id);
        using var reader = c.ExecuteReader();
        return reader.Read() ? SqliteHubStore.ReadFlowRun(reader) : null;
    }

    public void SaveFlowRun(FlowRun run)
    {
        var c = w.Command("""
            UPDATE flow_runs SET status = $status, input = $input, step = $step, error = $error, replays = $replays,
                replayed_by = $replayed_by, replayed_at = $replayed_at,
                updated_at = $updated, next_at = $next, finished_at = $finished, depth = $depth, caused_by = $cause,
                flow = $flow, trigger_kind = $kind, trigger_key = $key, record_type = $rtype, record_id = $rid, created_at = $created
            WHERE id = $id
            """);
        BindRun(c, run);
        if (c.ExecuteNonQuery() != 1)
        {
            throw new InvalidOperationException($"no flow run {run.Id} to update");
        }
    }

    public IReadOnlyList<FlowStepState> LoadFlowSteps(string runId)
    {
        var c = w.Command($"SELECT {SqliteHubStore.FlowStepColumns} FROM flow_steps WHERE run_id = $id ORDER BY position");
        SqliteHubStore.Bind(c, "$id", runId);
        var result = new List<FlowStepState>();
        using var reader = c.ExecuteReader();
        while (reader.Read())
        {
            result.Add(SqliteHubStore.ReadFlowStep(reader));
        }

        return result;
    }

    public void SaveFlowStep(FlowStepState step)
    {
        var c = w.Command($"""
            INSERT INTO flow_steps({SqliteHubStore.FlowStepColumns})
            VALUES ($run, $step, $pos, $status, $attempts, $input, $output, $error, $key, $started, $finished)
            ON CONFLICT(run_id, step_id) DO UPDATE SET position = excluded.position, status = excluded.status, attempts = excluded.attempts,
                input = excluded.input, output = excluded.output, error = excluded.error, idempotency_key = excluded.idempotency_key,
                started_at = excluded.started_at, finished_at = excluded.finished_at
            """);
        SqliteHubStore.Bind(c, "$run", step.RunId);
        SqliteHubStore.Bind(c, "$step", step.StepId);
        SqliteHubStore.Bind(c, "$pos", step.Position);
        SqliteHubStore.Bind(c, "$status", (int)step.Status);
        SqliteHubStore.Bind(c, "$attempts", step.Attempts);
        SqliteHubStore.Bind(c, "$input", step.Input);
        SqliteHubStore.Bind(c, "$output", step.Output);
        SqliteHubStore.Bind(c, "$error", step.Error);
        SqliteHubStore.Bind(c, "$key", step.IdempotencyKey);
        SqliteHubStore.Bind(c, "$started", step.StartedAt is { } s ? SqliteHubStore.Ms(s) : null);
        SqliteHubStore.Bind(c, "$finished", step.FinishedAt is { } f ? SqliteHubStore.Ms(f) : null);
        c.ExecuteNonQuery();
    }

    public Delivery? FindDelivery(string system, string recordId, long version)
    {
        var c = w.Command($"SELECT {SqliteHubStore.DeliveryColumnsSql} FROM deliveries d WHERE d.record_id = $r AND d.system = $s AND d.version = $v ORDER BY d.id DESC LIMIT 1");
        SqliteHubStore.Bind(c, "$r", recordId);
        SqliteHubStore.Bind(c, "$s", system);
        SqliteHubStore.Bind(c, "$v", version);
        using var reader = c.ExecuteReader();
        return reader.Read() ? SqliteHubStore.ReadDeliveryRow(reader) : null;
    }

    private static void BindRun(Microsoft.Data.Sqlite.SqliteCommand c, FlowRun run)
    {
        SqliteHubStore.Bind(c, "$id", run.Id);
        SqliteHubStore.Bind(c, "$flow", run.Flow);
        SqliteHubStore.Bind(c, "$kind", run.TriggerKind);
        SqliteHubStore.Bind(c, "$key", run.TriggerKey);
        SqliteHubStore.Bind(c, "$rtype", run.RecordType);
        SqliteHubStore.Bind(c, "$rid", run.RecordId);
        SqliteHubStore.Bind(c, "$status", (int)run.Status);
        SqliteHubStore.Bind(c, "$input", run.Input);
        SqliteHubStore.Bind(c, "$depth", run.Depth);
        SqliteHubStore.Bind(c, "$cause", run.CausedBy);
        SqliteHubStore.Bind(c, "$step", run.Step);
        SqliteHubStore.Bind(c, "$error", run.Error);
        SqliteHubStore.Bind(c, "$replays", run.Replays);
        SqliteHubStore.Bind(c, "$created", SqliteHubStore.Ms(run.CreatedAt));
        SqliteHubStore.Bind(c, "$updated", SqliteHubStore.Ms(run.UpdatedAt));
        SqliteHubStore.Bind(c, "$next", SqliteHubStore.Ms(run.NextAt));
        SqliteHubStore.Bind(c, "$finished", run.FinishedAt is { } f ? SqliteHubStore.Ms(f) : null);
        SqliteHubStore.Bind(c, "$replayed_by", run.ReplayedBy);
        SqliteHubStore.Bind(c, "$replayed_at", run.ReplayedAt is { } r ? SqliteHubStore.Ms(r) : null);
    }
}
