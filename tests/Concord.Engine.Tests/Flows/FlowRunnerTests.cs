using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Concord.Core.Flows.Model;
using Concord.Engine.Flows;
using Concord.Engine.Storage;
using Concord.Testing;
using static Concord.Engine.Tests.Flows.FlowBuilder;

namespace Concord.Engine.Tests.Flows;

/// <summary>Durable execution: retries, replay, crash resume, ordering and concurrency, conditions and branches.</summary>
public sealed class FlowRunnerTests
{
    private static readonly StepRetry FastRetry = new(5, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(4));

    private static readonly FlowStep CreateContact =
        Step("contact", StepAction.Create, """{"type":"customer","fields":{"email":"{{ input.email }}","name":"Ann"}}""");

    [Fact]
    public async Task ARetryableFailureIsRetriedWithBackoff_WithTheSameKey_UntilItSucceeds()
    {
        var time = new ManualTimeProvider();
        var call = new ScriptedStep(StepAction.Http, (_, n, _) => n < 3
            ? Task.FromException<StepOutcome>(new StepFailedException($"answered 503 (call {n})", retryable: true))
            : ScriptedStep.Done(new { status = 200 }));
        await using var rig = await FlowRig.StartAsync([Flow("call", Manual, Step("post", StepAction.Http, retry: FastRetry))], time, [call]);

        var run = await rig.Flows.StartManualAsync("call", [], "tests", default);
        var retrying = await rig.RunUntilAsync(run.Id, r => r.Status == FlowRunStatus.Retrying, "the first retry");
        Assert.Contains("attempt 1 of 5: answered 503 (call 1)", retrying.Error);
        Assert.InRange(retrying.NextAt - time.GetUtcNow(), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1));
        Assert.Equal(1, call.CallCount);

        // Not before its time: the clock has not reached the retry yet.
        await Task.Delay(100);
        Assert.Equal(1, call.CallCount);

        for (var i = 0; i < 10 && !(await rig.Store.GetFlowRunAsync(run.Id, default))!.IsFinished; i++)
        {
            var due = (await rig.Store.GetFlowRunAsync(run.Id, default))!.NextAt;
            time.Advance(due - time.GetUtcNow() + TimeSpan.FromMilliseconds(1));
            await Eventually.TrueAsync(async () => (await rig.Store.GetFlowRunAsync(run.Id, default))!.NextAt != due || (await rig.Store.GetFlowRunAsync(run.Id, default))!.IsFinished, "the next attempt");
        }

        var done = await rig.FinishedAsync(run.Id);
        Assert.Equal(FlowRunStatus.Succeeded, done.Status);
        Assert.Equal(3, call.CallCount);
        Assert.All(call.Calls, c => Assert.Equal($"{run.Id}.post", c.IdempotencyKey));
        Assert.Equal([1, 2, 3], call.Calls.Select(c => c.Attempt));
        var step = (await rig.StepsAsync(run.Id))["post"];
        Assert.Equal((FlowStepStatus.Succeeded, 3), (step.Status, step.Attempts));
    }

    [Fact]
    public async Task RetriesRunOut_ThenTheRunFails()
    {
        var call = new ScriptedStep(StepAction.Http, (_, _, _) => throw new HttpRequestException("connection refused"));
        await using var rig = await FlowRig.StartAsync(
            [Flow("call", Manual, Step("post", StepAction.Http, retry: new StepRetry(2, TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(20))))], handlers: [call]);

        var run = await rig.RunAsync("call");

        Assert.Equal(FlowRunStatus.Failed, run.Status);
        Assert.Equal("connection refused (gave up after 2 attempts)", run.Error);
        Assert.Equal(2, call.CallCount);
    }

    [Fact]
    public async Task APermanentFailureIsReplayedFromTheFailedStep_EarlierStepsNotRunAgain()
    {
        var broken = true;
        var call = new ScriptedStep(StepAction.Http, (_, _, _) => broken
            ? Task.FromException<StepOutcome>(new StepFailedException("answered 400: channel not found", retryable: false, detail: new JsonObject { ["status"] = 400 }))
            : ScriptedStep.Done());
        await using var rig = await FlowRig.StartAsync([Flow("welcome", Manual, CreateContact, Step("post", StepAction.Http))], handlers: [call]);

        var failed = await rig.RunAsync("welcome", """{"email":"ann@example.com"}""");
        Assert.Equal((FlowRunStatus.Failed, "post", "answered 400: channel not found"), (failed.Status, failed.Step, failed.Error));
        Assert.Equal(1, call.CallCount);
        Assert.Equal("""{"status":400}""", (await rig.StepsAsync(failed.Id))["post"].Output);

        broken = false;
        var replaying = await rig.Flows.ReplayAsync(failed.Id, "ops", default);
        Assert.Equal((1, "ops"), (replaying.Replays, replaying.ReplayedBy));
        var replayed = await rig.FinishedAsync(failed.Id);

        Assert.Equal(FlowRunStatus.Succeeded, replayed.Status);
        // Who replayed it stays on the run as the runner saves it step by step (the store keeps milliseconds).
        Assert.Equal("ops", replayed.ReplayedBy);
        Assert.InRange((replaying.ReplayedAt!.Value - replayed.ReplayedAt!.Value).Duration(), TimeSpan.Zero, TimeSpan.FromMilliseconds(1));
        Assert.Equal([$"{failed.Id}.post", $"{failed.Id}.post.r1"], call.Calls.Select(c => c.IdempotencyKey));
        var steps = await rig.StepsAsync(failed.Id);
        Assert.Equal((FlowStepStatus.Succeeded, 1), (steps["contact"].Status, steps["contact"].Attempts));
        Assert.Single(await rig.Store.SearchAsync("customer", "ann@example.com", 10, default));

        var refused = await Assert.ThrowsAsync<FlowRefusedException>(() => rig.Flows.ReplayAsync(failed.Id, "ops", default));
        Assert.Contains("only a failed or stopped run can be replayed", refused.Message);
    }

    [Fact]
    public async Task ARunInterruptedInAStep_ResumesWithTheSameKey_AndWritesOnce()
    {
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var slow = new ScriptedStep(StepAction.Http, async (_, n, ct) =>
        {
            if (n == 1)
            {
                entered.TrySetResult();
                await Task.Delay(Timeout.Infinite, ct);
            }

            return new StepOutcome.Completed(new JsonObject { ["call"] = n });
        });
        await using var rig = await FlowRig.StartAsync(
        [
            Flow("onboard", Manual, CreateContact, Step("slow", StepAction.Http),
                Step("invoice", StepAction.Create, """{"type":"invoice","fields":{"number":"INV-{{ steps.slow.call }}","customer":"{{ steps.contact.id }}","amount":10,"currency":"EUR","status":"draft"}}""")),
        ], handlers: [slow]);

        var run = await rig.Flows.StartManualAsync("onboard", new JsonObject { ["email"] = "ann@example.com" }, "tests", default);
        await entered.Task.WaitAsync(TimeSpan.FromSeconds(20));
        await rig.StopAsync();

        var interrupted = (await rig.Store.GetFlowRunAsync(run.Id, default))!;
        Assert.Equal((FlowRunStatus.Running, "slow"), (interrupted.Status, interrupted.Step));
        Assert.Equal(FlowStepStatus.Started, (await rig.StepsAsync(run.Id))["slow"].Status);

        await rig.RestartAsync();
        var resumed = await rig.FinishedAsync(run.Id);

        Assert.Equal(FlowRunStatus.Succeeded, resumed.Status);
        Assert.Equal([$"{run.Id}.slow", $"{run.Id}.slow"], slow.Calls.Select(c => c.IdempotencyKey));
        Assert.Equal([1, 2], slow.Calls.Select(c => c.Attempt));
        var steps = await rig.StepsAsync(run.Id);
        Assert.Equal(1, steps["contact"].Attempts);
        Assert.Single(await rig.Store.SearchAsync("customer", "ann@example.com", 10, default));
        Assert.Equal("INV-2", (string?)(await rig.OutputAsync(run.Id, "invoice"))["number"]);
    }

    [Fact]
    public async Task ABranchDecisionSurvivesAResume_EvenWhenTheConditionNoLongerHolds()
    {
        var time = new ManualTimeProvider();
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var morning = new ScriptedStep(StepAction.Http, async (_, n, ct) =>
        {
            if (n == 1)
            {
                entered.TrySetResult();
                await Task.Delay(Timeout.Infinite, ct);
            }

            return new StepOutcome.Completed(new JsonObject { ["said"] = "good morning" });
        });
        var later = new ScriptedStep(StepAction.Notify, (_, _, _) => ScriptedStep.Done());
        await using var rig = await FlowRig.StartAsync(
        [
            Flow("greet", Manual, If("early", "now() < '2026-11-22T09:30:00Z'", [Step("morning", StepAction.Http)], [Step("later", StepAction.Notify)])),
        ], time, [morning, later]);

        var run = await rig.Flows.StartManualAsync("greet", [], "tests", default);
        await entered.Task.WaitAsync(TimeSpan.FromSeconds(20));
        await rig.StopAsync();
        time.Advance(TimeSpan.FromHours(1));
        await rig.RestartAsync();
        var done = await rig.FinishedAsync(run.Id);

        Assert.Equal(FlowRunStatus.Succeeded, done.Status);
        Assert.Equal(2, morning.CallCount);
        Assert.Equal(0, later.CallCount);
        var steps = await rig.StepsAsync(run.Id);
        Assert.Equal("then", (string?)JsonNode.Parse(steps["early"].Output!)!["branch"]);
        Assert.Equal(FlowStepStatus.Skipped, steps["later"].Status);
        Assert.Equal(FlowStepStatus.Succeeded, steps["morning"].Status);
    }

    [Fact]
    public async Task RunsOfAFlowForOneRecordGoOneAtATime_InOrder()
    {
        var seen = new ConcurrentQueue<long>();
        var active = 0;
        var most = 0;
        var step = new ScriptedStep(StepAction.Http, async (s, _, ct) =>
        {
            var now = Interlocked.Increment(ref active);
            InterlockedMax(ref most, now);
            seen.Enqueue((long)s.Data["trigger"]!["version"]!);
            await Task.Delay(50, ct);
            Interlocked.Decrement(ref active);
            return new StepOutcome.Completed(null);
        });
        await using var rig = await FlowRig.StartAsync(
            [new FlowConfig { Name = "track", Trigger = OnRecord("customer", RecordTriggerOn.Updated), Steps = [Step("call", StepAction.Http)], Concurrency = 8 }],
            handlers: [step], start: false);
        await rig.CustomerAsync("c1", """{"email":"ann@example.com","name":"Ann"}""");
        foreach (var name in new[] { "B", "C", "D", "E" })
        {
            await rig.CustomerAsync("c1", $$"""{"name":"{{name}}"}""");
        }

        rig.Runtime.Start();
        await Eventually.TrueAsync(async () => (await rig.RunsAsync("track")).All(r => r.Status == FlowRunStatus.Succeeded), "every run");

        Assert.Equal([2L, 3L, 4L, 5L], seen);
        Assert.Equal(1, most);
    }

    [Fact]
    public async Task AFlowRunsAtMostItsConcurrency_WhileOtherFlowsGoOn()
    {
        var gate = new SemaphoreSlim(0);
        var active = 0;
        var most = 0;
        var slow = new ScriptedStep(StepAction.Http, async (_, _, ct) =>
        {
            InterlockedMax(ref most, Interlocked.Increment(ref active));
            await gate.WaitAsync(ct);
            Interlocked.Decrement(ref active);
            return new StepOutcome.Completed(null);
        });
        var quick = new ScriptedStep(StepAction.Notify, (_, _, _) => ScriptedStep.Done());
        await using var rig = await FlowRig.StartAsync(
        [
            new FlowConfig { Name = "busy", Trigger = Manual, Concurrency = 2, Steps = [Step("work", StepAction.Http)] },
            Flow("other", Manual, Step("ping", StepAction.Notify)),
        ], handlers: [slow, quick]);

        var busy = new List<FlowRun>();
        for (var i = 0; i < 5; i++)
        {
            busy.Add(await rig.Flows.StartManualAsync("busy", [], "tests", default));
        }

        await Eventually.TrueAsync(() => Volatile.Read(ref active) == 2, "two runs at work");
        var other = await rig.RunAsync("other");
        Assert.Equal(FlowRunStatus.Succeeded, other.Status);
        await Task.Delay(200);
        Assert.Equal(2, Volatile.Read(ref active));

        gate.Release(5);
        foreach (var run in busy)
        {
            Assert.Equal(FlowRunStatus.Succeeded, (await rig.FinishedAsync(run.Id)).Status);
        }

        Assert.Equal(2, most);
        Assert.Equal(5, slow.CallCount);
    }

    [Fact]
    public async Task ConditionsSkipRunsAndSteps_AndOnErrorContinueGoesOn()
    {
        var failing = new ScriptedStep(StepAction.Http, (_, _, _) => Task.FromException<StepOutcome>(new StepFailedException("answered 404", retryable: false)));
        var after = new ScriptedStep(StepAction.Notify, (s, _, _) => ScriptedStep.Done(new { seen = (string?)s.Args["error"] }));
        await using var rig = await FlowRig.StartAsync(
        [
            new FlowConfig { Name = "big", Trigger = Manual, When = Condition("input.amount >= 100"), Steps = [Step("ping", StepAction.Notify, """{"error":"none"}""")] },
            Flow("steps", Manual,
                Step("skipped", StepAction.Notify, """{"error":"x"}""", when: "input.vip"),
                Step("tolerated", StepAction.Http, continueOnError: true),
                Step("after", StepAction.Notify, """{"error":"{{ steps.tolerated.error }}"}""")),
        ], handlers: [failing, after]);

        var small = await rig.RunAsync("big", """{"amount":20}""");
        Assert.Equal((FlowRunStatus.Skipped, "the flow's condition is false: input.amount >= 100"), (small.Status, small.Error));
        Assert.Empty(await rig.StepsAsync(small.Id));
        Assert.Equal(FlowRunStatus.Succeeded, (await rig.RunAsync("big", """{"amount":120}""")).Status);

        var run = await rig.RunAsync("steps", """{"vip":false}""");
        Assert.Equal(FlowRunStatus.Succeeded, run.Status);
        var steps = await rig.StepsAsync(run.Id);
        Assert.Equal(FlowStepStatus.Skipped, steps["skipped"].Status);
        Assert.Contains("input.vip", steps["skipped"].Error);
        Assert.Equal((FlowStepStatus.Failed, "answered 404"), (steps["tolerated"].Status, steps["tolerated"].Error));
        Assert.Equal("answered 404", (string?)(await rig.OutputAsync(run.Id, "after"))["seen"]);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
