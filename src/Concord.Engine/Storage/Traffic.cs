namespace Concord.Engine.Storage;

/// <summary>
/// The volume of one subject in one clock hour (UTC): a system's accepted inbound changes and
/// delivery attempts, or a flow's started runs. Kept far longer than the transaction log, so a
/// baseline can be learned per hour of the week.
/// </summary>
/// <param name="Subject"><c>system:&lt;name&gt;</c> or <c>flow:&lt;name&gt;</c>.</param>
/// <param name="Type">The entity type for a system's traffic; null for a flow (or all types).</param>
/// <param name="Hour">The start of the hour, UTC.</param>
/// <param name="Inbound">Changes accepted from the system; runs started for a flow.</param>
/// <param name="Outbound">Delivery attempts to the system (0 for a flow).</param>
/// <param name="Failed">Failed delivery attempts; failed runs for a flow.</param>
public sealed record TrafficHour(string Subject, string? Type, DateTimeOffset Hour, long Inbound, long Outbound, long Failed);

/// <summary>What one rollup did: log lines counted into the history, and history hours dropped by retention.</summary>
public sealed record TrafficRollup(long Lines, long Expired);

/// <summary>Hourly traffic history: rolled up from the log before it is pruned.</summary>
public interface ITrafficStore
{
    /// <summary>
    /// The hours from <paramref name="since"/> (inclusive) to <paramref name="until"/> (exclusive), rolled up or
    /// counted live for hours not rolled up yet, so the current hour is included.
    /// </summary>
    Task<IReadOnlyList<TrafficHour>> GetTrafficAsync(DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken);

    /// <summary>Adds counts to the history (summed with what the hour already holds).</summary>
    Task AddTrafficAsync(IReadOnlyList<TrafficHour> hours, CancellationToken cancellationToken);

    /// <summary>
    /// Counts every log line of the hours finished by <paramref name="now"/> that is not counted yet into the history
    /// (each line once, however often this runs), and drops history hours before <paramref name="keepSince"/>.
    /// </summary>
    Task<TrafficRollup> RollUpTrafficAsync(DateTimeOffset now, DateTimeOffset keepSince, CancellationToken cancellationToken);
}
