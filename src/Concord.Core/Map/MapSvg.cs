using System.Globalization;
using System.Text;

namespace Concord.Core.Map;

/// <summary>
/// Writes a laid-out map as one self-contained SVG document: inline styles, no scripts, no external
/// references, every configured name escaped. A system's state (<see cref="SystemStateLook"/>) is carried by colour and
/// also by the line's dash pattern and the badge's shape and word, so the map reads the same without colour.
/// </summary>
public static class MapSvg
{
    /// <summary>The class of a map embedded in a page: its style sheet applies only inside it.</summary>
    public const string EmbeddedClass = "concord-map";

    private const string Font = "'DejaVu Sans', Verdana, sans-serif";

    /// <summary>The line classes and their colours: neutral (no state: a map drawn offline), then each state's.</summary>
    private static readonly (string Class, string Colour)[] EdgeColours =
        [("neutral", "#475569"), .. SystemStateLook.All.Select(s => (s.Slug(), s.Colour()))];

    /// <summary>The map as a standalone document (<c>GET /map</c>, <c>concord map</c>): nothing links anywhere.</summary>
    public static string Render(MapLayout layout) => Render(layout, null);

    /// <summary>
    /// The map; with <paramref name="links"/>, for embedding in a page: each system, type and flow the links name is an
    /// <c>&lt;a href&gt;</c> (focusable, named by its label), and the style sheet is scoped to <see cref="EmbeddedClass"/>
    /// so it does not style the page around it.
    /// </summary>
    public static string Render(MapLayout layout, MapLinks? links)
    {
        var svg = new StringBuilder();
        var embedded = links is null ? "" : $" class=\"{EmbeddedClass}\"";
        svg.Append(CultureInfo.InvariantCulture, $"""<svg xmlns="http://www.w3.org/2000/svg"{embedded} width="{N(layout.Width)}" height="{N(layout.Height)}" viewBox="0 0 {N(layout.Width)} {N(layout.Height)}" font-family="{Font}">""").Append('\n');
        svg.Append("<title>").Append(Escape($"Integration map · {layout.Title}")).Append("</title>\n");
        svg.Append("<style>\n").Append(links is null ? Styles() : Scoped(Styles() + ".target { fill: transparent; }\n")).Append("</style>\n");
        svg.Append("<defs>\n");
        foreach (var (cls, colour) in EdgeColours)
        {
            svg.Append(CultureInfo.InvariantCulture, $"""<marker id="end-{cls}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="9" markerHeight="9" markerUnits="userSpaceOnUse" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="{colour}"/></marker>""").Append('\n');
            svg.Append(CultureInfo.InvariantCulture, $"""<marker id="start-{cls}" viewBox="0 0 10 10" refX="0" refY="5" markerWidth="9" markerHeight="9" markerUnits="userSpaceOnUse" orient="auto"><path d="M10,0 L0,5 L10,10 z" fill="{colour}"/></marker>""").Append('\n');
        }

        svg.Append("</defs>\n");
        svg.Append(CultureInfo.InvariantCulture, $"""<rect class="canvas" x="0" y="0" width="{N(layout.Width)}" height="{N(layout.Height)}"/>""").Append('\n');

        foreach (var node in layout.Nodes.Where(n => n.Kind is MapNodeKind.Band or MapNodeKind.Hub or MapNodeKind.Legend or MapNodeKind.Flows))
        {
            Box(svg, node);
        }

        foreach (var swatch in layout.Swatches)
        {
            Swatch(svg, swatch);
        }

        svg.Append("<g class=\"edges\">\n");
        foreach (var edge in layout.Edges)
        {
            Edge(svg, edge);
        }

        svg.Append("</g>\n");
        var drawn = new HashSet<MapText>(ReferenceEqualityComparer.Instance);
        foreach (var node in layout.Nodes.Where(n => n.Kind is MapNodeKind.System or MapNodeKind.Tool or MapNodeKind.Type))
        {
            var link = node.Kind switch
            {
                MapNodeKind.System => links?.System?.Invoke(node.Id),
                MapNodeKind.Type => links?.Type?.Invoke(node.Id),
                _ => null,
            };
            if (link is null)
            {
                Box(svg, node);
                continue;
            }

            // The box and its words in one link, so the whole box is the target and the focus ring surrounds it.
            var words = layout.Texts.Where(t => t.Node == node.Id).ToList();
            Open(svg, link, words);
            Box(svg, node);
            foreach (var text in words)
            {
                Text(svg, text);
                drawn.Add(text);
            }

            svg.Append("</a>\n");
        }

        foreach (var row in layout.FlowRows)
        {
            if (links?.Flow?.Invoke(row.Flow) is not { } link)
            {
                continue;
            }

            var b = row.Box;
            var words = layout.Texts.Where(t => t.Node == "flows" && b.Contains(t.Bounds)).ToList();
            Open(svg, link, words);
            svg.Append(CultureInfo.InvariantCulture, $"""<rect class="target" x="{N(b.X)}" y="{N(b.Y)}" width="{N(b.Width)}" height="{N(b.Height)}" rx="3"/>""").Append('\n');
            foreach (var text in words)
            {
                Text(svg, text);
                drawn.Add(text);
            }

            svg.Append("</a>\n");
        }

        foreach (var text in layout.Texts.Where(t => !drawn.Contains(t)))
        {
            Text(svg, text);
        }

        svg.Append("</svg>\n");
        return svg.ToString();
    }

    /// <summary>
    /// A link's accessible name starts with the words it shows, then says where it leads: a person who reads the
    /// words aloud to voice control names the link by them (WCAG 2.5.3, label in name).
    /// </summary>
    private static void Open(StringBuilder svg, MapLink link, IEnumerable<MapText> texts) =>
        svg.Append(CultureInfo.InvariantCulture, $"""<a href="{Escape(link.Href)}" aria-label="{Escape(string.Join(' ', texts.Select(t => t.Text)) + ", " + link.Label)}">""").Append('\n');

    private static void Text(StringBuilder svg, MapText text) =>
        svg.Append(CultureInfo.InvariantCulture, $"""<text x="{N(text.X)}" y="{N(text.Baseline)}" class="{TextClass(text.Style)}" font-size="{N(text.Size)}">{Escape(text.Text)}</text>""").Append('\n');

    /// <summary>Each rule of the style sheet limited to the embedded map.</summary>
    private static string Scoped(string styles)
    {
        var scoped = new StringBuilder();
        foreach (var line in styles.Split('\n'))
        {
            var brace = line.IndexOf('{', StringComparison.Ordinal);
            if (brace < 0)
            {
                scoped.Append(line).Append('\n');
                continue;
            }

            var selectors = line[..brace].Split(',').Select(sel => $".{EmbeddedClass} {sel.Trim()}");
            scoped.Append(string.Join(", ", selectors)).Append(' ').Append(line[brace..]).Append('\n');
        }

        return scoped.ToString().TrimEnd('\n') + "\n";
    }

    /// <summary>Escapes text for an SVG (XML) element or attribute.</summary>
    public static string Escape(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal)
            .Replace("\"", "&quot;", StringComparison.Ordinal).Replace("'", "&apos;", StringComparison.Ordinal);

    private static void Box(StringBuilder svg, MapNode node)
    {
        var cls = node.Kind switch
        {
            MapNodeKind.Band => $"band band-{node.Id["band:".Length..].ToLowerInvariant()}",
            MapNodeKind.Hub => "hub",
            MapNodeKind.Legend => "legend",
            MapNodeKind.Flows => "flows",
            MapNodeKind.Tool => "tool",
            MapNodeKind.Type => "type",
            _ => node.State is { } state ? $"system system-{state.Slug()}" : "system",
        };
        var r = node.Kind is MapNodeKind.Band or MapNodeKind.Hub ? 10 : 6;
        var b = node.Box;
        svg.Append(CultureInfo.InvariantCulture, $"""<rect class="{cls}" x="{N(b.X)}" y="{N(b.Y)}" width="{N(b.Width)}" height="{N(b.Height)}" rx="{r}"><title>{Escape(node.Tooltip)}</title></rect>""").Append('\n');
    }

    private static void Edge(StringBuilder svg, MapEdge edge)
    {
        var cls = edge.State is { } state ? state.Slug() : "neutral";
        var bend = Math.Max(40, Math.Abs(edge.X2 - edge.X1) * 0.45);
        var toward = edge.X2 > edge.X1 ? 1 : -1;
        var start = edge.Direction is MapDirection.Receives or MapDirection.Both ? $" marker-start=\"url(#start-{cls})\"" : "";
        var end = edge.Direction is MapDirection.Contributes or MapDirection.Both ? $" marker-end=\"url(#end-{cls})\"" : "";
        svg.Append(CultureInfo.InvariantCulture,
            $"""<path class="edge edge-{cls}{(edge.Owner ? " owner" : "")}" d="M{N(edge.X1)},{N(edge.Y1)} C{N(edge.X1 + toward * bend)},{N(edge.Y1)} {N(edge.X2 - toward * bend)},{N(edge.Y2)} {N(edge.X2)},{N(edge.Y2)}"{start}{end} data-system="{Escape(edge.System)}" data-type="{Escape(edge.Type)}"><title>{Escape(edge.Tooltip)}</title></path>""")
            .Append('\n');
    }

    private static void Swatch(StringBuilder svg, MapSwatch swatch)
    {
        var b = swatch.Box;
        if (swatch.Tool)
        {
            svg.Append(CultureInfo.InvariantCulture, $"""<rect class="tool" x="{N(b.X)}" y="{N(b.Y)}" width="{N(b.Width)}" height="{N(b.Height)}" rx="3"/>""").Append('\n');
            return;
        }

        var cls = swatch.State is { } state ? state.Slug() : "neutral";
        var y = b.Y + b.Height / 2;
        var end = swatch.Arrow ? $" marker-end=\"url(#end-{cls})\"" : "";
        svg.Append(CultureInfo.InvariantCulture, $"""<path class="edge edge-{cls}{(swatch.Owner ? " owner" : "")}" d="M{N(b.X)},{N(y)} L{N(b.Right)},{N(y)}"{end}/>""").Append('\n');
    }

    private static string TextClass(MapTextStyle style) => style switch
    {
        MapTextStyle.Strong => "strong",
        MapTextStyle.Muted => "muted",
        MapTextStyle.Title => "title",
        MapTextStyle.Band => "band-title",
        MapTextStyle.Owner => "owner",
        MapTextStyle.Alert => "alert",
        MapTextStyle.Healthy => "h-" + SystemState.Healthy.Slug(),
        MapTextStyle.Degraded => "h-" + SystemState.Degraded.Slug(),
        MapTextStyle.CircuitOpen => "h-" + SystemState.CircuitOpen.Slug(),
        MapTextStyle.Silent => "h-" + SystemState.Silent.Slug(),
        _ => "plain",
    };

    private static string Styles() => FixedStyles + StateStyles;

    /// <summary>Per state: its words, a system's border and a connection's line, in its colour and dash pattern.</summary>
    private static readonly string StateStyles = string.Concat(SystemStateLook.All.Select(s =>
    {
        var dash = s.Dash() is { } d ? $" stroke-dasharray: {d};" : "";
        var width = s == SystemState.CircuitOpen ? "2.5" : "2";
        return $".h-{s.Slug()} {{ fill: {s.Colour()}; font-weight: bold; }}\n"
            + $".system-{s.Slug()} {{ stroke: {s.Colour()}; stroke-width: {width};{dash} }}\n"
            + $".edge-{s.Slug()} {{ stroke: {s.Colour()};{dash} }}\n";
    }));

    private const string FixedStyles = """
        .canvas { fill: #ffffff; }
        text { fill: #1f2937; }
        .strong, .title, .band-title { font-weight: bold; }
        .title { fill: #0f172a; }
        .band-title { fill: #334155; }
        .muted { fill: #5b6675; }
        .owner { fill: #8a5a00; font-weight: bold; }
        .alert { fill: #c62828; font-weight: bold; }
        .band { stroke-width: 1; }
        .band-customers { fill: #eef4ff; stroke: #c7d7f5; }
        .band-money { fill: #edf8f0; stroke: #c3e3cb; }
        .band-delivery { fill: #fff5e6; stroke: #f0d9b5; }
        .band-communication { fill: #f4efff; stroke: #d9ccf2; }
        .band-storage { fill: #ebf7f7; stroke: #bfe0e0; }
        .band-insight { fill: #fdeff4; stroke: #efc9d7; }
        .band-none { fill: #f3f4f6; stroke: #d7dbe0; }
        .hub { fill: #f8fafc; stroke: #334155; stroke-width: 1.5; }
        .legend, .flows { fill: #fbfbfc; stroke: #d7dbe0; }
        .type { fill: #fffbea; stroke: #8a5a00; stroke-width: 1.5; }
        .system { fill: #ffffff; stroke: #94a3b8; stroke-width: 1.2; }
        .tool { fill: #f3f4f6; stroke: #9ca3af; stroke-width: 1.2; stroke-dasharray: 4 3; }
        .edge { fill: none; stroke-width: 1.6; }
        .edge.owner { stroke-width: 3.4; }
        .edge-neutral { stroke: #475569; }

        """;

    private static string N(double value) => Math.Round(value, 1).ToString("0.#", CultureInfo.InvariantCulture);
}

/// <summary>Where one element of an embedded map links, and what it leads to ("deliveries"): the link's accessible name is the element's own words, then this.</summary>
public sealed record MapLink(string Href, string Label);

/// <summary>
/// Which elements of an embedded map are links: a function per kind of element from its name to its link, or null to
/// leave it plain. A page passes these; the standalone map has none.
/// </summary>
public sealed record MapLinks(Func<string, MapLink?>? System = null, Func<string, MapLink?>? Type = null, Func<string, MapLink?>? Flow = null);
