namespace Concord.Engine.Storage;

/// <summary>Where a flow run stands.</summary>
public enum FlowRunStatus
{
    /// <summary>Triggered; no step has run yet.</summary>
    Pending = 0,

    /// <summary>Steps are running (or were, when the hub stopped: it resumes at the step not completed).</summary>
    Running = 1,

    /// <summary>A step waits: a delay, or a write reaching its system. Resumes at <see cref="FlowRun.NextAt"/>.</summary>
    Waiting = 2,

    /// <summary>A step failed transiently; it is tried again at <see cref="FlowRun.NextAt"/>.</summary>
    Retrying = 3,

    Succeeded = 4,

    /// <summary>A step failed for good; <see cref="FlowRun.Step"/> and <see cref="FlowRun.Error"/> say where and why. Replayable.</summary>
    Failed = 5,

    /// <summary>The flow's condition was false (or its loop's <c>until</c> held): nothing ran.</summary>
    Skipped = 6,

    /// <summary>Not run: the chain of runs that caused it was deeper than the limit.</summary>
    Stopped = 7,
}

/// <summary>One run of a flow, persisted so that it survives a crash.</summary>
public sealed record FlowRun
{
    /// <summary><c>run_…</c>; also the correlation id of every delivery and log entry the run causes.</summary>
    public required string Id { get; init; }

    public required string Flow { get; init; }

    /// <summary><c>record</c>, <c>webhook</c>, <c>schedule</c> or <c>manual</c>.</summary>
    public required string TriggerKind { get; init; }

    /// <summary>Makes triggering idempotent: one run per key and flow (the event's record and version, the schedule's slot, a webhook's delivery id). Null: no dedupe.</summary>
    public string? TriggerKey { get; init; }

    /// <summary>The record the run is about, when a record triggered it: runs of one flow for one record go one at a time, in order.</summary>
    public string? RecordType { get; init; }

    public string? RecordId { get; init; }

    public FlowRunStatus Status { get; init; }

    /// <summary>The trigger's data as a JSON object: what the steps read (<c>payment.amount</c>, <c>body.text</c>, <c>input.x</c>).</summary>
    public required string Input { get; init; }

    /// <summary>How many runs came before this one in its causal chain (0: started by a system, a schedule, a webhook or a person).</summary>
    public int Depth { get; init; }

    /// <summary>The run whose write triggered this one.</summary>
    public string? CausedBy { get; init; }

    /// <summary>The step running, waiting or failed; null before the first and after the last.</summary>
    public string? Step { get; init; }

    public string? Error { get; init; }

    /// <summary>Replays so far; part of the idempotency key of steps run again after a replay.</summary>
    public int Replays { get; init; }

    /// <summary>Who replayed it last: an API key's name, <c>dashboard:NAME</c> or <c>cli</c>; null when never replayed (or replayed before the hub kept it).</summary>
    public string? ReplayedBy { get; init; }

    public DateTimeOffset? ReplayedAt { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>When the run is next due (now for a new run; the wake-up time while waiting or retrying).</summary>
    public DateTimeOffset NextAt { get; init; }

    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>Insertion order, assigned by the store.</summary>
    public long Sequence { get; init; }

    public bool IsFinished => Status is FlowRunStatus.Succeeded or FlowRunStatus.Failed or FlowRunStatus.Skipped or FlowRunStatus.Stopped;
}

/// <summary>Where one step of a run stands.</summary>
public enum FlowStepStatus
{
    /// <summary>Its side effect may have been sent (the hub stopped before the answer was stored): it is run again with the same idempotency key.</summary>
    Started = 0,

    Succeeded = 1,

    Failed = 2,

    /// <summary>Its condition was false, or its branch was not taken.</summary>
    Skipped = 3,

    Waiting = 4,
}

/// <summary>One step of one run: its rendered input, its output, attempts and error.</summary>
public sealed record FlowStepState
{
    public required string RunId { get; init; }

    public required string StepId { get; init; }

    /// <summary>Order in which the run reached the step.</summary>
    public int Position { get; init; }

    public FlowStepStatus Status { get; init; }

    public int Attempts { get; init; }

    /// <summary>The step's arguments after rendering, as JSON.</summary>
    public string? Input { get; init; }

    /// <summary>What the step produced, as JSON (read by later steps as <c>steps.&lt;id&gt;</c>).</summary>
    public string? Output { get; init; }

    public string? Error { get; init; }

    /// <summary>Sent with the step's side effect; the same for every attempt, new after a replay.</summary>
    public required string IdempotencyKey { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? FinishedAt { get; init; }
}

/// <summary>A search of the run history; every filter is optional.</summary>
public sealed record FlowRunQuery(string? Flow = null, string? RecordId = null, FlowRunStatus? Status = null, DateTimeOffset? Since = null, int Limit = 50, long? Before = null);

/// <summary>How many runs of a flow ended how, since a time (for the ROI report and health).</summary>
public sealed record FlowRunCount(string Flow, FlowRunStatus Status, long Count);

/// <summary>The run history and the runs due.</summary>
public interface IFlowStore
{
    /// <summary>
    /// Unfinished runs due at <paramref name="now"/>, oldest first, at most <paramref name="limit"/>, skipping
    /// <paramref name="busy"/> run ids, and never a run while an older unfinished run of the same flow
    /// for the same record exists (per-record order).
    /// </summary>
    Task<IReadOnlyList<FlowRun>> DueFlowRunsAsync(DateTimeOffset now, int limit, IReadOnlyCollection<string> busy, CancellationToken cancellationToken);

    /// <summary>When the next unfinished run is due, or null when none is.</summary>
    Task<DateTimeOffset?> NextFlowRunDueAsync(CancellationToken cancellationToken);

    Task<FlowRun?> GetFlowRunAsync(string id, CancellationToken cancellationToken);

    Task<IReadOnlyList<FlowStepState>> GetFlowStepsAsync(string runId, CancellationToken cancellationToken);

    /// <summary>Newest first.</summary>
    Task<IReadOnlyList<FlowRun>> QueryFlowRunsAsync(FlowRunQuery query, CancellationToken cancellationToken);

    /// <summary>Runs created since <paramref name="since"/>, counted per flow and status.</summary>
    Task<IReadOnlyList<FlowRunCount>> CountFlowRunsAsync(DateTimeOffset since, CancellationToken cancellationToken);
}
