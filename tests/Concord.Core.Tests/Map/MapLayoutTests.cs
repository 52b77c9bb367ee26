using System.Xml.Linq;
using Concord.Core.Configuration;
using Concord.Core.Map;

namespace Concord.Core.Tests.Map;

/// <summary>What keeps the map legible, checked on the geometry itself rather than by eye.</summary>
public sealed class MapLayoutTests
{
    public static TheoryData<string, bool> Stacks() => new()
    {
        { "demo", false },
        { "demo", true },
        { "fifteen", false },
        { "fifteen", true },
    };

    private static (StackMap Map, MapLayout Layout) Lay(string stack, bool live)
    {
        var map = stack == "demo" ? MapSamples.Demo() : MapSamples.FifteenSystems();
        return (map, MapLayouter.Lay(map, live ? MapSamples.Overlay(map) : null));
    }

    [Theory]
    [MemberData(nameof(Stacks))]
    public void No_two_boxes_overlap(string stack, bool live)
    {
        var (_, layout) = Lay(stack, live);

        // Systems, tools and types must stand apart; bands, the hub's frame, the legend and the flows list likewise among themselves.
        var boxes = layout.Nodes.Where(n => n.Kind is MapNodeKind.System or MapNodeKind.Tool or MapNodeKind.Type).ToList();
        var frames = layout.Nodes.Where(n => n.Kind is MapNodeKind.Band or MapNodeKind.Hub or MapNodeKind.Legend or MapNodeKind.Flows).ToList();
        foreach (var group in new[] { boxes, frames })
        {
            for (var i = 0; i < group.Count; i++)
            {
                for (var j = i + 1; j < group.Count; j++)
                {
                    Assert.False(group[i].Box.Overlaps(group[j].Box), $"{group[i].Id} {group[i].Box} overlaps {group[j].Id} {group[j].Box}");
                }
            }
        }

        foreach (var node in boxes)
        {
            Assert.Single(frames, f => f.Box.Contains(node.Box));
        }
    }

    [Theory]
    [MemberData(nameof(Stacks))]
    public void A_text_the_stylesheet_draws_bold_is_measured_bold(string stack, bool live)
    {
        // Boxes are sized from the measured width: a text measured regular but drawn bold spills out of its box.
        var (_, layout) = Lay(stack, live);
        var svg = MapSvg.Render(layout);
        var css = System.Text.RegularExpressions.Regex.Match(svg, "<style[^>]*>(.*?)</style>", System.Text.RegularExpressions.RegexOptions.Singleline).Groups[1].Value;
        var boldClasses = System.Text.RegularExpressions.Regex.Matches(css, @"([^{}]+)\{[^}]*font-weight:\s*bold")
            .SelectMany(m => m.Groups[1].Value.Split(',').Select(c => c.Trim().TrimStart('.'))).ToHashSet(StringComparer.Ordinal);
        var drawn = System.Text.RegularExpressions.Regex.Matches(svg, "<text x=\"([^\"]+)\" y=\"([^\"]+)\" class=\"([^\"]+)\"[^>]*>([^<]*)</text>")
            .Select(m => (X: double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), Y: double.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture),
                Class: m.Groups[3].Value, Text: System.Net.WebUtility.HtmlDecode(m.Groups[4].Value))).ToList();

        Assert.NotEmpty(boldClasses);
        var checkedBold = 0;
        foreach (var text in layout.Texts)
        {
            var drawnAs = drawn.First(d => d.Text == text.Text && Math.Abs(d.X - text.X) < 0.1 && Math.Abs(d.Y - text.Baseline) < 0.1);
            if (boldClasses.Contains(drawnAs.Class))
            {
                checkedBold++;
                Assert.True(text.Bold, $"'{text.Text}' is drawn bold ({drawnAs.Class}) but laid out as regular");
                Assert.True(text.Bounds.Width >= TextWidth.Of(text.Text, text.Size, bold: true) - 0.5, $"'{text.Text}' is narrower than it is drawn");
            }
        }

        Assert.True(checkedBold > 0);
    }

    [Theory]
    [MemberData(nameof(Stacks))]
    public void Every_text_is_inside_its_box_and_the_canvas_and_no_two_texts_overlap(string stack, bool live)
    {
        var (_, layout) = Lay(stack, live);
        var canvas = new MapRect(0, 0, layout.Width, layout.Height);
        var boxes = layout.Nodes.ToDictionary(n => n.Id, n => n.Box, StringComparer.Ordinal);

        foreach (var text in layout.Texts)
        {
            Assert.True(canvas.Contains(text.Bounds), $"'{text.Text}' {text.Bounds} leaves the canvas {canvas}");
            if (text.Node is { } node)
            {
                Assert.True(boxes[node].Contains(text.Bounds), $"'{text.Text}' {text.Bounds} leaves its box {node} {boxes[node]}");
            }
        }

        for (var i = 0; i < layout.Texts.Count; i++)
        {
            for (var j = i + 1; j < layout.Texts.Count; j++)
            {
                var (a, b) = (layout.Texts[i], layout.Texts[j]);
                Assert.False(a.Bounds.Overlaps(b.Bounds), $"'{a.Text}' {a.Bounds} overlaps '{b.Text}' {b.Bounds}");
            }
        }

        foreach (var node in layout.Nodes)
        {
            Assert.True(canvas.Contains(node.Box), $"{node.Id} {node.Box} leaves the canvas");
        }
    }

    [Theory]
    [MemberData(nameof(Stacks))]
    public void Every_connection_is_drawn_once_from_its_system_to_its_type(string stack, bool live)
    {
        var (map, layout) = Lay(stack, live);

        Assert.Equal(map.Connections.Select(c => (c.System, c.Type)).Order(), layout.Edges.Select(e => (e.System, e.Type)).Order());
        foreach (var edge in layout.Edges)
        {
            var system = layout.Nodes.Single(n => n.Id == edge.System && n.Kind == MapNodeKind.System).Box;
            var type = layout.Nodes.Single(n => n.Id == edge.Type && n.Kind == MapNodeKind.Type).Box;
            Assert.True(edge.X1 == system.X || edge.X1 == system.Right, $"{edge.System}→{edge.Type} does not start at its system's side");
            Assert.InRange(edge.Y1, system.Y, system.Bottom);
            Assert.True(edge.X2 == type.X || edge.X2 == type.Right, $"{edge.System}→{edge.Type} does not end at its type's side");
            Assert.InRange(edge.Y2, type.Y, type.Bottom);
            Assert.Equal(map.Connections.Single(c => c.System == edge.System && c.Type == edge.Type).IsOwner, edge.Owner);
            Assert.Equal(live, edge.State is not null);
        }

        // Lines arriving at one side of a type never meet there.
        foreach (var side in layout.Edges.GroupBy(e => (e.Type, e.X2)))
        {
            var ys = side.Select(e => e.Y2).Order().ToList();
            Assert.All(ys.Zip(ys.Skip(1)), p => Assert.True(p.Second - p.First >= 6, $"lines into {side.Key.Type} arrive {p.Second - p.First:0.0} px apart"));
        }
    }

    [Fact]
    public void Ordering_removes_the_crossings_a_naive_order_would_draw()
    {
        // Written in an order that crosses every line: a→z, b→y, c→x, with the types in the other order.
        var map = new StackMap("t", [Sys("a"), Sys("b"), Sys("c")],
            [new MapType("x", "c", []), new MapType("y", "b", []), new MapType("z", "a", [])],
            [Conn("a", "z"), Conn("b", "y"), Conn("c", "x")], []);

        var layout = MapLayouter.Lay(map, null);

        Assert.Equal(0, layout.Crossings);
    }

    [Fact]
    public void The_fifteen_system_stack_keeps_to_a_screen_a_reader_can_take_in()
    {
        var (_, layout) = Lay("fifteen", true);

        Assert.InRange(layout.Width, 800, 1800);
        Assert.InRange(layout.Height, 600, 1600);
    }

    [Fact]
    public void Names_are_escaped_in_the_svg_and_long_ones_are_cut_to_fit()
    {
        var name = "a<b>&\"c'" + new string('x', 120);
        var map = new StackMap("stack <&> \"x\".yaml", [Sys(name), new MapSystem("t&<ool>", null, StackLayer.Storage, [])],
            [new MapType("ty<pe>&", name, [new MapFieldOwner("f\"ld", name)])],
            [Conn(name, "ty<pe>&")],
            [new MapFlow("fl<ow>", "on \"x\" & <y>", null, [], [new MapFlowTarget("notifies", name, null)], true)]);

        var layout = MapLayouter.Lay(map, MapSamples.Overlay(map));
        var svg = MapSvg.Render(layout);

        var doc = XDocument.Parse(svg);
        XNamespace ns = "http://www.w3.org/2000/svg";
        var texts = doc.Descendants(ns + "text").Select(t => t.Value).ToList();
        Assert.Contains(texts, t => t.StartsWith("a<b>&\"c'xxx", StringComparison.Ordinal) && t.EndsWith('…'));
        Assert.Contains("ty<pe>&", texts);
        Assert.Contains("t&<ool>", texts);
        Assert.Contains("Integration map · stack <&> \"x\".yaml", texts);
        Assert.DoesNotContain("<b>", svg, StringComparison.Ordinal);
        Assert.Contains("a&lt;b&gt;&amp;&quot;c&apos;", svg, StringComparison.Ordinal);
        var boxes = layout.Nodes.Where(n => n.Kind is MapNodeKind.System or MapNodeKind.Tool or MapNodeKind.Type).Select(n => n.Id).ToHashSet();
        Assert.All(layout.Texts.Where(t => t.Node is { } n && boxes.Contains(n)), t => Assert.True(TextWidth.Of(t.Text, t.Size, t.Bold) <= 430, t.Text));
    }

    [Fact]
    public void The_svg_is_self_contained_and_carries_health_in_more_than_colour()
    {
        var map = MapSamples.Demo();
        var svg = MapSvg.Render(MapLayouter.Lay(map, MapSamples.Overlay(map)));

        var doc = XDocument.Parse(svg);
        Assert.DoesNotContain("<script", svg, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("href", svg, StringComparison.OrdinalIgnoreCase);
        XNamespace ns = "http://www.w3.org/2000/svg";
        var paths = doc.Descendants(ns + "path").Where(p => ((string?)p.Attribute("class") ?? "").StartsWith("edge ", StringComparison.Ordinal) && p.Attribute("data-system") is not null).ToList();
        Assert.Equal(map.Connections.Count, paths.Count);
        // Each state has its own line in the style sheet (healthy solid, degraded dashed, circuit open dotted, silent
        // dash-dot), the badge says it with a shape and a word, and the legend explains each.
        Assert.Contains(".edge-healthy { stroke: #2e7d32; }", svg, StringComparison.Ordinal);
        Assert.Contains(".edge-degraded { stroke: #b45309; stroke-dasharray: 8 4; }", svg, StringComparison.Ordinal);
        Assert.Contains(".edge-circuit-open { stroke: #c62828; stroke-dasharray: 2 3; }", svg, StringComparison.Ordinal);
        Assert.Contains(".edge-silent { stroke: #5b21b6; stroke-dasharray: 10 3 2 3; }", svg, StringComparison.Ordinal);
        var texts = doc.Descendants(ns + "text").Select(t => t.Value).ToList();
        Assert.Equal(["✓ healthy: solid", "▲ degraded: dashed", "○ silent: dash-dot", "✕ circuit open: dotted"],
            texts.Where(t => t.Contains(": ", StringComparison.Ordinal) && SystemStateLook.All.Any(s => t.StartsWith(s.Marker() + " ", StringComparison.Ordinal))));
        foreach (var state in SystemStateLook.All)
        {
            Assert.Contains($"{state.Marker()} {state.Word()}", texts);
            var box = doc.Descendants(ns + "rect").First(r => (string?)r.Attribute("class") == $"system system-{state.Slug()}");
            Assert.EndsWith($"; {state.Word()}: test", box.Element(ns + "title")!.Value, StringComparison.Ordinal);
        }

        Assert.Contains(texts, t => t.Contains("verified", StringComparison.Ordinal) && t.Contains("24 h:", StringComparison.Ordinal));
    }

    private static MapSystem Sys(string name) => new(name, "http", StackLayer.Customers, []);

    private static MapConnection Conn(string system, string type) => new(system, type, MapDirection.Both, true, [], null, false);
}
