using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Concord.Core.Configuration;

/// <summary>
/// Reads a YAML node tree while keeping positions, collecting problems instead of throwing,
/// so that one run of <c>concord validate</c> reports every mistake at once.
/// </summary>
internal sealed class YamlNav(string file, List<ConfigProblem> problems)
{
    public string File { get; } = file;

    public SourceSpan At(YamlNode node) => new(File, (int)node.Start.Line, (int)node.Start.Column);

    public void Error(YamlNode node, string code, string message, string? hint = null) =>
        problems.Add(new ConfigProblem(At(node), code, message, hint));

    public void Error(SourceSpan at, string code, string message, string? hint = null) =>
        problems.Add(new ConfigProblem(at, code, message, hint));

    public YamlMappingNode? Mapping(YamlNode node, string what)
    {
        if (node is YamlMappingNode m)
        {
            return m;
        }

        Error(node, "expected-mapping", $"{what} must be a mapping of keys to values", $"write it as `key: value` lines indented under {what}");
        return null;
    }

    public YamlSequenceNode? Sequence(YamlNode node, string what)
    {
        if (node is YamlSequenceNode s)
        {
            return s;
        }

        Error(node, "expected-list", $"{what} must be a list", "write each item on its own line starting with `- `, or as [a, b]");
        return null;
    }

    public string? Scalar(YamlNode node, string what)
    {
        if (node is YamlScalarNode s && s.Value is not null)
        {
            return s.Value;
        }

        Error(node, "expected-value", $"{what} must be a single value", null);
        return null;
    }

    /// <summary>A mapping key as text; a complex key (a list or mapping) reads as empty and is reported by the caller's checks.</summary>
    public static string Key(KeyValuePair<YamlNode, YamlNode> entry) => entry.Key is YamlScalarNode s ? s.Value ?? "" : "";

    /// <summary>Reports keys that the section does not know, with a "did you mean" hint.</summary>
    public void OnlyKnownKeys(YamlMappingNode map, string section, params string[] known)
    {
        foreach (var entry in map.Children)
        {
            var key = entry.Key is YamlScalarNode s ? s.Value ?? "" : "";
            if (!known.Contains(key, StringComparer.Ordinal))
            {
                var guess = Schema.Suggestions.Closest(key, known);
                Error(entry.Key, "unknown-key", $"unknown key '{key}' in {section}",
                    guess is not null ? $"did you mean '{guess}'? known keys: {string.Join(", ", known)}" : $"known keys: {string.Join(", ", known)}");
            }
        }
    }

    public static YamlNode? Child(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var v) ? v : null;

    public bool? Bool(YamlNode node, string what)
    {
        var text = Scalar(node, what);
        if (text is null)
        {
            return null;
        }

        if (bool.TryParse(text, out var b))
        {
            return b;
        }

        Error(node, "expected-boolean", $"{what} must be true or false, not '{text}'");
        return null;
    }

    public int? Int(YamlNode node, string what, int min, int max)
    {
        var text = Scalar(node, what);
        if (text is null)
        {
            return null;
        }

        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max)
        {
            return n;
        }

        Error(node, "expected-integer", $"{what} must be a whole number from {min} to {max}, not '{text}'");
        return null;
    }

    public double? Number(YamlNode node, string what, double min)
    {
        var text = Scalar(node, what);
        if (text is null)
        {
            return null;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n >= min)
        {
            return n;
        }

        Error(node, "expected-number", $"{what} must be a number ≥ {min}, not '{text}'");
        return null;
    }

    public TimeSpan? Duration(YamlNode node, string what)
    {
        var text = Scalar(node, what);
        if (text is null)
        {
            return null;
        }

        if (Configuration.Duration.TryParse(text, out var d))
        {
            return d;
        }

        Error(node, "expected-duration", $"{what} must be a duration such as 250ms, 30s, 5m, 2h or 30d, not '{text}'");
        return null;
    }

    public long? Size(YamlNode node, string what)
    {
        var text = Scalar(node, what)?.Trim();
        if (text is null)
        {
            return null;
        }

        var units = new (string Suffix, long Factor)[] { ("KiB", 1024), ("MiB", 1024 * 1024), ("KB", 1000), ("MB", 1000 * 1000), ("B", 1) };
        foreach (var (suffix, factor) in units)
        {
            if (text.EndsWith(suffix, StringComparison.Ordinal) && long.TryParse(text[..^suffix.Length].Trim(), CultureInfo.InvariantCulture, out var n) && n > 0
                && n <= long.MaxValue / factor)
            {
                return n * factor;
            }
        }

        if (long.TryParse(text, CultureInfo.InvariantCulture, out var bytes) && bytes > 0)
        {
            return bytes;
        }

        Error(node, "expected-size", $"{what} must be a size such as 512KiB or 1MiB, not '{text}'");
        return null;
    }

    /// <summary>A list of names, written either as a YAML list or as one name.</summary>
    public List<(string Value, YamlNode Node)> Names(YamlNode node, string what)
    {
        var result = new List<(string, YamlNode)>();
        if (node is YamlScalarNode s && s.Value is not null)
        {
            result.Add((s.Value, s));
            return result;
        }

        var seq = Sequence(node, what);
        if (seq is null)
        {
            return result;
        }

        foreach (var item in seq.Children)
        {
            var v = Scalar(item, $"an item of {what}");
            if (v is not null)
            {
                result.Add((v, item));
            }
        }

        return result;
    }
}
