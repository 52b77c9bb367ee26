namespace Concord.Core.Map;

/// <summary>How a system or a connection is doing, as far as the running hub can tell.</summary>
public enum MapHealth
{
    /// <summary>No figures for it (the store keeps none, or the system is an audit-only tool).</summary>
    Unknown,

    Ok,

    /// <summary>Failures are being retried, or the last check found drift: look soon.</summary>
    Degraded,

    /// <summary>Deliveries dead-lettered, the circuit open, or most attempts failing: act now.</summary>
    Failing,
}

/// <summary>A system's health and the reason for it (<c>2 dead deliveries</c>), for the map's badge and tooltip.</summary>
public sealed record SystemStatus(MapHealth Health, string? Reason = null);

/// <summary>
/// The live figures of one connection. Null means the hub keeps no such figure (no hourly traffic store, never
/// verified), which the map shows as such rather than as zero.
/// </summary>
/// <param name="Inbound">Changes of the type accepted from the system in the last 24 hours.</param>
/// <param name="Outbound">Delivery attempts of the type to the system in the last 24 hours.</param>
/// <param name="Failed">Failed delivery attempts of the type to the system in the last 24 hours.</param>
/// <param name="VerifiedAt">When reconciliation last compared the system with the hub for the type.</param>
/// <param name="Drifted">Records that differed at that check.</param>
/// <param name="VerifyError">Why the last check could not finish.</param>
public sealed record ConnectionStatus(long? Inbound, long? Outbound, long? Failed, DateTimeOffset? VerifiedAt, long? Drifted, string? VerifyError = null)
{
    public static ConnectionStatus None { get; } = new(null, null, null, null, null);
}

/// <summary>What the running hub adds to the map: health per system and figures per connection.</summary>
/// <param name="Now">When the figures were read (for "verified 2 h ago").</param>
/// <param name="Systems">Health by system name; a system missing here is unknown.</param>
/// <param name="Connections">Figures by (system, type); a connection missing here has none.</param>
public sealed record MapOverlay(DateTimeOffset Now, IReadOnlyDictionary<string, SystemStatus> Systems, IReadOnlyDictionary<(string System, string Type), ConnectionStatus> Connections)
{
    public SystemStatus SystemOf(string system) => Systems.GetValueOrDefault(system) ?? new SystemStatus(MapHealth.Unknown);

    public ConnectionStatus ConnectionOf(string system, string type) => Connections.GetValueOrDefault((system, type)) ?? ConnectionStatus.None;

    /// <summary>
    /// A connection is as healthy as its system, made worse by its own figures: failed attempts of the type, drift at
    /// the last check, or a check that could not finish.
    /// </summary>
    public MapHealth HealthOf(MapConnection connection)
    {
        var health = SystemOf(connection.System).Health;
        var figures = ConnectionOf(connection.System, connection.Type);
        var own = figures.Failed > 0 || figures.Drifted > 0 || figures.VerifyError is not null ? MapHealth.Degraded : MapHealth.Ok;
        return health == MapHealth.Unknown ? (own == MapHealth.Degraded ? own : health) : (MapHealth)Math.Max((int)health, (int)own);
    }
}
