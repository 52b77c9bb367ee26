namespace Concord.Core.Map;

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

/// <summary>What the running hub adds to the map: each system's state and figures per connection.</summary>
/// <param name="Now">When the figures were read (for "verified 2 h ago").</param>
/// <param name="Systems">State by system name; a system missing here (an audit-only tool) has none.</param>
/// <param name="Connections">Figures by (system, type); a connection missing here has none.</param>
public sealed record MapOverlay(DateTimeOffset Now, IReadOnlyDictionary<string, SystemStatus> Systems, IReadOnlyDictionary<(string System, string Type), ConnectionStatus> Connections)
{
    public SystemStatus? SystemOf(string system) => Systems.GetValueOrDefault(system);

    public ConnectionStatus ConnectionOf(string system, string type) => Connections.GetValueOrDefault((system, type)) ?? ConnectionStatus.None;

    /// <summary>
    /// A connection is in its system's state, made worse by its own figures: failed attempts of the type, drift at the
    /// last check, or a check that could not finish make a healthy system's connection degraded. Null when neither the
    /// system nor the figures say anything.
    /// </summary>
    public SystemState? StateOf(MapConnection connection)
    {
        var figures = ConnectionOf(connection.System, connection.Type);
        SystemState? own = figures.Failed > 0 || figures.Drifted > 0 || figures.VerifyError is not null ? SystemState.Degraded : null;
        var system = SystemOf(connection.System)?.State;
        return system is { } s && own is { } o ? SystemStateLook.Worse(s, o) : system ?? own;
    }
}
