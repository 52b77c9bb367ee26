using System.Globalization;
using Concord.Core.Configuration;
using Concord.Core.Flows.Model;
using Concord.Engine.Hosting;
using Concord.Engine.Storage;
using Microsoft.Extensions.Logging;

namespace Concord.Engine.Flows;

/// <summary>
/// Starts the flows that run on a schedule. Each flow's last fired slot is kept in the store (connector
/// state of the system <see cref="StateSystem"/>); the next slot is the first after it. After downtime
/// the latest missed slot fires once, not every slot missed. A slot's run carries the trigger key
/// <c>schedule:&lt;slot&gt;</c>, so a slot fires once even if the hub stops between enqueuing its run and
/// remembering it. A flow seen for the first time starts counting from now.
/// </summary>
/// <param name="config">The configuration whose scheduled flows are started.</param>
/// <param name="store">Where runs are enqueued and the last slots kept.</param>
/// <param name="time">The clock.</param>
/// <param name="logger">For failures of the loop.</param>
/// <param name="onEnqueued">Called when runs were enqueued (the runner is woken).</param>
/// <param name="nextSlot">The first slot of a schedule strictly after a moment; the trigger's cron in its time zone by default.</param>
public sealed class FlowScheduler(HubConfig config, IHubStore store, TimeProvider time, ILogger logger, Action onEnqueued,
    Func<ScheduleTrigger, DateTimeOffset, DateTimeOffset>? nextSlot = null)
{
    /// <summary>The connector-state system the last fired slots are kept under.</summary>
    public const string StateSystem = "flows";

    /// <summary>Longest single wait between looks; the configuration is read again each time.</summary>
    private static readonly TimeSpan MaxIdle = TimeSpan.FromMinutes(1);

    /// <summary>Slots walked past at most when catching up (every minute for about two years).</summary>
    private const int MaxCatchUp = 1_100_000;

    private readonly Func<ScheduleTrigger, DateTimeOffset, DateTimeOffset> _next = nextSlot ?? ((trigger, after) => trigger.Cron.NextAfter(after, trigger.Zone));
    private readonly AsyncSignal _wake = new(time);

    /// <summary>Look now (the clock was moved, or a test wants the next tick).</summary>
    public void Wake() => _wake.Set();

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var next = await TickAsync(cancellationToken);
                var now = time.GetUtcNow();
                var until = next is { } due && due - now < MaxIdle ? due : now + MaxIdle;
                await _wake.WaitUntilAsync(until, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Starting scheduled flows failed; retrying in 1 minute");
                await _wake.WaitAsync(MaxIdle, cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    /// <summary>Fires every scheduled flow whose slot has come; returns when the next slot of any of them comes.</summary>
    public async Task<DateTimeOffset?> TickAsync(CancellationToken cancellationToken)
    {
        DateTimeOffset? earliest = null;
        var enqueued = 0;
        foreach (var flow in config.Flows.Values)
        {
            if (!flow.Enabled || flow.Trigger is not ScheduleTrigger trigger)
            {
                continue;
            }

            try
            {
                var (next, fired) = await FireAsync(flow, trigger, cancellationToken);
                enqueued += fired ? 1 : 0;
                earliest = earliest is null || next < earliest ? next : earliest;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // One flow's schedule failing must not hold up the others.
                logger.LogError(ex, "Flow {Flow}: could not start its scheduled run", flow.Name);
            }
        }

        if (enqueued > 0)
        {
            onEnqueued();
        }

        return earliest;
    }

    /// <summary>Fires the flow's latest slot that has come, if it has not fired yet; returns its next slot.</summary>
    private async Task<(DateTimeOffset Next, bool Fired)> FireAsync(FlowConfig flow, ScheduleTrigger trigger, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var key = "schedule:" + flow.Name;
        var last = await store.GetConnectorStateAsync(StateSystem, key, cancellationToken) is { } text
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var stored) ? stored : (DateTimeOffset?)null;
        if (last is null)
        {
            await store.SetConnectorStateAsync(StateSystem, key, RunData.Iso(now), cancellationToken);
            last = now;
        }

        var slot = _next(trigger, last.Value);
        if (slot > now)
        {
            return (slot, false);
        }

        // Missed slots (the hub was down) collapse into the latest one.
        for (var i = 0; i < MaxCatchUp && _next(trigger, slot) is var later && later <= now; i++)
        {
            slot = later;
        }

        var run = FlowEngine.NewRun(flow, "schedule", "schedule:" + RunData.Iso(slot), RunData.ForSchedule(slot, trigger.Zone), time);
        var fired = await store.ExecuteAsync(tx => tx.EnqueueFlowRun(run), cancellationToken);
        await store.SetConnectorStateAsync(StateSystem, key, RunData.Iso(slot), cancellationToken);
        return (_next(trigger, slot), fired);
    }
}
