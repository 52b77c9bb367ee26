using Concord.Core.Audit;
using Concord.Engine.Storage;

namespace Concord.Engine.Audit;

/// <summary>
/// What the hub's store shows of each system's traffic, in the form <see cref="StackAudit"/> reads: the last change
/// accepted and the last delivery that succeeded (from the log, then from the longer-kept hourly history), and the dead
/// deliveries and failed attempts of the last 7 days. <c>concord audit</c> reads it from the store file; the
/// dashboard from the running hub's store, so both report the same.
/// </summary>
public static class AuditTraffic
{
    /// <summary>Dead deliveries and failed attempts are counted over this window.</summary>
    public static readonly TimeSpan FailureWindow = TimeSpan.FromDays(7);

    /// <summary>The stack audit of <paramref name="config"/> as of <paramref name="at"/>, with the traffic in <paramref name="store"/>.</summary>
    public static async Task<AuditReport> AuditAsync(Core.Configuration.HubConfig config, IHubStore store, DateTimeOffset at, CancellationToken cancellationToken) =>
        StackAudit.Run(config, await ReadAsync(store, at, cancellationToken), at);

    public static async Task<Dictionary<string, SystemTraffic>> ReadAsync(IHubStore store, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var traffic = new Dictionary<string, SystemTraffic>(StringComparer.Ordinal);
        foreach (var a in await store.GetSystemActivityAsync(at - FailureWindow, cancellationToken))
        {
            traffic[a.System] = new SystemTraffic(a.LastInboundAt, a.LastDeliveredAt, (int)a.DeadSince, (int)a.FailedSince);
        }

        await AddTrafficHistoryAsync(store, traffic, at, cancellationToken);
        return traffic;
    }

    /// <summary>
    /// The log is pruned after <c>hub.log_retention</c> (30 days by default), the hourly traffic history much later:
    /// a system last heard from 30 to 90 days ago is only found there, and is not silent yet.
    /// </summary>
    private static async Task AddTrafficHistoryAsync(IHubStore store, Dictionary<string, SystemTraffic> traffic, DateTimeOffset at, CancellationToken cancellationToken)
    {
        const string Prefix = "system:";
        foreach (var hour in await store.GetTrafficAsync(at - StackAudit.SilentAfter, at, cancellationToken))
        {
            if (!hour.Subject.StartsWith(Prefix, StringComparison.Ordinal))
            {
                continue;
            }

            var system = hour.Subject[Prefix.Length..];
            var seen = traffic.GetValueOrDefault(system) ?? SystemTraffic.None;

            // Within an hour the history does not say when: its start is the earliest the traffic can have been.
            var inbound = hour.Inbound > 0 && (seen.LastInbound is not { } i || i < hour.Hour) ? hour.Hour : seen.LastInbound;
            var outbound = hour.Outbound > hour.Failed && (seen.LastOutbound is not { } o || o < hour.Hour) ? hour.Hour : seen.LastOutbound;
            traffic[system] = seen with { LastInbound = inbound, LastOutbound = outbound };
        }
    }
}
