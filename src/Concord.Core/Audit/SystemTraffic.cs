namespace Concord.Core.Audit;

/// <summary>
/// What the hub's store shows of one system's traffic, passed to <see cref="StackAudit"/> as data so the
/// audit itself does no I/O.
/// </summary>
/// <param name="LastInbound">When the system last sent a change the hub accepted; null if never (or not kept).</param>
/// <param name="LastOutbound">When a delivery to the system last succeeded; null if never (or not kept).</param>
/// <param name="DeadLast7Days">Deliveries to the system dead-lettered in the last 7 days.</param>
/// <param name="FailuresLast7Days">Failed delivery attempts to the system in the last 7 days.</param>
public sealed record SystemTraffic(DateTimeOffset? LastInbound, DateTimeOffset? LastOutbound, int DeadLast7Days, int FailuresLast7Days)
{
    public static SystemTraffic None { get; } = new(null, null, 0, 0);

    /// <summary>The later of the last inbound and last outbound success.</summary>
    public DateTimeOffset? LastActivity => LastInbound is { } i && LastOutbound is { } o ? (i > o ? i : o) : LastInbound ?? LastOutbound;
}
