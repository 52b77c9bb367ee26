using System.Diagnostics;
using System.Text.Json.Nodes;
using Concord.Core.Configuration;
using Concord.Core.Flows.Model;
using Concord.Engine.Connectors;
using Concord.Engine.Storage;

namespace Concord.Engine.Flows;

/// <summary>
/// What the server and the command line do with flows: start a run by hand or from a signed webhook,
/// replay a failed run, wait for a run to end, and try a flow out without writing anything.
/// </summary>
public sealed class FlowEngine(HubConfig config, IHubStore store, FlowExecutor executor, FlowRunner runner, TimeProvider time, Func<string, string?>? environment = null)
{
    /// <summary>Longest <c>X-Concord-Delivery</c> id kept.</summary>
    public const int MaxDeliveryId = 255;

    public FlowRunner Runner => runner;

    /// <summary>Runs a flow once over an input, as a dry run or for real, and reports each step.</summary>
    public FlowTester Tester { get; } = new(config, store, executor, time);

    /// <summary>Starts a run of <paramref name="flow"/> (whatever its trigger) with <paramref name="input"/>; <paramref name="by"/> says who.</summary>
    public async Task<FlowRun> StartManualAsync(string flow, JsonObject input, string by, CancellationToken cancellationToken)
    {
        var run = NewRun(Enabled(flow), "manual", null, RunData.ForManual(input, by, time.GetUtcNow()), time);
        await store.ExecuteAsync(tx => tx.EnqueueFlowRun(run), cancellationToken);
        runner.Wake();
        return run;
    }

    /// <summary>
    /// Starts a run from a POST to <c>/hooks/flows/{flow}</c> once its signature checks out. Returns null when
    /// its <c>X-Concord-Delivery</c> id was seen before (a retry of a delivery that started a run already).
    /// </summary>
    /// <exception cref="WebhookRejectedException">The signature is missing or wrong, or the flow's secret is not set.</exception>
    /// <exception cref="FlowRefusedException">No such flow, it is not started by a webhook, or it is paused.</exception>
    public async Task<FlowRun?> AcceptWebhookAsync(string flow, InboundRequest request, CancellationToken cancellationToken)
    {
        var flowConfig = Enabled(flow);
        if (flowConfig.Trigger is not WebhookTrigger trigger)
        {
            throw new FlowRefusedException($"flow '{flow}' is not started by a webhook", notFound: true);
        }

        var secret = trigger.Secret.Resolve(environment) ?? throw new WebhookRejectedException($"the webhook secret of flow '{flow}' ({trigger.Secret}) is not set");
        if (FlowWebhookSignature.Verify(secret, request.Header(FlowWebhookSignature.SignatureHeader), request.Body.Span) is { } problem)
        {
            throw new WebhookRejectedException(problem);
        }

        var delivery = request.Header(FlowWebhookSignature.DeliveryHeader)?.Trim();
        if (delivery is { Length: > MaxDeliveryId })
        {
            throw new WebhookRejectedException($"{FlowWebhookSignature.DeliveryHeader} is longer than {MaxDeliveryId} characters");
        }

        var run = NewRun(flowConfig, "webhook", string.IsNullOrEmpty(delivery) ? null : "delivery:" + delivery, RunData.ForWebhook(request.Body, delivery, time.GetUtcNow()), time);
        if (!await store.ExecuteAsync(tx => tx.EnqueueFlowRun(run), cancellationToken))
        {
            return null;
        }

        runner.Wake();
        return run;
    }

    /// <summary>
    /// Puts a failed or stopped run back in the queue: it resumes at the step that failed, with a new
    /// idempotency key (the side effect is meant to happen again); steps that succeeded are not run again.
    /// A step that failed waiting for its write's delivery waits again (the write is not repeated).
    /// <paramref name="by"/> (who asked: an API key's name, <c>dashboard:NAME</c>, <c>cli</c>) and when are kept on the run.
    /// </summary>
    public async Task<FlowRun> ReplayAsync(string runId, string by, CancellationToken cancellationToken)
    {
        var replayed = await store.ExecuteAsync(tx =>
        {
            var run = tx.LoadFlowRun(runId) ?? throw new FlowRefusedException($"no flow run {runId}", notFound: true);
            if (run.Status is not (FlowRunStatus.Failed or FlowRunStatus.Stopped))
            {
                throw new FlowRefusedException($"run {runId} is {run.Status.ToString().ToLowerInvariant()}; only a failed or stopped run can be replayed");
            }

            var now = time.GetUtcNow();
            var replays = run.Replays + 1;
            if (run.Step is { } stepId && tx.LoadFlowSteps(runId).FirstOrDefault(s => s.StepId == stepId && s.Status == FlowStepStatus.Failed) is { } failed)
            {
                tx.SaveFlowStep(DeliveryAwait.TryRead(failed.Output is null ? null : JsonNode.Parse(failed.Output), out _)
                    ? failed with { Status = FlowStepStatus.Waiting, Error = null, StartedAt = now, FinishedAt = null }
                    : failed with
                    {
                        Status = FlowStepStatus.Started, Attempts = 0, Error = null, Output = null, FinishedAt = null,
                        IdempotencyKey = $"{runId}.{stepId}.r{replays}",
                    });
            }

            var again = run with
            {
                Status = FlowRunStatus.Pending, Replays = replays, Error = null, FinishedAt = null, NextAt = now, UpdatedAt = now,
                ReplayedBy = by, ReplayedAt = now,
            };
            tx.SaveFlowRun(again);
            return again;
        }, cancellationToken);
        runner.Wake();
        return replayed;
    }

    /// <summary>
    /// Waits (up to <paramref name="timeout"/> of real time) for a run to finish; returns it as it stands then,
    /// finished or not, or null when there is no such run.
    /// </summary>
    public async Task<FlowRun?> WaitForRunAsync(string runId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var settled = new SemaphoreSlim(0);
        void OnSettled(FlowRun run)
        {
            if (run.Id == runId)
            {
                try
                {
                    settled.Release();
                }
                catch (ObjectDisposedException)
                {
                    // The wait ended meanwhile.
                }
            }
        }

        runner.RunSettled += OnSettled;
        try
        {
            var clock = Stopwatch.StartNew();
            while (true)
            {
                var run = await store.GetFlowRunAsync(runId, cancellationToken);
                var left = timeout - clock.Elapsed;
                if (run is null || run.IsFinished || left <= TimeSpan.Zero)
                {
                    return run;
                }

                await settled.WaitAsync(left < TimeSpan.FromMilliseconds(100) ? left : TimeSpan.FromMilliseconds(100), cancellationToken);
            }
        }
        finally
        {
            runner.RunSettled -= OnSettled;
        }
    }

    /// <summary>
    /// Runs <paramref name="flow"/> once over <paramref name="input"/> and reports each step: as a dry run
    /// (nothing written or sent), or for real, waiting up to <paramref name="timeout"/> for the run to end.
    /// </summary>
    public async Task<FlowTestReport> TestAsync(string flow, JsonObject input, string by, bool dryRun, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (dryRun)
        {
            return await Tester.DryRunAsync(flow, input, by, cancellationToken);
        }

        var started = await StartManualAsync(flow, input, by, cancellationToken);
        var run = await WaitForRunAsync(started.Id, timeout, cancellationToken) ?? started;
        return FlowTester.Report(config.Flows[flow], run, await store.GetFlowStepsAsync(run.Id, cancellationToken), dryRun: false);
    }

    private FlowConfig Enabled(string flow)
    {
        if (!config.Flows.TryGetValue(flow, out var flowConfig))
        {
            throw new FlowRefusedException($"no flow named '{flow}' is configured", notFound: true);
        }

        return flowConfig.Enabled ? flowConfig : throw new FlowRefusedException($"flow '{flow}' is paused (enabled: false)");
    }

    internal static FlowRun NewRun(FlowConfig flow, string kind, string? key, JsonObject input, TimeProvider time)
    {
        var now = time.GetUtcNow();
        return new FlowRun
        {
            Id = Ids.New("run", time),
            Flow = flow.Name,
            TriggerKind = kind,
            TriggerKey = key,
            Status = FlowRunStatus.Pending,
            Input = input.ToJsonString(),
            CreatedAt = now,
            UpdatedAt = now,
            NextAt = now,
        };
    }
}
