using YamlDotNet.RepresentationModel;

namespace Concord.Testing;

/// <summary>
/// Turns a shipped template (a complete concord.yaml for the real vendors) into one that runs against
/// the sandboxes: each system's connection settings are replaced by the sandbox's, everything else
/// (field mappings, entities, syncs, flows) is kept exactly as shipped.
/// </summary>
public static class TemplateConfig
{
    /// <summary>The template file's text, from the repository.</summary>
    public static string Read(string name) => File.ReadAllText(Path.Combine(RepoPaths.Root, "src", "Concord.Cli", "Templates", $"flows-{name}.yaml"));

    /// <param name="template">The template's YAML.</param>
    /// <param name="stack">The running sandboxes.</param>
    /// <param name="extraSystems">Connection settings for systems the vendor stack does not run (e.g. an SMTP sink), by system name, as YAML mappings.</param>
    /// <param name="replace">Text replacements applied to the template first (e.g. a portal's URL to a loopback one).</param>
    public static string ForSandboxes(string template, VendorStack stack, IReadOnlyDictionary<string, string>? extraSystems = null, IReadOnlyDictionary<string, string>? replace = null)
    {
        foreach (var (from, to) in replace ?? new Dictionary<string, string>())
        {
            template = template.Replace(from, to, StringComparison.Ordinal);
        }

        var doc = Load(template);
        var stackSystems = (YamlMappingNode)Load(stack.HubAndSystemsYaml()).Children[new YamlScalarNode("systems")];
        var hub = (YamlMappingNode)doc.Children[new YamlScalarNode("hub")];
        hub.Children[new YamlScalarNode("listen")] = new YamlScalarNode($"http://127.0.0.1:{stack.HubPort}");

        foreach (var (key, node) in ((YamlMappingNode)doc.Children[new YamlScalarNode("systems")]).Children)
        {
            var name = ((YamlScalarNode)key).Value!;
            var system = (YamlMappingNode)node;
            YamlMappingNode replacement;
            if (extraSystems?.GetValueOrDefault(name) is { } extra)
            {
                replacement = Load(extra);
            }
            else if (stackSystems.Children.TryGetValue(new YamlScalarNode(name), out var sandbox))
            {
                replacement = (YamlMappingNode)sandbox;
            }
            else
            {
                throw new InvalidOperationException($"the template's system '{name}' has no sandbox; pass its settings in extraSystems");
            }

            var settings = (YamlMappingNode)system.Children[new YamlScalarNode("settings")];
            var sandboxSettings = (YamlMappingNode)replacement.Children[new YamlScalarNode("settings")];

            // A Slack channel and an email sender written in the template are part of what the template does: keep them.
            var kept = settings.Children.Where(p => ((YamlScalarNode)p.Key).Value is "channel" or "from").ToList();
            system.Children[new YamlScalarNode("settings")] = sandboxSettings;
            foreach (var (k, v) in kept)
            {
                sandboxSettings.Children[k] = v;
            }

            foreach (var part in new[] { "retry", "circuit_breaker" })
            {
                if (replacement.Children.TryGetValue(new YamlScalarNode(part), out var value))
                {
                    system.Children[new YamlScalarNode(part)] = value;
                }
            }
        }

        var stream = new YamlStream(new YamlDocument(doc));
        using var writer = new StringWriter();
        stream.Save(writer, assignAnchors: false);
        return writer.ToString();
    }

    private static YamlMappingNode Load(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }
}
