using System.Globalization;
using Concord.Core.Configuration;

namespace Concord.Core.Map;

/// <summary>
/// Places the map: the hub's entity types as a column in the middle, the systems in layer bands to its left
/// and right, and one line per connection from the system's row to the type. Every figure about a connection
/// (direction, owner, volume, "last verified") is written in its system's row, where the line starts, so no
/// label floats over the lines and none can collide with another. Types and the systems inside each band are
/// ordered by barycenter sweeps (each placed at the mean height of what it connects to), keeping the order
/// with the fewest crossings; each box is sized from the measured width of its text.
/// </summary>
public static class MapLayouter
{
    private const double Margin = 24;
    private const double ColumnGap = 180;
    private const double BandPad = 10;
    private const double BandGap = 18;
    private const double SystemGap = 10;
    private const double TypeGap = 22;
    private const double HubTitle = 22;
    private const double HubPad = 12;
    private const double Pad = 8;
    private const double SpanGap = 7;
    private const double PortGap = 13;
    private const double MaxBoxWidth = 430;
    private const double MinTypeWidth = 150;
    private const double LineFactor = 1.45;
    private const int Sweeps = 8;

    public static MapLayout Lay(StackMap map, MapOverlay? overlay)
    {
        var types = map.Types.Where(t => map.Connections.Any(c => c.Type == t.Name)).ToList();
        var typeBlocks = types.ToDictionary(t => t.Name, t => TypeBlock(t, map), StringComparer.Ordinal);
        var systemBlocks = map.Systems.ToDictionary(s => s.Name, s => SystemBlock(s, map, overlay), StringComparer.Ordinal);

        var (left, right) = Sides(map, systemBlocks);
        double ColumnWidth(List<Band> bands) => bands.SelectMany(b => b.Systems.Select(s => systemBlocks[s].Width)
                .Append(TextWidth.Of(StackLayers.Title(b.Layer), 12, bold: true)))
            .DefaultIfEmpty(0).Max();
        var leftWidth = ColumnWidth(left);
        var rightWidth = ColumnWidth(right);
        var typeWidth = Math.Max(MinTypeWidth, typeBlocks.Values.Select(b => b.Width).DefaultIfEmpty(0).Max());
        var leftX = Margin;
        var typeX = left.Count == 0 ? Margin : leftX + leftWidth + 2 * BandPad + ColumnGap;
        var rightX = typeX + (types.Count == 0 ? 0 : typeWidth + ColumnGap);
        var columnsRight = right.Count == 0 ? typeX + typeWidth : rightX + rightWidth + 2 * BandPad;

        var header = Header(map, overlay, Math.Max(columnsRight + Margin, 720));
        var width = Math.Max(Math.Max(columnsRight + Margin, 720), header.Width);

        var geometry = new Geometry(leftX, typeX, rightX, leftWidth, rightWidth, typeWidth, header.Height);
        var order = new Order(types.Select(t => t.Name).ToList(), left, right);
        var best = Place(map, order, geometry, typeBlocks, systemBlocks, overlay);
        for (var sweep = 0; sweep < Sweeps && best.Crossings > 0; sweep++)
        {
            var placed = best;
            order = order with { Types = Sorted(order.Types, t => Mean(placed.Edges.Where(e => e.Type == t).Select(e => e.Y1))) };
            var next = Place(map, order, geometry, typeBlocks, systemBlocks, overlay);
            order = order with
            {
                Left = order.Left.Select(b => b with { Systems = Sorted(b.Systems, s => Mean(next.Edges.Where(e => e.System == s).Select(e => TypeCentre(next, e.Type)))) }).ToList(),
                Right = order.Right.Select(b => b with { Systems = Sorted(b.Systems, s => Mean(next.Edges.Where(e => e.System == s).Select(e => TypeCentre(next, e.Type)))) }).ToList(),
            };
            next = Place(map, order, geometry, typeBlocks, systemBlocks, overlay);
            if (next.Crossings < best.Crossings)
            {
                best = next;
            }
        }

        var nodes = new List<MapNode>(header.Nodes);
        var texts = new List<MapText>(header.Texts);
        nodes.AddRange(best.Nodes);
        texts.AddRange(best.Texts);
        var height = best.Bottom + Margin;
        IReadOnlyList<MapFlowRow> flowRows = [];
        if (map.Flows.Count > 0)
        {
            var (flowNode, flowTexts, rows) = FlowPanel(map, Margin, best.Bottom + BandGap, width - 2 * Margin);
            nodes.Add(flowNode);
            texts.AddRange(flowTexts);
            flowRows = rows;
            height = flowNode.Box.Bottom + Margin;
        }

        return new MapLayout
        {
            Width = Math.Ceiling(width),
            Height = Math.Ceiling(height),
            Live = overlay is not null,
            Title = map.Title,
            Nodes = nodes,
            Texts = texts,
            Edges = best.Edges,
            Swatches = header.Swatches,
            FlowRows = flowRows,
            Crossings = best.Crossings,
        };
    }

    private static double TypeCentre(Placed placed, string type) =>
        placed.Nodes.First(n => n.Kind == MapNodeKind.Type && n.Id == type) is { } n ? n.Box.Y + n.Box.Height / 2 : 0;

    private static double? Mean(IEnumerable<double> values)
    {
        var list = values.ToList();
        return list.Count == 0 ? null : list.Average();
    }

    /// <summary>A stable sort by key; items without a key (a tool, a system no sync rule uses) go last.</summary>
    private static List<string> Sorted(List<string> items, Func<string, double?> key) =>
        items.Select((item, i) => (item, i, key: key(item) ?? double.PositiveInfinity)).OrderBy(p => p.key).ThenBy(p => p.i).Select(p => p.item).ToList();

    /// <summary>
    /// Puts each layer on the side that is shorter so far (largest layers first), then keeps stack order within a side,
    /// so neither side grows much taller than the other.
    /// </summary>
    private static (List<Band> Left, List<Band> Right) Sides(StackMap map, Dictionary<string, Block> blocks)
    {
        var layers = map.Systems.GroupBy(s => s.Layer)
            .Select(g => new Band(g.Key, g.OrderBy(s => s.IsTool).ThenBy(s => s.Name, StringComparer.Ordinal).Select(s => s.Name).ToList()))
            .ToList();
        double Height(Band b) => b.Systems.Sum(s => blocks[s].Height + SystemGap) + 30;
        var left = new List<Band>();
        var right = new List<Band>();
        double leftHeight = 0, rightHeight = 0;
        foreach (var band in layers.OrderByDescending(Height).ThenBy(b => Rank(b.Layer)))
        {
            if (leftHeight <= rightHeight)
            {
                left.Add(band);
                leftHeight += Height(band);
            }
            else
            {
                right.Add(band);
                rightHeight += Height(band);
            }
        }

        // The map reads left to right like the stack: the side holding its first layer goes on the left.
        if (right.Count > 0 && (left.Count == 0 || right.Min(b => Rank(b.Layer)) < left.Min(b => Rank(b.Layer))))
        {
            (left, right) = (right, left);
        }

        return (left.OrderBy(b => Rank(b.Layer)).ToList(), right.OrderBy(b => Rank(b.Layer)).ToList());
    }

    /// <summary>Stack order, with systems outside any layer last.</summary>
    private static int Rank(StackLayer layer) => layer == StackLayer.None ? int.MaxValue : (int)layer;

    private static Placed Place(StackMap map, Order order, Geometry g, Dictionary<string, Block> typeBlocks, Dictionary<string, Block> systemBlocks, MapOverlay? overlay)
    {
        var nodes = new List<MapNode>();
        var texts = new List<MapText>();
        var ports = new Dictionary<(string System, string Type), (double X, double Y, bool Left)>();

        var typeIndex = order.Types.Select((t, i) => (t, i)).ToDictionary(p => p.t, p => p.i, StringComparer.Ordinal);
        var leftHeight = ColumnHeight(order.Left, systemBlocks);
        var rightHeight = ColumnHeight(order.Right, systemBlocks);
        var typeHeight = order.Types.Count == 0 ? 0 : HubTitle + 2 * HubPad + order.Types.Sum(t => Math.Max(typeBlocks[t].Height, PortsHeight(map, t, order)) + TypeGap) - TypeGap;
        var tallest = Math.Max(Math.Max(leftHeight, rightHeight), typeHeight);

        void Column(List<Band> bands, double x, double width, double height, bool isLeft)
        {
            var y = g.Top + (tallest - height) / 2;
            foreach (var band in bands)
            {
                var top = y;
                var title = StackLayers.Title(band.Layer);
                y += BandPad;
                var line = new Line([new Span(title, 12, MapTextStyle.Band)]);
                texts.AddRange(Draw(line, x + BandPad, y, $"band:{band.Layer}"));
                y += line.Height + 2;
                foreach (var name in band.Systems)
                {
                    var block = systemBlocks[name];
                    var lines = block.Head
                        .Concat(block.Rows.OrderBy(r => typeIndex.GetValueOrDefault(r.Row.Port!, int.MaxValue)).SelectMany(r => r.Figures is null ? [r.Row] : new[] { r.Row, r.Figures }))
                        .Concat(block.Foot)
                        .ToList();
                    var box = new MapRect(x + BandPad, y, width, block.Height);
                    nodes.Add(new MapNode(name, block.Kind, box, block.State, block.Tooltip));
                    var ly = y + Pad;
                    foreach (var l in lines)
                    {
                        texts.AddRange(Draw(l, box.X + Pad, ly, name));
                        if (l.Port is { } type)
                        {
                            ports[(name, type)] = (isLeft ? box.Right : box.X, ly + l.Height / 2, isLeft);
                        }

                        ly += l.Height;
                    }

                    y += block.Height + SystemGap;
                }

                y += BandPad - SystemGap;
                nodes.Add(new MapNode($"band:{band.Layer}", MapNodeKind.Band, new MapRect(x, top, width + 2 * BandPad, y - top), null, title));
                y += BandGap;
            }
        }

        Column(order.Left, g.LeftX, g.LeftWidth, leftHeight, isLeft: true);
        Column(order.Right, g.RightX, g.RightWidth, rightHeight, isLeft: false);

        var edges = new List<MapEdge>();
        var hubTop = g.Top + (tallest - typeHeight) / 2;
        if (order.Types.Count > 0)
        {
            nodes.Add(new MapNode("hub", MapNodeKind.Hub, new MapRect(g.TypeX - HubPad, hubTop, g.TypeWidth + 2 * HubPad, typeHeight), null, "The hub: one golden record per entity type"));
            texts.AddRange(Draw(new Line([new Span("Concord hub", 12, MapTextStyle.Band)]), g.TypeX, hubTop + 6, "hub"));
        }

        var ty = hubTop + HubTitle + HubPad;
        foreach (var type in order.Types)
        {
            var block = typeBlocks[type];
            var height = Math.Max(block.Height, PortsHeight(map, type, order));
            var box = new MapRect(g.TypeX, ty, g.TypeWidth, height);
            nodes.Add(new MapNode(type, MapNodeKind.Type, box, null, block.Tooltip));
            var ly = ty + (height - block.Height) / 2 + Pad;
            foreach (var l in block.Head)
            {
                texts.AddRange(Draw(l, box.X + Pad, ly, type));
                ly += l.Height;
            }

            foreach (var isLeft in new[] { true, false })
            {
                var incoming = map.Connections.Where(c => c.Type == type && ports.TryGetValue((c.System, c.Type), out var p) && p.Left == isLeft)
                    .OrderBy(c => ports[(c.System, c.Type)].Y).ToList();
                for (var i = 0; i < incoming.Count; i++)
                {
                    var c = incoming[i];
                    var from = ports[(c.System, c.Type)];
                    var y2 = box.Y + Pad + (box.Height - 2 * Pad) * (i + 1) / (incoming.Count + 1);
                    edges.Add(new MapEdge(c.System, c.Type, c.Direction, c.IsOwner, overlay?.StateOf(c), from.X, from.Y, isLeft ? box.X : box.Right, y2, EdgeTooltip(c, overlay)));
                }
            }

            ty += height + TypeGap;
        }

        var bottom = g.Top + tallest;
        return new Placed(nodes, texts, edges, Crossings(edges), bottom);
    }

    private static double ColumnHeight(List<Band> bands, Dictionary<string, Block> blocks) =>
        bands.Count == 0 ? 0 : bands.Sum(b => 2 * BandPad + new Line([new Span("X", 12, MapTextStyle.Band)]).Height + 2 + b.Systems.Sum(s => blocks[s].Height + SystemGap) - SystemGap + BandGap) - BandGap;

    /// <summary>The height a type's box needs for its lines to arrive apart from each other.</summary>
    private static double PortsHeight(StackMap map, string type, Order order)
    {
        var leftSystems = order.Left.SelectMany(b => b.Systems).ToHashSet(StringComparer.Ordinal);
        var connections = map.Connections.Where(c => c.Type == type).ToList();
        var most = Math.Max(connections.Count(c => leftSystems.Contains(c.System)), connections.Count(c => !leftSystems.Contains(c.System)));
        return (most + 1) * PortGap + 2 * Pad;
    }

    private static int Crossings(List<MapEdge> edges)
    {
        var count = 0;
        for (var i = 0; i < edges.Count; i++)
        {
            for (var j = i + 1; j < edges.Count; j++)
            {
                var (a, b) = (edges[i], edges[j]);
                if (Math.Abs(a.X1 - b.X1) < 0.5 && (a.Y1 - b.Y1) * (a.Y2 - b.Y2) < 0)
                {
                    count++;
                }
            }
        }

        return count;
    }

    private static string EdgeTooltip(MapConnection c, MapOverlay? overlay)
    {
        var text = $"{c.System} {c.DirectionText} {c.Type}{(c.OwnsType ? " (system of record)" : "")}";
        if (c.OwnedFields.Count > 0)
        {
            text += $" (owns {string.Join(", ", c.OwnedFields)})";
        }

        if (c.Fields is { } fields)
        {
            text += $"; fields: {string.Join(", ", fields)}";
        }

        if (overlay is not null)
        {
            text += $"; {Figures(c, overlay)}";
        }

        return text;
    }

    private static IEnumerable<MapText> Draw(Line line, double x, double top, string? node)
    {
        var baseline = top + line.Height / 2 + line.Size * 0.3;
        foreach (var span in line.Spans)
        {
            var width = TextWidth.Of(span.Text, span.Size, IsBold(span.Style));
            yield return new MapText(span.Text, x, baseline, span.Size, span.Style, node, new MapRect(x, baseline - span.Size * 0.8, width, span.Size * 1.02));
            x += width + SpanGap;
        }
    }

    private static bool IsBold(MapTextStyle style) => MapText.IsBold(style);

    private static Block TypeBlock(MapType type, StackMap map)
    {
        var lines = new List<Line>
        {
            new([new Span(type.Name, 13, MapTextStyle.Strong)]),
            new([new Span(type.Owner is null ? "no owner" : $"★ {type.Owner}", 11, type.Owner is null ? MapTextStyle.Alert : MapTextStyle.Owner)]),
        };
        var byOwner = type.FieldOwners.GroupBy(f => f.System, StringComparer.Ordinal).ToList();
        foreach (var group in byOwner.Take(6))
        {
            lines.Add(new([new Span($"★ {group.Key}: {string.Join(", ", group.Select(f => f.Field))}", 11, MapTextStyle.Muted)]));
        }

        if (byOwner.Count > 6)
        {
            lines.Add(new([new Span($"+{byOwner.Count - 6} more field owners", 11, MapTextStyle.Muted)]));
        }

        var tooltip = $"{type.Name}: system of record {type.Owner ?? "none"}"
            + string.Concat(type.FieldOwners.Select(f => $"; {f.Field} owned by {f.System}"))
            + $"; synced with {string.Join(", ", map.Connections.Where(c => c.Type == type.Name).Select(c => c.System))}";
        return Fit(new Block(MapNodeKind.Type, lines, [], [], null, tooltip));
    }

    private static Block SystemBlock(MapSystem system, StackMap map, MapOverlay? overlay)
    {
        var status = overlay?.SystemOf(system.Name);
        var header = new List<Span> { new(system.Name, 13, system.IsTool ? MapTextStyle.Muted : MapTextStyle.Strong) };
        header.Add(new(system.IsTool ? "tool" : system.Kind!, 11, MapTextStyle.Muted));
        if (status is not null && !system.IsTool)
        {
            header.Add(Badge(status.State));
        }

        var head = new List<Line> { new(header) };
        if (system.IsTool)
        {
            head.Add(new([new Span("not connected (tools:)", 11, MapTextStyle.Muted)]));
        }

        var rows = new List<(Line, Line?)>();
        var connections = map.Connections.Where(c => c.System == system.Name).ToList();
        foreach (var c in connections)
        {
            var spans = new List<Span> { new(c.Type, 12, MapTextStyle.Plain), new(c.DirectionText, 11, MapTextStyle.Muted) };
            if (c.OwnsType)
            {
                spans.Add(new("★ owner", 11, MapTextStyle.Owner));
            }
            else if (c.OwnedFields.Count > 0)
            {
                spans.Add(new($"★ owns {string.Join(", ", c.OwnedFields)}", 11, MapTextStyle.Owner));
            }

            if (c.Fields is { } fields)
            {
                spans.Add(new(fields.Count == 1 ? "1 field" : $"{fields.Count} fields", 11, MapTextStyle.Muted));
            }

            if (c.Filtered)
            {
                spans.Add(new("filtered", 11, MapTextStyle.Muted));
            }

            Line? figures = null;
            if (overlay is not null)
            {
                var state = overlay.StateOf(c);
                figures = new Line([new Span(Figures(c, overlay), 11, state is { } troubled && troubled != SystemState.Healthy ? StyleOf(troubled) : MapTextStyle.Muted)]);
            }

            rows.Add((new Line(spans) { Port = c.Type }, figures));
        }

        var foot = new List<Line>();
        if (connections.Count == 0 && !system.IsTool)
        {
            foot.Add(new([new Span(system.FlowUses.Count > 0 ? "no sync rule" : "no sync rule, no flow", 11, MapTextStyle.Muted)]));
        }

        if (system.FlowUses.Count > 0)
        {
            foot.Add(new([new Span($"flows: {string.Join(", ", system.FlowUses)}", 11, MapTextStyle.Muted)]));
        }

        var tooltip = system.IsTool
            ? $"{system.Name}: {StackLayers.Title(system.Layer)}, listed under tools:, not connected"
            : $"{system.Name} ({system.Kind}): {StackLayers.Title(system.Layer)}" + (status is null ? "" : $"; {status}");
        return Fit(new Block(system.IsTool ? MapNodeKind.Tool : MapNodeKind.System, head, rows, foot, status?.State, tooltip));
    }

    /// <summary><c>24 h: 120 in · 30 out · verified 2 h ago</c>: the figures a live map writes under a connection.</summary>
    internal static string Figures(MapConnection c, MapOverlay overlay)
    {
        var f = overlay.ConnectionOf(c.System, c.Type);
        var parts = new List<string>();
        if (f.Inbound is null && f.Outbound is null)
        {
            parts.Add("24 h volume n/a");
        }
        else
        {
            var volume = c.Direction switch
            {
                MapDirection.Receives => $"{Count(f.Outbound)} out",
                MapDirection.Contributes => $"{Count(f.Inbound)} in",
                _ => $"{Count(f.Inbound)} in · {Count(f.Outbound)} out",
            };
            parts.Add($"24 h: {volume}");
            if (f.Failed > 0)
            {
                parts.Add($"{Count(f.Failed)} failed");
            }
        }

        parts.Add(f.VerifiedAt is { } at ? $"verified {Ago(overlay.Now - at)}" : "not verified yet");
        if (f.Drifted > 0)
        {
            parts.Add($"{Count(f.Drifted)} drifted");
        }

        if (f.VerifyError is not null)
        {
            parts.Add("check failed");
        }

        return string.Join(" · ", parts);
    }

    private static string Count(long? n) => (n ?? 0).ToString("N0", CultureInfo.InvariantCulture);

    /// <summary><c>just now</c>, <c>12 min ago</c>, <c>5 h ago</c>, <c>3 d ago</c>.</summary>
    internal static string Ago(TimeSpan age) => age.TotalMinutes switch
    {
        < 1 => "just now",
        < 60 => $"{(int)age.TotalMinutes} min ago",
        < 48 * 60 => $"{(int)age.TotalHours} h ago",
        _ => $"{(int)age.TotalDays} d ago",
    };

    /// <summary><c>✓ healthy</c>, <c>▲ degraded</c>, <c>✕ circuit open</c>, <c>○ silent</c>: the words the overview writes.</summary>
    internal static string BadgeText(SystemState state) => $"{state.Marker()} {state.Word()}";

    private static Span Badge(SystemState state) => new(BadgeText(state), 11, StyleOf(state));

    internal static MapTextStyle StyleOf(SystemState state) => state switch
    {
        SystemState.Healthy => MapTextStyle.Healthy,
        SystemState.Degraded => MapTextStyle.Degraded,
        SystemState.CircuitOpen => MapTextStyle.CircuitOpen,
        _ => MapTextStyle.Silent,
    };

    /// <summary>Sizes a block to its widest line, cutting (with an ellipsis) what would pass <see cref="MaxBoxWidth"/>.</summary>
    private static Block Fit(Block block)
    {
        const double Width = MaxBoxWidth - 2 * Pad;
        return block with
        {
            Head = block.Head.Select(l => Cut(l, Width)).ToList(),
            Rows = block.Rows.Select(r => (Cut(r.Row, Width), r.Figures is null ? null : Cut(r.Figures, Width))).ToList(),
            Foot = block.Foot.Select(l => Cut(l, Width)).ToList(),
        };
    }

    private static Line Cut(Line line, double width)
    {
        if (line.Width <= width)
        {
            return line;
        }

        var spans = new List<Span>();
        var used = 0.0;
        foreach (var span in line.Spans)
        {
            var left = width - used;
            var w = TextWidth.Of(span.Text, span.Size, IsBold(span.Style));
            if (w <= left)
            {
                spans.Add(span);
                used += w + SpanGap;
                continue;
            }

            if (left > 3 * span.Size)
            {
                spans.Add(span with { Text = TextWidth.Fit(span.Text, left, span.Size, IsBold(span.Style)) });
            }

            break;
        }

        return line with { Spans = spans };
    }

    private static MapTextStyle MutedIf(bool muted, MapTextStyle style) => muted ? MapTextStyle.Muted : style;

    private sealed record HeaderPart(double Width, double Height, List<MapNode> Nodes, List<MapText> Texts, List<MapSwatch> Swatches);

    /// <summary>The title, what the map shows, and the legend, wrapped to the canvas width.</summary>
    private static HeaderPart Header(StackMap map, MapOverlay? overlay, double width)
    {
        var texts = new List<MapText>();
        var y = (double)Margin - 8;
        var title = new Line([new Span($"Integration map · {map.Title}", 16, MapTextStyle.Title)]);
        texts.AddRange(Draw(title, Margin, y, null));
        y += title.Height;
        var about = overlay is null
            ? "Drawn from the configuration. A running hub serves the live map at /map: the state of each system, 24 h volume and last verified per connection."
            : $"Live at {overlay.Now.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC: the state of each system, volume over the last 24 h and the last verification per connection.";
        var subtitle = new Line([new Span(about, 11, MapTextStyle.Muted)]);
        texts.AddRange(Draw(subtitle, Margin, y, null));
        var needed = Math.Max(title.Width, subtitle.Width) + 2 * Margin;
        width = Math.Max(width, needed);
        y += subtitle.Height + 6;

        var items = new List<(MapSwatch Swatch, string Label)>
        {
            (new MapSwatch(new MapRect(0, 0, 34, 12), null, true, true, false), "★ system of record: bold line"),
            (new MapSwatch(new MapRect(0, 0, 34, 12), null, false, true, false), "arrow: the way data moves"),
        };
        if (overlay is not null)
        {
            items.AddRange(SystemStateLook.All.Select(state => (new MapSwatch(new MapRect(0, 0, 34, 12), (SystemState?)state, false, false, false), $"{BadgeText(state)}: {state.LineName()}")));
        }

        items.Add((new MapSwatch(new MapRect(0, 0, 34, 14), null, false, false, true), "not connected (tools:)"));

        var legendTop = y;
        var x = Margin + Pad;
        var rowHeight = 20.0;
        y += Pad;
        var swatches = new List<MapSwatch>();
        var legendRight = x;
        foreach (var (swatch, label) in items)
        {
            var labelWidth = TextWidth.Of(label, 11);
            var itemWidth = swatch.Box.Width + 6 + labelWidth;
            if (x + itemWidth > width - Margin - Pad && x > Margin + Pad)
            {
                x = Margin + Pad;
                y += rowHeight;
            }

            swatches.Add(swatch with { Box = new MapRect(x, y + (rowHeight - swatch.Box.Height) / 2, swatch.Box.Width, swatch.Box.Height) });
            texts.AddRange(Draw(new Line([new Span(label, 11, MapTextStyle.Plain)]), x + swatch.Box.Width + 6, y + (rowHeight - 11 * LineFactor) / 2, "legend"));
            x += itemWidth + 18;
            legendRight = Math.Max(legendRight, x - 18);
        }

        y += rowHeight + Pad;
        var legend = new MapNode("legend", MapNodeKind.Legend, new MapRect(Margin, legendTop, legendRight + Pad - Margin, y - legendTop), null, "Legend");
        return new HeaderPart(width, y + 16, [legend], texts, swatches);
    }

    private static (MapNode Node, List<MapText> Texts, List<MapFlowRow> Rows) FlowPanel(StackMap map, double x, double y, double width)
    {
        var texts = new List<MapText>();
        var rows = new List<MapFlowRow>();
        var inner = width - 2 * Pad;
        var top = y;
        y += Pad;
        var heading = new Line([new Span("Flows", 12, MapTextStyle.Band)]);
        texts.AddRange(Draw(heading, x + Pad, y, "flows"));
        y += heading.Height;
        foreach (var flow in map.Flows)
        {
            var rowTop = y;
            var name = new Line([
                new Span(flow.Name, 12, MutedIf(!flow.Enabled, MapTextStyle.Strong)),
                new Span($"{(flow.Enabled ? "" : "(paused) ")}on {flow.Trigger}", 11, MapTextStyle.Muted),
            ]);
            name = Cut(name, inner);
            texts.AddRange(Draw(name, x + Pad, y, "flows"));
            y += name.Height;
            var reach = flow.Targets.Count == 0 ? "→ nothing outside the flow" : "→ " + string.Join(" · ", flow.Targets.Select(t => t.Describe()));
            var line = Cut(new Line([new Span(reach, 11, MapTextStyle.Plain)]), inner);
            texts.AddRange(Draw(line, x + 2 * Pad, y, "flows"));
            y += line.Height;
            rows.Add(new MapFlowRow(flow.Name, new MapRect(x + Pad / 2, rowTop, width - Pad, y - rowTop)));
            y += 3;
        }

        y += Pad;
        return (new MapNode("flows", MapNodeKind.Flows, new MapRect(x, top, width, y - top), null, "Flows"), texts, rows);
    }

    private sealed record Span(string Text, double Size, MapTextStyle Style);

    /// <summary>
    /// One line of a box: spans side by side. <see cref="Port"/> is the type a connection line leaves from this row
    /// for.
    /// </summary>
    private sealed record Line(List<Span> Spans)
    {
        public string? Port { get; init; }

        public double Size => Spans.Count == 0 ? 11 : Spans.Max(s => s.Size);

        public double Height => Size * LineFactor;

        public double Width => Spans.Sum(s => TextWidth.Of(s.Text, s.Size, IsBold(s.Style))) + SpanGap * Math.Max(0, Spans.Count - 1);
    }

    /// <summary>
    /// A box's lines: the head (name, kind, state), one row per connection (with its figures line on a live map), kept
    /// together when rows are reordered, and the foot.
    /// </summary>
    private sealed record Block(MapNodeKind Kind, List<Line> Head, List<(Line Row, Line? Figures)> Rows, List<Line> Foot, SystemState? State, string Tooltip)
    {
        public IEnumerable<Line> All => Head.Concat(Rows.SelectMany(r => r.Figures is null ? [r.Row] : new[] { r.Row, r.Figures })).Concat(Foot);

        public double Width => All.Max(l => l.Width) + 2 * Pad;

        public double Height => All.Sum(l => l.Height) + 2 * Pad;
    }

    private sealed record Band(StackLayer Layer, List<string> Systems);

    private sealed record Order(List<string> Types, List<Band> Left, List<Band> Right);

    private sealed record Geometry(double LeftX, double TypeX, double RightX, double LeftWidth, double RightWidth, double TypeWidth, double Top);

    private sealed record Placed(List<MapNode> Nodes, List<MapText> Texts, List<MapEdge> Edges, int Crossings, double Bottom);
}
