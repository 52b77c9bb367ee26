using Concord.Engine.Storage;
using Xunit;

namespace Concord.Testing;

/// <summary>What every store must do for flow runs: trigger dedupe, per-record order, history and counts.</summary>
public abstract partial class HubStoreComplianceTests
{
    private FlowRun Run(string id, string flow = "f", string? record = "rec_1", string? key = null, FlowRunStatus status = FlowRunStatus.Pending, TimeSpan? dueIn = null) => new()
    {
        Id = id,
        Flow = flow,
        TriggerKind = "record",
        TriggerKey = key,
        RecordType = record is null ? null : "customer",
        RecordId = record,
        Status = status,
        Input = "{\"x\":1}",
        CreatedAt = Time.GetUtcNow(),
        UpdatedAt = Time.GetUtcNow(),
        NextAt = Time.GetUtcNow() + (dueIn ?? TimeSpan.Zero),
    };

    [Fact]
    public async Task FlowRun_WithTheSameTriggerKeyForTheSameFlow_IsStoredOnce()
    {
        var store = await Open();
        var stored = await store.ExecuteAsync(tx => new[]
        {
            tx.EnqueueFlowRun(Run("run_1", key: "rec_1.v2")),
            tx.EnqueueFlowRun(Run("run_2", key: "rec_1.v2")),
            tx.EnqueueFlowRun(Run("run_3", flow: "other", key: "rec_1.v2")),
            tx.EnqueueFlowRun(Run("run_4", key: null)),
            tx.EnqueueFlowRun(Run("run_5", key: null)),
        }, default);

        Assert.Equal([true, false, true, true, true], stored);
        Assert.Null(await store.GetFlowRunAsync("run_2", default));
        Assert.Equal("rec_1.v2", (await store.GetFlowRunAsync("run_3", default))!.TriggerKey);
    }

    [Fact]
    public async Task DueRuns_ComeInOrder_AndARunWaitsForTheOlderUnfinishedRunOfItsFlowAndRecord()
    {
        var store = await Open();
        await store.ExecuteAsync(tx =>
        {
            tx.EnqueueFlowRun(Run("run_a1", record: "rec_a"));
            tx.EnqueueFlowRun(Run("run_a2", record: "rec_a"));
            tx.EnqueueFlowRun(Run("run_b1", record: "rec_b", dueIn: TimeSpan.FromMinutes(5)));
            tx.EnqueueFlowRun(Run("run_o1", flow: "other", record: "rec_a"));
            tx.EnqueueFlowRun(Run("run_n1", record: null));
            return true;
        }, default);

        var due = await store.DueFlowRunsAsync(Time.GetUtcNow(), 10, [], default);
        Assert.Equal(["run_a1", "run_o1", "run_n1"], due.Select(r => r.Id));
        Assert.Equal(["run_o1", "run_n1"], (await store.DueFlowRunsAsync(Time.GetUtcNow(), 10, ["run_a1"], default)).Select(r => r.Id));
        Assert.Equal(Time.GetUtcNow(), await store.NextFlowRunDueAsync(default));

        // Finishing the first run of rec_a releases the second; a failed run does not hold later ones back.
        await store.ExecuteAsync(tx =>
        {
            tx.SaveFlowRun(tx.LoadFlowRun("run_a1")! with { Status = FlowRunStatus.Failed, Error = "boom", Step = "s1", FinishedAt = Time.GetUtcNow() });
            return true;
        }, default);
        Assert.Contains("run_a2", (await store.DueFlowRunsAsync(Time.GetUtcNow(), 10, [], default)).Select(r => r.Id));

        Time.Advance(TimeSpan.FromMinutes(5));
        Assert.Contains("run_b1", (await store.DueFlowRunsAsync(Time.GetUtcNow(), 10, [], default)).Select(r => r.Id));
    }

    [Fact]
    public async Task FlowSteps_AreSavedAndReplacedByRunAndStep_AndReadInPositionOrder()
    {
        var store = await Open();
        await store.ExecuteAsync(tx =>
        {
            tx.EnqueueFlowRun(Run("run_s"));
            tx.SaveFlowStep(new FlowStepState { RunId = "run_s", StepId = "notify", Position = 2, Status = FlowStepStatus.Started, Attempts = 1, IdempotencyKey = "run_s.notify", Input = "{\"text\":\"hi\"}", StartedAt = Time.GetUtcNow() });
            tx.SaveFlowStep(new FlowStepState { RunId = "run_s", StepId = "find", Position = 1, Status = FlowStepStatus.Succeeded, Attempts = 1, IdempotencyKey = "run_s.find", Output = "{\"id\":\"rec_1\"}" });
            tx.SaveFlowStep(new FlowStepState { RunId = "run_s", StepId = "notify", Position = 2, Status = FlowStepStatus.Succeeded, Attempts = 2, IdempotencyKey = "run_s.notify", Input = "{\"text\":\"hi\"}", Output = "{\"status\":200}", FinishedAt = Time.GetUtcNow() });
            return true;
        }, default);

        var steps = await store.GetFlowStepsAsync("run_s", default);
        Assert.Equal(["find", "notify"], steps.Select(s => s.StepId));
        Assert.Equal(FlowStepStatus.Succeeded, steps[1].Status);
        Assert.Equal(2, steps[1].Attempts);
        Assert.Equal("{\"text\":\"hi\"}", steps[1].Input);
        Assert.Equal(steps, await store.ExecuteAsync(tx => tx.LoadFlowSteps("run_s"), default));
    }

    [Fact]
    public async Task FlowHistory_IsSearchablePerFlowAndRecord_NewestFirst_AndCountedPerFlowAndStatus()
    {
        var store = await Open();
        await store.ExecuteAsync(tx =>
        {
            tx.EnqueueFlowRun(Run("run_1", flow: "a", record: "rec_1", status: FlowRunStatus.Succeeded));
            tx.EnqueueFlowRun(Run("run_2", flow: "a", record: "rec_2", status: FlowRunStatus.Succeeded));
            tx.EnqueueFlowRun(Run("run_3", flow: "b", record: "rec_1", status: FlowRunStatus.Failed));
            return true;
        }, default);

        Assert.Equal(["run_2", "run_1"], (await store.QueryFlowRunsAsync(new FlowRunQuery(Flow: "a"), default)).Select(r => r.Id));
        Assert.Equal(["run_3", "run_1"], (await store.QueryFlowRunsAsync(new FlowRunQuery(RecordId: "rec_1"), default)).Select(r => r.Id));
        Assert.Equal(["run_3"], (await store.QueryFlowRunsAsync(new FlowRunQuery(Status: FlowRunStatus.Failed), default)).Select(r => r.Id));
        var counts = await store.CountFlowRunsAsync(Time.GetUtcNow() - TimeSpan.FromDays(1), default);
        Assert.Contains(new FlowRunCount("a", FlowRunStatus.Succeeded, 2), counts);
        Assert.Contains(new FlowRunCount("b", FlowRunStatus.Failed, 1), counts);
        Assert.Empty(await store.CountFlowRunsAsync(Time.GetUtcNow() + TimeSpan.FromSeconds(1), default));
    }

    [Fact]
    public async Task WhoReplayedARun_AndWhen_AreKeptThroughLaterSaves_AndReadByEveryRead()
    {
        var store = await Open("replayed");
        await store.ExecuteAsync(tx =>
        {
            tx.EnqueueFlowRun(Run("run_f", record: "rec_f", status: FlowRunStatus.Failed) with { Step = "notify", Error = "answered 400" });
            tx.EnqueueFlowRun(Run("run_n", record: "rec_n", status: FlowRunStatus.Succeeded));
            return true;
        }, default);
        Assert.Equal((null, null), ((await store.GetFlowRunAsync("run_f", default))!.ReplayedBy, (await store.GetFlowRunAsync("run_f", default))!.ReplayedAt));

        var replayedAt = Time.GetUtcNow();
        await store.ExecuteAsync(tx =>
        {
            tx.SaveFlowRun(tx.LoadFlowRun("run_f")! with { Status = FlowRunStatus.Pending, Replays = 1, ReplayedBy = "dashboard:ops", ReplayedAt = replayedAt });
            return true;
        }, default);

        // The runner saves the run again as it goes on; what it loaded carries who replayed it.
        Time.Advance(TimeSpan.FromSeconds(3));
        await store.ExecuteAsync(tx =>
        {
            Assert.Equal(("dashboard:ops", replayedAt), (tx.LoadFlowRun("run_f")!.ReplayedBy, tx.LoadFlowRun("run_f")!.ReplayedAt));
            tx.SaveFlowRun(tx.LoadFlowRun("run_f")! with { Status = FlowRunStatus.Succeeded, Step = null, Error = null, FinishedAt = Time.GetUtcNow(), UpdatedAt = Time.GetUtcNow() });
            return true;
        }, default);

        var run = await store.GetFlowRunAsync("run_f", default);
        Assert.Equal((FlowRunStatus.Succeeded, 1, "dashboard:ops", replayedAt), (run!.Status, run.Replays, run.ReplayedBy, run.ReplayedAt));
        var listed = await store.QueryFlowRunsAsync(new FlowRunQuery(), default);
        Assert.Equal(("dashboard:ops", replayedAt), (listed.Single(r => r.Id == "run_f").ReplayedBy, listed.Single(r => r.Id == "run_f").ReplayedAt));
        Assert.Null(listed.Single(r => r.Id == "run_n").ReplayedBy);
        Assert.Null(listed.Single(r => r.Id == "run_n").ReplayedAt);

        await store.DisposeAsync();
        var again = await Open("replayed");
        Assert.Equal(("dashboard:ops", replayedAt), ((await again.GetFlowRunAsync("run_f", default))!.ReplayedBy, (await again.GetFlowRunAsync("run_f", default))!.ReplayedAt));
    }

    [Fact]
    public async Task FlowRuns_SurviveReopening()
    {
        var store = await Open("reopen");
        await store.ExecuteAsync(tx => tx.EnqueueFlowRun(Run("run_r", status: FlowRunStatus.Running) with { Step = "notify", Depth = 2, CausedBy = "run_p" }), default);
        await store.DisposeAsync();
        var again = await Open("reopen");
        var run = await again.GetFlowRunAsync("run_r", default);
        Assert.NotNull(run);
        Assert.Equal((FlowRunStatus.Running, "notify", 2, "run_p"), (run.Status, run.Step, run.Depth, run.CausedBy));
        Assert.True(run.Sequence > 0);
    }
}
