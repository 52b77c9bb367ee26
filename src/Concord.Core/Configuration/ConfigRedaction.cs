using System.Text;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Concord.Core.Configuration;

/// <summary>
/// The text of <c>concord.yaml</c> fit to show: every value written literally where a secret goes is replaced by
/// <see cref="Mask"/>. Secrets are meant to be references (<c>{ env: NAME }</c>), which stay as written, so a reader
/// sees which variable holds each secret and never the value; a literal one (refused by validation, but a file
/// can be edited after the hub started) must not reach a browser either. A value counts as a secret when the
/// connector declares the setting secret (Slack's <c>webhook_url</c>) or its key says so (<c>password</c>,
/// <c>token</c>, <c>secret</c>, <c>api_key</c>, <c>authorization</c>, ...), anywhere in the file.
/// </summary>
public static partial class ConfigRedaction
{
    public const string Mask = "<redacted>";

    /// <summary>The text with every literal secret masked, and the values masked (to scrub them from messages that quote the file).</summary>
    public static RedactedConfig Redact(string yaml, IConnectorCatalog catalog)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException)
        {
            // A file that does not parse is still shown (its problems point into it); its lines are judged by their keys alone.
            var found = new List<string>();
            var masked = SecretLine().Replace(yaml, m =>
            {
                var value = m.Groups["value"].Value;
                if (value.StartsWith('{'))
                {
                    return m.Value;
                }

                found.Add(value.Trim('"', '\'', ' '));
                return m.Groups["key"].Value + Mask;
            });
            return new RedactedConfig(masked, found);
        }

        var spans = new List<(int Start, int End, string Value)>();
        foreach (var document in stream.Documents)
        {
            Collect(document.RootNode, [], catalog, Kinds(document.RootNode), spans);
        }

        var text = new StringBuilder(yaml);
        var values = new List<string>();
        foreach (var (start, end, value) in spans.OrderByDescending(s => s.Start))
        {
            // A block scalar's span takes the line breaks after it, which stay; the ones inside it become empty lines, so
            // the lines below keep their numbers and the problems' positions still point at them.
            var stop = end;
            while (stop > start && yaml[stop - 1] is '\n' or '\r')
            {
                stop--;
            }

            var breaks = yaml.AsSpan(start, stop - start).Count('\n');
            text.Remove(start, stop - start).Insert(start, Mask + new string('\n', breaks));
            values.Add(value);
        }

        return new RedactedConfig(text.ToString(), values);
    }

    /// <summary>Whether a key names a secret by its wording.</summary>
    public static bool IsSecretName(string key) => SecretName().IsMatch(key);

    private static void Collect(YamlNode node, List<string> path, IConnectorCatalog catalog, IReadOnlyDictionary<string, string> kinds, List<(int, int, string)> spans)
    {
        switch (node)
        {
            case YamlMappingNode map:
                foreach (var (keyNode, value) in map.Children)
                {
                    var key = keyNode is YamlScalarNode s ? s.Value ?? "" : "";
                    if (value is YamlScalarNode scalar && !string.IsNullOrEmpty(scalar.Value) && (IsSecretName(key) || IsDeclaredSecret(path, key, catalog, kinds)))
                    {
                        spans.Add(((int)scalar.Start.Index, (int)scalar.End.Index, scalar.Value));
                        continue;
                    }

                    path.Add(key);
                    Collect(value, path, catalog, kinds, spans);
                    path.RemoveAt(path.Count - 1);
                }

                break;
            case YamlSequenceNode list:
                foreach (var item in list.Children)
                {
                    path.Add("-");
                    Collect(item, path, catalog, kinds, spans);
                    path.RemoveAt(path.Count - 1);
                }

                break;
        }
    }

    /// <summary>A setting the system's connector declares secret: <c>systems.NAME.settings.KEY</c>.</summary>
    private static bool IsDeclaredSecret(List<string> path, string key, IConnectorCatalog catalog, IReadOnlyDictionary<string, string> kinds) =>
        path is ["systems", var system, "settings"] && kinds.TryGetValue(system, out var kind) && catalog.Find(kind)?.Find(key) is { Secret: true };

    /// <summary>Each system's kind, as written.</summary>
    private static Dictionary<string, string> Kinds(YamlNode root)
    {
        var kinds = new Dictionary<string, string>(StringComparer.Ordinal);
        if (root is YamlMappingNode top && YamlNav.Child(top, "systems") is YamlMappingNode systems)
        {
            foreach (var (name, body) in systems.Children)
            {
                if (name is YamlScalarNode { Value: { } n } && body is YamlMappingNode system && YamlNav.Child(system, "kind") is YamlScalarNode { Value: { } kind })
                {
                    kinds[n] = kind;
                }
            }
        }

        return kinds;
    }

    [GeneratedRegex("secret|token|password|passwd|api_?key|authorization|private_key|credential(?!_expires)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SecretName();

    [GeneratedRegex(@"^(?<key>[ \t]*(?:-[ \t]+)?[""']?[\w.-]*(?:secret|token|password|passwd|api_?key|authorization|private_key)[\w.-]*[""']?[ \t]*:[ \t]+)(?<value>\S[^\r\n]*)",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Multiline)]
    private static partial Regex SecretLine();
}

/// <summary>A configuration's text with its literal secrets masked, and the values that were masked.</summary>
public sealed record RedactedConfig(string Text, IReadOnlyList<string> Values)
{
    /// <summary>A message (a validation problem quoting a bad value) with every masked value masked in it too.</summary>
    public string Scrub(string message) =>
        Values.Where(v => v.Length > 0).OrderByDescending(v => v.Length).Aggregate(message, (m, v) => m.Replace(v, ConfigRedaction.Mask, StringComparison.Ordinal));
}
