using Concord.Core.Configuration;
using Concord.Core.Map;

namespace Concord.Core.Tests.Map;

public sealed class MapMermaidTests
{
    [Fact]
    public void The_demo_becomes_a_left_to_right_flowchart_with_a_subgraph_per_layer()
    {
        var text = MapMermaid.Render(MapSamples.Demo(), null);
        var lines = text.Split('\n');

        Assert.Equal("flowchart LR", lines[0]);
        Assert.Contains("  subgraph layer_customers[\"Customers and sales\"]", lines);
        Assert.Contains("  subgraph layer_money[\"Money\"]", lines);
        Assert.Contains("  subgraph layer_communication[\"Communication\"]", lines);
        Assert.Contains("  subgraph hub[\"Concord hub\"]", lines);
        Assert.Equal(lines.Count(l => l.TrimStart().StartsWith("subgraph", StringComparison.Ordinal)), lines.Count(l => l.Trim() == "end"));
        // hubspot owns customers two-way: a thick two-headed link; quickbooks only receives: the type points at it.
        Assert.Contains(lines, l => l.Contains("<==>|\"two-way ★ owner\"|", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("-->|\"receives\"|", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("-.->|\"notifies\"|", StringComparison.Ordinal));
        Assert.Equal(10, lines.Count(l => l.Contains("|\"receives", StringComparison.Ordinal) || l.Contains("|\"two-way", StringComparison.Ordinal) || l.Contains("|\"contributes", StringComparison.Ordinal)));
    }

    [Fact]
    public void Live_figures_colour_the_systems_and_links_and_labels_are_escaped()
    {
        var map = new StackMap("t", [new MapSystem("a\"b<c>#d&", "http", StackLayer.Money, []), new MapSystem("idle", null, StackLayer.Storage, []), new MapSystem("quiet", "http", StackLayer.Customers, [])],
            [new MapType("invoice", "a\"b<c>#d&", [])], [new MapConnection("a\"b<c>#d&", "invoice", MapDirection.Contributes, true, [], null, false), new MapConnection("quiet", "invoice", MapDirection.Both, false, [], null, false)], []);
        var overlay = new MapOverlay(DateTimeOffset.UnixEpoch, new Dictionary<string, SystemStatus>
            {
                ["a\"b<c>#d&"] = new(SystemState.CircuitOpen, "circuit open; 2 dead deliveries"),
                ["quiet"] = new(SystemState.Silent, "no quiet events for 3 h; 60 expected"),
            },
            new Dictionary<(string, string), ConnectionStatus>());

        var text = MapMermaid.Render(map, overlay);

        Assert.Contains("s0[\"a#quot;b#lt;c#gt;#35;d#amp;<br/><small>http · circuit open</small>\"]", text, StringComparison.Ordinal);
        Assert.Contains("s2[\"quiet<br/><small>http · silent</small>\"]", text, StringComparison.Ordinal);
        Assert.Contains("classDef circuit_open stroke:#c62828,stroke-width:2px,stroke-dasharray:2 3", text, StringComparison.Ordinal);
        Assert.Contains("class s0 circuit_open", text, StringComparison.Ordinal);
        Assert.Contains("class s2 silent", text, StringComparison.Ordinal);
        Assert.Contains("class s1 tool", text, StringComparison.Ordinal);
        Assert.Contains("linkStyle 0 stroke:#c62828,stroke-dasharray:2 3", text, StringComparison.Ordinal);
        Assert.Contains("linkStyle 1 stroke:#5b21b6,stroke-dasharray:10 3 2 3", text, StringComparison.Ordinal);
        Assert.DoesNotContain("a\"b", text, StringComparison.Ordinal);
    }
}
