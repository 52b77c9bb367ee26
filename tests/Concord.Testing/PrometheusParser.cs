using System.Globalization;
using System.Text;

namespace Concord.Testing;

/// <summary>One family read back from the Prometheus text format.</summary>
public sealed record MetricFamily(string Name, string Type, string Help, List<MetricSample> Samples);

/// <summary>One sample read back: name, labels (unescaped) and value.</summary>
public sealed record MetricSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

/// <summary>
/// A strict reader of the Prometheus text exposition format (0.0.4), enough to check what a scraper would
/// see: every family has HELP then TYPE before its samples, samples belong to the family above them, a
/// family appears once, label values are unescaped.
/// </summary>
public static class PrometheusParser
{
    public static Dictionary<string, MetricFamily> Parse(string text)
    {
        var families = new Dictionary<string, MetricFamily>(StringComparer.Ordinal);
        MetricFamily? current = null;
        string? help = null;
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0)
            {
                continue;
            }

            if (line.StartsWith("# HELP ", StringComparison.Ordinal))
            {
                var rest = line["# HELP ".Length..];
                var space = rest.IndexOf(' ', StringComparison.Ordinal);
                help = Unescape(rest[(space + 1)..]);
                current = null;
                continue;
            }

            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var parts = line.Split(' ');
                if (parts.Length != 4 || help is null || parts[3] is not ("counter" or "gauge" or "histogram" or "summary" or "untyped"))
                {
                    throw new FormatException($"bad TYPE line (or no HELP before it): {line}");
                }

                current = new MetricFamily(parts[2], parts[3], help, []);
                if (!families.TryAdd(current.Name, current))
                {
                    throw new FormatException($"family {current.Name} appears twice");
                }

                help = null;
                continue;
            }

            if (line.StartsWith('#'))
            {
                continue;
            }

            var sample = ParseSample(line);
            if (current is null || sample.Name != current.Name)
            {
                throw new FormatException($"sample {sample.Name} is not under its family's TYPE line");
            }

            current.Samples.Add(sample);
        }

        return families;
    }

    private static MetricSample ParseSample(string line)
    {
        var i = 0;
        while (i < line.Length && (char.IsAsciiLetterOrDigit(line[i]) || line[i] is '_' or ':'))
        {
            i++;
        }

        var name = line[..i];
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (i < line.Length && line[i] == '{')
        {
            i++;
            while (line[i] != '}')
            {
                var eq = line.IndexOf('=', i);
                var label = line[i..eq];
                if (line[eq + 1] != '"')
                {
                    throw new FormatException($"label value not quoted: {line}");
                }

                var value = new StringBuilder();
                var j = eq + 2;
                for (; line[j] != '"'; j++)
                {
                    if (line[j] == '\\')
                    {
                        j++;
                        value.Append(line[j] switch { 'n' => '\n', '\\' => '\\', '"' => '"', _ => throw new FormatException($"bad escape in {line}") });
                    }
                    else
                    {
                        value.Append(line[j]);
                    }
                }

                labels.Add(label, value.ToString());
                i = j + 1;
                if (line[i] == ',')
                {
                    i++;
                }
            }

            i++;
        }

        if (line[i] != ' ')
        {
            throw new FormatException($"no space before the value: {line}");
        }

        var text = line[(i + 1)..];
        var number = text switch
        {
            "NaN" => double.NaN,
            "+Inf" => double.PositiveInfinity,
            "-Inf" => double.NegativeInfinity,
            _ => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
        };
        return new MetricSample(name, labels, number);
    }

    /// <summary>Help text: <c>\\</c> and <c>\n</c> are the only escapes.</summary>
    private static string Unescape(string text)
    {
        var result = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\' && i + 1 < text.Length)
            {
                i++;
                result.Append(text[i] switch { 'n' => '\n', '\\' => '\\', _ => throw new FormatException($"bad escape in help: {text}") });
            }
            else
            {
                result.Append(text[i]);
            }
        }

        return result.ToString();
    }
}
