namespace Concord.Core.Map;

/// <summary>
/// How a connected system is doing, in the four words every view of the hub uses: the overview, the live map (SVG,
/// Mermaid, <c>concord map --live</c>) and the dashboard's map page. The judgement is made once, in the engine
/// (<c>SystemStates</c>); this type only names it, so the words and their look cannot drift apart between views.
/// </summary>
public enum SystemState
{
    /// <summary>None of the below.</summary>
    Healthy,

    /// <summary>Deliveries dead-lettered or retrying, attempts failing, a circuit probing, or a poller that cannot read.</summary>
    Degraded,

    /// <summary>The circuit breaker stopped the hub calling the system.</summary>
    CircuitOpen,

    /// <summary>The silence alert rule found its inbound volume far below its usual for these hours.</summary>
    Silent,
}

/// <summary>A system's state and why (<c>2 dead deliveries</c>, the silence incident's summary); no reason when healthy.</summary>
public sealed record SystemStatus(SystemState State, string? Reason = null)
{
    /// <summary><c>healthy</c>, <c>degraded</c>, <c>circuit open</c>, <c>silent</c>.</summary>
    public string Word => State.Word();

    /// <summary>The word and, when there is one, the reason: <c>degraded: 1 dead delivery</c>.</summary>
    public override string ToString() => Reason is null ? Word : $"{Word}: {Reason}";
}

/// <summary>
/// How each state is written and drawn. Each has its own shape beside the word and its own dash pattern on the map, so
/// the state reads the same without colour.
/// </summary>
public static class SystemStateLook
{
    /// <summary>Every state, worst last: the order a connection's state takes the worse of its system's and its own.</summary>
    public static IReadOnlyList<SystemState> All { get; } = [SystemState.Healthy, SystemState.Degraded, SystemState.Silent, SystemState.CircuitOpen];

    public static string Word(this SystemState state) => state switch
    {
        SystemState.Healthy => "healthy",
        SystemState.Degraded => "degraded",
        SystemState.CircuitOpen => "circuit open",
        _ => "silent",
    };

    /// <summary>The shape written before the word: ✓ ▲ ✕ ○.</summary>
    public static string Marker(this SystemState state) => state switch
    {
        SystemState.Healthy => "✓",
        SystemState.Degraded => "▲",
        SystemState.CircuitOpen => "✕",
        _ => "○",
    };

    /// <summary>The word as a name for style classes: <c>healthy</c>, <c>degraded</c>, <c>circuit-open</c>, <c>silent</c>.</summary>
    public static string Slug(this SystemState state) => state.Word().Replace(' ', '-');

    /// <summary>The colour of the state's words, borders and lines (each at least 4.5:1 on white).</summary>
    public static string Colour(this SystemState state) => state switch
    {
        SystemState.Healthy => "#2e7d32",
        SystemState.Degraded => "#b45309",
        SystemState.CircuitOpen => "#c62828",
        _ => "#5b21b6",
    };

    /// <summary>The SVG dash pattern of its lines and borders: none (solid), dashed, dotted, dash-dot.</summary>
    public static string? Dash(this SystemState state) => state switch
    {
        SystemState.Healthy => null,
        SystemState.Degraded => "8 4",
        SystemState.CircuitOpen => "2 3",
        _ => "10 3 2 3",
    };

    /// <summary>How the legend names the line: <c>solid</c>, <c>dashed</c>, <c>dotted</c>, <c>dash-dot</c>.</summary>
    public static string LineName(this SystemState state) => state switch
    {
        SystemState.Healthy => "solid",
        SystemState.Degraded => "dashed",
        SystemState.CircuitOpen => "dotted",
        _ => "dash-dot",
    };

    /// <summary>The worse of two states, in the order of <see cref="All"/>.</summary>
    public static SystemState Worse(SystemState a, SystemState b) => Order.IndexOf(a) >= Order.IndexOf(b) ? a : b;

    private static readonly List<SystemState> Order = [.. All];
}
