namespace Concord.Core.Map;

/// <summary>A rectangle on the canvas, in pixels, y downwards.</summary>
public sealed record MapRect(double X, double Y, double Width, double Height)
{
    public double Right => X + Width;

    public double Bottom => Y + Height;

    /// <summary>The two rectangles share some area (touching edges do not count).</summary>
    public bool Overlaps(MapRect other) =>
        X < other.Right - 0.01 && other.X < Right - 0.01 && Y < other.Bottom - 0.01 && other.Y < Bottom - 0.01;

    public bool Contains(MapRect other) =>
        other.X >= X - 0.01 && other.Right <= Right + 0.01 && other.Y >= Y - 0.01 && other.Bottom <= Bottom + 0.01;

    public MapRect Offset(double dx, double dy) => this with { X = X + dx, Y = Y + dy };
}

/// <summary>What a box on the map stands for.</summary>
public enum MapNodeKind
{
    /// <summary>A connected system.</summary>
    System,

    /// <summary>An audit-only tool (<c>tools:</c>), greyed.</summary>
    Tool,

    /// <summary>An entity type in the hub's column.</summary>
    Type,

    /// <summary>The background of one layer's systems on one side.</summary>
    Band,

    /// <summary>The frame around the entity types.</summary>
    Hub,

    Legend,

    /// <summary>The list of flows under the map.</summary>
    Flows,
}

/// <summary>A box: <paramref name="Id"/> is the system, type or layer it draws.</summary>
/// <remarks><paramref name="State"/> is a system's on a live map, null otherwise.</remarks>
public sealed record MapNode(string Id, MapNodeKind Kind, MapRect Box, SystemState? State, string Tooltip);

/// <summary>How a text is drawn: its colour and weight come from the class.</summary>
public enum MapTextStyle
{
    Plain,
    Strong,
    Muted,
    Title,
    Band,
    Owner,

    /// <summary>Something missing that the map cannot draw around (a type without an owner).</summary>
    Alert,

    /// <summary>A system's state, in the state's colour (see <see cref="SystemStateLook"/>).</summary>
    Healthy,
    Degraded,
    CircuitOpen,
    Silent,
}

/// <summary>
/// One line of text, left-aligned at <paramref name="X"/> on <paramref name="Baseline"/>. <paramref name="Bounds"/> is the
/// space it takes (estimated with <see cref="TextWidth"/>); <paramref name="Node"/> is the box it is written in, if any.
/// </summary>
public sealed record MapText(string Text, double X, double Baseline, double Size, MapTextStyle Style, string? Node, MapRect Bounds)
{
    public bool Bold => IsBold(Style);

    /// <summary>Whether the SVG draws the style in bold (owners and health words are, to stand out), so it is measured bold.</summary>
    public static bool IsBold(MapTextStyle style) => style is not (MapTextStyle.Plain or MapTextStyle.Muted);
}

/// <summary>
/// A connection drawn from the system's row (<paramref name="X1"/>, <paramref name="Y1"/>) to the type's side
/// (<paramref name="X2"/>, <paramref name="Y2"/>). <paramref name="State"/> is null on a map drawn offline.
/// </summary>
public sealed record MapEdge(string System, string Type, MapDirection Direction, bool Owner, SystemState? State, double X1, double Y1, double X2, double Y2, string Tooltip);

/// <summary>The area of the flows panel that describes one flow.</summary>
public sealed record MapFlowRow(string Flow, MapRect Box);

/// <summary>A sample in the legend: a line in an edge style, or a tool's greyed box.</summary>
public sealed record MapSwatch(MapRect Box, SystemState? State, bool Owner, bool Arrow, bool Tool);

/// <summary>Everything placed: what the SVG writer draws, and what the tests measure.</summary>
public sealed class MapLayout
{
    public required double Width { get; init; }

    public required double Height { get; init; }

    /// <summary>Figures from a running hub are drawn (colours, volumes, "last verified").</summary>
    public required bool Live { get; init; }

    public required string Title { get; init; }

    public required IReadOnlyList<MapNode> Nodes { get; init; }

    public required IReadOnlyList<MapText> Texts { get; init; }

    public required IReadOnlyList<MapEdge> Edges { get; init; }

    public required IReadOnlyList<MapSwatch> Swatches { get; init; }

    /// <summary>Where each flow is written in the flows panel (its name line and the line of what it reaches).</summary>
    public IReadOnlyList<MapFlowRow> FlowRows { get; init; } = [];

    /// <summary>Pairs of edges on the same side that cross between the columns (what the ordering minimises).</summary>
    public int Crossings { get; init; }
}
