using System.Text.Json.Nodes;
using Concord.Core.Flows.Expressions;
using Concord.Core.Flows.Model;
using Concord.Engine.Resilience;
using Concord.Engine.Storage;
using Microsoft.Extensions.Logging;

namespace Concord.Engine.Flows;

/// <summary>
/// One execution of one run: the steps in order, branches as decided, each step's state saved before
/// and after it runs. Steps already done are not run again; their outputs are read back.
/// </summary>
internal sealed class RunExecution
{
    private readonly FlowExecutor _executor;
    private readonly FlowConfig _flow;
    private readonly IRunJournal _journal;
    private readonly bool _dryRun;
    private readonly Dictionary<string, FlowStepState> _states;
    private readonly JsonObject _trigger;
    private readonly JsonObject _outputs = [];
    private FlowRun _run;
    private int _nextPosition;

    public RunExecution(FlowExecutor executor, FlowConfig flow, FlowRun run, IRunJournal journal, bool dryRun, IReadOnlyList<FlowStepState> states)
    {
        _executor = executor;
        _flow = flow;
        _run = run;
        _journal = journal;
        _dryRun = dryRun;
        _states = states.ToDictionary(s => s.StepId, StringComparer.Ordinal);
        _nextPosition = states.Count == 0 ? 0 : states.Max(s => s.Position) + 1;
        _trigger = RunData.Parse(run.Input);
    }

    private enum Walk
    {
        /// <summary>Done: go on with the next step.</summary>
        Next,

        /// <summary>The run waits (a delay, a delivery, a retry); it is due again at its next time.</summary>
        Paused,

        /// <summary>The run failed.</summary>
        Failed,
    }

    private DateTimeOffset Now => _executor.Time.GetUtcNow();

    public async Task<FlowRun> RunAsync(CancellationToken cancellationToken)
    {
        if (_states.Count == 0 && _run.Status == FlowRunStatus.Pending && await StartConditionsAsync(cancellationToken))
        {
            return _run;
        }

        if (await WalkAsync(_flow.Steps, cancellationToken) == Walk.Next)
        {
            var now = Now;
            _run = _run with { Status = FlowRunStatus.Succeeded, Step = null, Error = null, FinishedAt = now, UpdatedAt = now, NextAt = now };
            await _journal.SaveAsync(_run, [], cancellationToken);
        }

        return _run;
    }

    /// <summary>The flow's <c>when</c> and its loop's <c>until</c>, read once, when the run starts. True when the run ended there.</summary>
    private async Task<bool> StartConditionsAsync(CancellationToken cancellationToken)
    {
        string? skipped = null;
        try
        {
            var data = Values.FromJson(Data()) as IReadOnlyDictionary<string, object?> ?? new Dictionary<string, object?>();
            if (_flow.LoopUntil is { } until && FlowConditions.Holds(until, data, _executor.Time, $"flow '{_flow.Name}', loop until"))
            {
                skipped = $"the loop's until holds: {until.Text}";
            }
            else if (_flow.When is { } when && !FlowConditions.Holds(when, data, _executor.Time, $"flow '{_flow.Name}', when"))
            {
                skipped = $"the flow's condition is false: {when.Text}";
            }
        }
        catch (ExpressionException problem)
        {
            var failedAt = Now;
            _run = _run with { Status = FlowRunStatus.Failed, Error = problem.Message, FinishedAt = failedAt, UpdatedAt = failedAt };
            await _journal.SaveAsync(_run, [], cancellationToken);
            return true;
        }

        if (skipped is null)
        {
            return false;
        }

        var now = Now;
        _run = _run with { Status = FlowRunStatus.Skipped, Error = skipped, FinishedAt = now, UpdatedAt = now };
        await _journal.SaveAsync(_run, [], cancellationToken);
        return true;
    }

    private async Task<Walk> WalkAsync(IReadOnlyList<FlowStep> steps, CancellationToken cancellationToken)
    {
        foreach (var step in steps)
        {
            var result = await StepAsync(step, cancellationToken);
            if (result != Walk.Next)
            {
                return result;
            }
        }

        return Walk.Next;
    }

    private async Task<Walk> StepAsync(FlowStep step, CancellationToken cancellationToken)
    {
        _states.TryGetValue(step.Id, out var state);
        switch (state?.Status)
        {
            case FlowStepStatus.Succeeded:
                _outputs[step.Id] = Parse(state.Output);
                return step.Action == StepAction.If ? await WalkAsync(Branch(step, state.Output), cancellationToken) : Walk.Next;

            case FlowStepStatus.Skipped:
                return Walk.Next;

            case FlowStepStatus.Failed when step.ContinueOnError:
                _outputs[step.Id] = new JsonObject { ["error"] = state.Error };
                return Walk.Next;

            case FlowStepStatus.Waiting:
                return await ResumeAsync(step, state, cancellationToken);
        }

        return step.Action == StepAction.If ? await DecideAsync(step, cancellationToken) : await RunStepAsync(step, state, cancellationToken);
    }

    /// <summary>
    /// Evaluates a branch's condition once and stores the decision as the step's output; the steps of
    /// the other branch are recorded as skipped. A resumed run follows the stored decision.
    /// </summary>
    private async Task<Walk> DecideAsync(FlowStep step, CancellationToken cancellationToken)
    {
        var now = Now;
        var state = NewState(step, NewKey(step), now);
        bool holds;
        try
        {
            holds = step.When is null || FlowConditions.Holds(step.When, Context(Data()), _executor.Time, $"flow '{_flow.Name}', step '{step.Id}', if");
        }
        catch (ExpressionException problem)
        {
            return await FinishFailedAsync(step, state, problem.Message, cancellationToken);
        }

        var branch = holds ? "then" : "else";
        var output = new JsonObject { ["branch"] = branch, ["condition"] = step.When?.Text };
        var decided = state with { Status = FlowStepStatus.Succeeded, Output = output.ToJsonString(), FinishedAt = now };
        var saved = new List<FlowStepState> { decided };
        foreach (var other in FlowStep.Flatten(holds ? step.Else : step.Then).Where(s => !_states.ContainsKey(s.Id)))
        {
            saved.Add(NewState(other, NewKey(other), now) with { Status = FlowStepStatus.Skipped, Error = "the branch was not taken", FinishedAt = now });
        }

        _run = _run with { Status = FlowRunStatus.Running, Step = step.Id, UpdatedAt = now };
        await _journal.SaveAsync(_run, saved, cancellationToken);
        foreach (var s in saved)
        {
            _states[s.StepId] = s;
        }

        _outputs[step.Id] = output;
        return await WalkAsync(holds ? step.Then : step.Else, cancellationToken);
    }

    private async Task<Walk> RunStepAsync(FlowStep step, FlowStepState? state, CancellationToken cancellationToken)
    {
        var now = Now;

        // Started before (a crash, or a retry): the same attempt series goes on with the same key.
        var resumed = state is { Status: FlowStepStatus.Started };
        var key = resumed ? state!.IdempotencyKey : NewKey(step);
        var attempts = resumed ? state!.Attempts : 0;
        var fresh = (state is null ? NewState(step, key, now) : state with { IdempotencyKey = key }) with { Attempts = attempts + 1, StartedAt = now, Error = null };

        if (state is null && step.When is { } when)
        {
            bool holds;
            try
            {
                holds = FlowConditions.Holds(when, Context(Data()), _executor.Time, $"flow '{_flow.Name}', step '{step.Id}', when");
            }
            catch (ExpressionException problem)
            {
                return await FinishFailedAsync(step, fresh, problem.Message, cancellationToken);
            }

            if (!holds)
            {
                var skipped = fresh with { Status = FlowStepStatus.Skipped, Attempts = 0, Error = $"the step's condition is false: {when.Text}", FinishedAt = now };
                await SaveAsync(skipped, cancellationToken);
                return Walk.Next;
            }
        }

        if (!_executor.Handlers.TryGetValue(step.Action, out var handler))
        {
            return await FinishFailedAsync(step, fresh, $"no handler for {StepActions.Name(step.Action)} steps is installed in this hub", cancellationToken);
        }

        var data = Data();
        JsonObject args;
        try
        {
            args = _executor.Renderer.Render(_flow, step, Context(data));
        }
        catch (ExpressionException problem)
        {
            return await FinishFailedAsync(step, fresh, problem.Message, cancellationToken);
        }

        // Saved before the side effect: after a crash the step is known to have started, and runs again with the same key.
        var started = fresh with { Status = FlowStepStatus.Started, Input = args.ToJsonString() };
        _run = _run with { Status = FlowRunStatus.Running, Step = step.Id, UpdatedAt = now };
        await SaveAsync(started, cancellationToken);

        try
        {
            var outcome = await handler.RunAsync(new StepRun(_flow, step, _run, args, data, key, started.Attempts, _dryRun), cancellationToken);
            return outcome switch
            {
                StepOutcome.Completed completed => await SucceedAsync(step, started, completed.Output, cancellationToken),
                StepOutcome.Sleep sleep when _dryRun || sleep.Until <= Now => await SucceedAsync(step, started, sleep.Output, cancellationToken),
                StepOutcome.Sleep sleep => await SleepAsync(started, sleep.Until, sleep.Output, cancellationToken),
                StepOutcome.Write write => await WriteAsync(step, started, write, cancellationToken),
                _ => throw new InvalidOperationException($"unknown step outcome {outcome.GetType().Name}"),
            };
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            return await FailAsync(step, started, ex, cancellationToken);
        }
    }

    private async Task<Walk> WriteAsync(FlowStep step, FlowStepState started, StepOutcome.Write write, CancellationToken cancellationToken)
    {
        FlowStepState? saved = null;
        FlowRun? run = null;
        var output = await _journal.WriteAsync(write.Apply, result =>
        {
            var now = Now;
            if (DeliveryAwait.TryRead(result, out _))
            {
                saved = started with { Status = FlowStepStatus.Waiting, Output = result!.ToJsonString() };
                run = _run with { Status = FlowRunStatus.Waiting, UpdatedAt = now, NextAt = now + FlowExecutor.FirstPoll };
            }
            else
            {
                saved = started with { Status = FlowStepStatus.Succeeded, Output = result?.ToJsonString(), FinishedAt = now };
                run = _run with { UpdatedAt = now };
            }

            return (run, saved);
        }, cancellationToken);

        _run = run!;
        _states[step.Id] = saved!;
        if (!_dryRun && _executor.Committed is { } committed)
        {
            try
            {
                await committed(step, output, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The write stands; what follows it (waking dispatchers, indexing) catches up on its own.
                _executor.Logger.LogWarning(ex, "Flow {Flow}, run {Run}: after step {Step} committed", _flow.Name, _run.Id, step.Id);
            }
        }

        if (saved!.Status == FlowStepStatus.Waiting)
        {
            return Walk.Paused;
        }

        _outputs[step.Id] = output?.DeepClone();
        return Walk.Next;
    }

    /// <summary>A step that waits: a delay until a time, or the delivery of its write to a system.</summary>
    private async Task<Walk> ResumeAsync(FlowStep step, FlowStepState state, CancellationToken cancellationToken)
    {
        var output = Parse(state.Output);
        var now = Now;
        if (DeliveryAwait.TryRead(output, out var target))
        {
            var check = await _journal.ReadAsync(tx => DeliveryAwait.Check(tx, target), cancellationToken);
            if (check.Done)
            {
                return await SucceedAsync(step, state, DeliveryAwait.Complete((JsonObject)output!, check.ExternalId), cancellationToken);
            }

            if (check.Failure is { } failure)
            {
                return await FinishFailedAsync(step, state, failure, cancellationToken);
            }

            // Looks back off as the wait grows: the pause is as long as the wait so far, within bounds.
            var waited = now - (state.StartedAt ?? now);
            var pause = waited < FlowExecutor.FirstPoll ? FlowExecutor.FirstPoll : waited > FlowExecutor.MaxPoll ? FlowExecutor.MaxPoll : waited;
            _run = _run with { Status = FlowRunStatus.Waiting, Step = step.Id, NextAt = now + pause, UpdatedAt = now };
            await _journal.SaveAsync(_run, [], cancellationToken);
            return Walk.Paused;
        }

        if (_dryRun || now >= _run.NextAt)
        {
            return await SucceedAsync(step, state, output, cancellationToken);
        }

        _run = _run with { Status = FlowRunStatus.Waiting, Step = step.Id, UpdatedAt = now };
        await _journal.SaveAsync(_run, [], cancellationToken);
        return Walk.Paused;
    }

    private async Task<Walk> SucceedAsync(FlowStep step, FlowStepState state, JsonNode? output, CancellationToken cancellationToken)
    {
        var now = Now;
        var done = state with { Status = FlowStepStatus.Succeeded, Output = output?.ToJsonString(), Error = null, FinishedAt = now };
        _run = _run with { UpdatedAt = now, Error = null };
        await SaveAsync(done, cancellationToken);
        _outputs[step.Id] = output?.DeepClone();
        return Walk.Next;
    }

    private async Task<Walk> SleepAsync(FlowStepState started, DateTimeOffset until, JsonNode? output, CancellationToken cancellationToken)
    {
        var waiting = started with { Status = FlowStepStatus.Waiting, Output = output?.ToJsonString() };
        _run = _run with { Status = FlowRunStatus.Waiting, NextAt = until, UpdatedAt = Now };
        await SaveAsync(waiting, cancellationToken);
        return Walk.Paused;
    }

    /// <summary>A failed attempt: tried again later while attempts are left and the failure allows it, else the step fails.</summary>
    private async Task<Walk> FailAsync(FlowStep step, FlowStepState started, Exception ex, CancellationToken cancellationToken)
    {
        var failure = ex as StepFailedException;
        var retryable = failure?.Retryable ?? ex is not ExpressionException;
        var message = failure is not null || ex is ExpressionException ? ex.Message : Describe(ex);
        var detail = failure?.Detail?.ToJsonString();
        var attempt = started.Attempts;
        if (retryable && !_dryRun && attempt < step.Retry.Attempts)
        {
            // Doubled each attempt up to the step's max_delay, with jitter so retries of many runs spread out.
            var backoff = new Backoff(step.Retry.Delay, step.Retry.MaxDelay, _executor.Random);
            var delay = failure?.RetryAfter is { } asked && asked > TimeSpan.Zero ? asked : backoff.Ceiling(attempt) / 2 + backoff.Next(attempt) / 2;
            var now = Now;
            var retrying = started with { Error = message, Output = detail };
            _run = _run with { Status = FlowRunStatus.Retrying, Step = step.Id, NextAt = now + delay, UpdatedAt = now, Error = $"attempt {attempt} of {step.Retry.Attempts}: {message}" };
            await SaveAsync(retrying, cancellationToken);
            return Walk.Paused;
        }

        var why = retryable && attempt > 1 ? $"{message} (gave up after {attempt} attempts)" : message;
        return await FinishFailedAsync(step, started with { Output = detail }, why, cancellationToken);
    }

    /// <summary>The step failed for good: the run fails there, unless the step says <c>on_error: continue</c>.</summary>
    private async Task<Walk> FinishFailedAsync(FlowStep step, FlowStepState state, string message, CancellationToken cancellationToken)
    {
        var now = Now;
        var failed = state with { Status = FlowStepStatus.Failed, Error = message, FinishedAt = now };
        if (step.ContinueOnError)
        {
            _run = _run with { UpdatedAt = now };
            await SaveAsync(failed, cancellationToken);
            _outputs[step.Id] = new JsonObject { ["error"] = message };
            return Walk.Next;
        }

        _run = _run with { Status = FlowRunStatus.Failed, Step = step.Id, Error = message, FinishedAt = now, UpdatedAt = now, NextAt = now };
        await SaveAsync(failed, cancellationToken);
        return Walk.Failed;
    }

    private async Task SaveAsync(FlowStepState state, CancellationToken cancellationToken)
    {
        await _journal.SaveAsync(_run, [state], cancellationToken);
        _states[state.StepId] = state;
    }

    private FlowStepState NewState(FlowStep step, string key, DateTimeOffset now) =>
        new() { RunId = _run.Id, StepId = step.Id, Position = _nextPosition++, IdempotencyKey = key, StartedAt = now };

    /// <summary>The key a step's side effect carries: the same for every attempt, a new one after a replay.</summary>
    private string NewKey(FlowStep step) => _run.Replays > 0 ? $"{_run.Id}.{step.Id}.r{_run.Replays}" : $"{_run.Id}.{step.Id}";

    private JsonObject Data() => RunData.ForStep(_run, _trigger, _outputs);

    private static IReadOnlyDictionary<string, object?> Context(JsonObject data) => (IReadOnlyDictionary<string, object?>)Values.FromJson(data)!;

    private static IReadOnlyList<FlowStep> Branch(FlowStep step, string? output) =>
        Parse(output) is JsonObject o && (string?)o["branch"] == "else" ? step.Else : step.Then;

    private static JsonNode? Parse(string? json) => json is null ? null : JsonNode.Parse(json);

    private static string Describe(Exception ex)
    {
        var inner = ex;
        while (inner.InnerException is not null)
        {
            inner = inner.InnerException;
        }

        return inner == ex ? ex.Message : $"{ex.Message} ({inner.Message})";
    }
}
