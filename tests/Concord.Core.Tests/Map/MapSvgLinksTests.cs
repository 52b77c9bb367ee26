using System.Xml.Linq;
using Concord.Core.Map;

namespace Concord.Core.Tests.Map;

/// <summary>The map embedded in a page: systems, types and flows as named links, its style sheet kept to itself.</summary>
public sealed class MapSvgLinksTests
{
    private static readonly XNamespace Ns = "http://www.w3.org/2000/svg";

    private static readonly MapLinks Links = new(
        System: s => new MapLink($"/s?n={s}&x=1", "deliveries"),
        Type: t => new MapLink($"/t/{t}", "records"),
        Flow: f => new MapLink($"/f/{f}", "runs"));

    [Fact]
    public void EverySystemTypeAndFlow_IsOneNamedLink_HoldingItsOwnWords()
    {
        var map = MapSamples.Demo();
        var layout = MapLayouter.Lay(map, MapSamples.Overlay(map));

        var doc = XDocument.Parse(MapSvg.Render(layout, Links));

        var links = doc.Descendants(Ns + "a").ToList();
        var expected = map.Systems.Where(s => !s.IsTool).Select(s => $"/s?n={s.Name}&x=1")
            .Concat(layout.Nodes.Where(n => n.Kind == MapNodeKind.Type).Select(n => $"/t/{n.Id}"))
            .Concat(map.Flows.Select(f => $"/f/{f.Name}"));
        Assert.Equal(expected.Order(StringComparer.Ordinal), links.Select(a => (string)a.Attribute("href")!).Order(StringComparer.Ordinal));
        Assert.All(links, a => Assert.False(string.IsNullOrEmpty((string?)a.Attribute("aria-label"))));

        // A system's link holds its box and every word written in it, and nothing else's.
        var system = map.Systems.First(s => !s.IsTool).Name;
        var link = links.Single(a => (string)a.Attribute("href")! == $"/s?n={system}&x=1");
        var words = layout.Texts.Where(t => t.Node == system).Select(t => t.Text).ToList();
        Assert.Equal(words, link.Descendants(Ns + "text").Select(t => t.Value));
        // Its name is the words it shows, then where it leads: the visible label is part of the accessible name.
        Assert.Equal(string.Join(' ', words) + ", deliveries", (string?)link.Attribute("aria-label"));
        Assert.Single(link.Descendants(Ns + "rect"));

        // A flow's link holds its name and what it reaches.
        var flow = map.Flows[0];
        var flowLink = links.Single(a => (string)a.Attribute("href")! == $"/f/{flow.Name}");
        Assert.Equal(flow.Name, flowLink.Descendants(Ns + "text").First().Value);
        Assert.StartsWith("→", flowLink.Descendants(Ns + "text").Last().Value, StringComparison.Ordinal);

        // Every text is drawn once, linked or not.
        Assert.Equal(layout.Texts.Count, doc.Descendants(Ns + "text").Count());
    }

    [Fact]
    public void TheEmbeddedStyleSheet_AppliesOnlyInsideTheMap_AndTheStandaloneMapIsUnchanged()
    {
        var map = MapSamples.Demo();
        var layout = MapLayouter.Lay(map, MapSamples.Overlay(map));

        var embedded = XDocument.Parse(MapSvg.Render(layout, Links));
        Assert.Equal(MapSvg.EmbeddedClass, (string?)embedded.Root!.Attribute("class"));
        var rules = embedded.Descendants(Ns + "style").Single().Value.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.All(rules, rule => Assert.All(rule[..rule.IndexOf('{', StringComparison.Ordinal)].Split(','),
            selector => Assert.StartsWith($".{MapSvg.EmbeddedClass} ", selector.Trim(), StringComparison.Ordinal)));

        Assert.Equal(MapSvg.Render(layout), MapSvg.Render(layout, null));
        Assert.DoesNotContain("concord-map", MapSvg.Render(layout), StringComparison.Ordinal);
    }
}
