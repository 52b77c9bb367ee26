using System.Globalization;
using System.Text;
using Concord.Core.Configuration;

namespace Concord.Core.Map;

/// <summary>
/// Writes the map as Mermaid text (<c>flowchart LR</c>, one subgraph per layer, the hub's types in the middle), for
/// pasting into a wiki or a Markdown page that renders Mermaid. Names are written only inside quoted labels, with
/// Mermaid's entity codes for the characters that would end or break a label; node ids are generated.
/// </summary>
public static class MapMermaid
{
    public static string Render(StackMap map, MapOverlay? overlay)
    {
        var text = new StringBuilder();
        text.Append("flowchart LR\n");
        var systemIds = map.Systems.Select((s, i) => (s.Name, Id: $"s{i}")).ToDictionary(p => p.Name, p => p.Id, StringComparer.Ordinal);
        var typeIds = map.Types.Select((t, i) => (t.Name, Id: $"t{i}")).ToDictionary(p => p.Name, p => p.Id, StringComparer.Ordinal);

        foreach (var layer in map.Systems.GroupBy(s => s.Layer).OrderBy(g => g.Key == StackLayer.None).ThenBy(g => g.Key))
        {
            text.Append(CultureInfo.InvariantCulture, $"  subgraph layer_{layer.Key.ToString().ToLowerInvariant()}[\"{Label(StackLayers.Title(layer.Key))}\"]\n");
            foreach (var system in layer)
            {
                var detail = system.IsTool ? "not connected" : system.Kind!;
                if (overlay is not null && !system.IsTool)
                {
                    detail += " · " + (overlay.SystemOf(system.Name)?.Word ?? "no figures");
                }

                text.Append(CultureInfo.InvariantCulture, $"    {systemIds[system.Name]}[\"{Label(system.Name)}<br/><small>{Label(detail)}</small>\"]\n");
            }

            text.Append("  end\n");
        }

        var types = map.Types.Where(t => map.Connections.Any(c => c.Type == t.Name)).ToList();
        if (types.Count > 0)
        {
            text.Append("  subgraph hub[\"Concord hub\"]\n");
            foreach (var type in types)
            {
                var owner = type.Owner is null ? "no owner" : $"★ {type.Owner}";
                text.Append(CultureInfo.InvariantCulture, $"    {typeIds[type.Name]}[(\"{Label(type.Name)}<br/><small>{Label(owner)}</small>\")]\n");
            }

            text.Append("  end\n");
        }

        var links = new List<string>();
        var styles = new List<string>();
        foreach (var c in map.Connections.Where(c => systemIds.ContainsKey(c.System) && typeIds.ContainsKey(c.Type)))
        {
            var (from, to) = c.Direction == MapDirection.Receives ? (typeIds[c.Type], systemIds[c.System]) : (systemIds[c.System], typeIds[c.Type]);
            var arrow = (c.Direction == MapDirection.Both, c.IsOwner) switch
            {
                (true, true) => "<==>",
                (true, false) => "<-->",
                (false, true) => "==>",
                _ => "-->",
            };
            var label = c.DirectionText + (c.OwnsType ? " ★ owner" : c.OwnedFields.Count > 0 ? $" ★ {string.Join(", ", c.OwnedFields)}" : "");
            if (overlay is not null)
            {
                label += " · " + MapLayouter.Figures(c, overlay);
                if (overlay.StateOf(c) is { } state)
                {
                    styles.Add($"  linkStyle {links.Count.ToString(CultureInfo.InvariantCulture)} stroke:{state.Colour()}{(state.Dash() is { } dash ? $",stroke-dasharray:{dash}" : "")}");
                }
            }

            links.Add($"  {from} {arrow}|\"{Label(label)}\"| {to}");
        }

        if (map.Flows.Count > 0)
        {
            text.Append("  subgraph flows[\"Flows\"]\n");
            for (var i = 0; i < map.Flows.Count; i++)
            {
                var flow = map.Flows[i];
                text.Append(CultureInfo.InvariantCulture, $"    f{i}{{{{\"{Label(flow.Name)}<br/><small>on {Label(flow.Trigger)}</small>\"}}}}\n");
                foreach (var source in flow.TriggerSystems.Where(systemIds.ContainsKey))
                {
                    links.Add($"  {systemIds[source]} -.-> f{i}");
                }

                foreach (var target in flow.Targets.Where(t => t.System is not null && systemIds.ContainsKey(t.System)).DistinctBy(t => (t.System, t.Action)))
                {
                    links.Add($"  f{i} -.->|\"{Label(target.Type is null ? target.Action : $"{target.Action} {target.Type}")}\"| {systemIds[target.System!]}");
                }
            }

            text.Append("  end\n");
        }

        foreach (var link in links)
        {
            text.Append(link).Append('\n');
        }

        text.Append("  classDef tool fill:#f3f4f6,stroke:#9ca3af,stroke-dasharray:4 3,color:#6b7280\n");
        var tools = map.Systems.Where(s => s.IsTool).Select(s => systemIds[s.Name]).ToList();
        if (tools.Count > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"  class {string.Join(",", tools)} tool\n");
        }

        if (overlay is not null)
        {
            foreach (var state in SystemStateLook.All)
            {
                var members = map.Systems.Where(s => !s.IsTool && overlay.SystemOf(s.Name)?.State == state).Select(s => systemIds[s.Name]).ToList();
                if (members.Count > 0)
                {
                    // A class name is one word: circuit_open.
                    var name = state.Slug().Replace('-', '_');
                    text.Append(CultureInfo.InvariantCulture, $"  classDef {name} stroke:{state.Colour()},stroke-width:2px{(state.Dash() is { } dash ? $",stroke-dasharray:{dash}" : "")}\n");
                    text.Append(CultureInfo.InvariantCulture, $"  class {string.Join(",", members)} {name}\n");
                }
            }

            foreach (var style in styles)
            {
                text.Append(style).Append('\n');
            }
        }

        return text.ToString();
    }

    /// <summary>Text for inside a quoted Mermaid label: quotes, angle brackets, ampersands and hashes as entity codes.</summary>
    public static string Label(string text)
    {
        var result = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            result.Append(c switch
            {
                '"' => "#quot;",
                '<' => "#lt;",
                '>' => "#gt;",
                '&' => "#amp;",
                '#' => "#35;",
                '\n' or '\r' => " ",
                _ => c.ToString(),
            });
        }

        return result.ToString();
    }
}
