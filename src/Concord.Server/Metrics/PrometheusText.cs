using System.Globalization;
using System.Text;

namespace Concord.Server.Metrics;

/// <summary>
/// Writes the Prometheus text exposition format (version 0.0.4): each family once, its <c># HELP</c> and
/// <c># TYPE</c> lines first and its samples right after, label values escaped.
/// </summary>
public sealed class PrometheusText
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private readonly StringBuilder _text = new();
    private readonly HashSet<string> _written = new(StringComparer.Ordinal);

    /// <summary>Writes a family of gauges.</summary>
    public void Gauge(string name, string help, IEnumerable<Sample> samples) => Family(name, "gauge", help, samples);

    /// <summary>Writes one unlabelled gauge.</summary>
    public void Gauge(string name, string help, double value) => Family(name, "gauge", help, [new Sample(value)]);

    /// <summary>Writes a family of counters: values that only grow (a restart may reset them). The name ends in <c>_total</c>.</summary>
    public void Counter(string name, string help, IEnumerable<Sample> samples)
    {
        if (!name.EndsWith("_total", StringComparison.Ordinal))
        {
            throw new ArgumentException($"counter {name} must end in _total", nameof(name));
        }

        Family(name, "counter", help, samples);
    }

    public override string ToString() => _text.ToString();

    private void Family(string name, string type, string help, IEnumerable<Sample> samples)
    {
        if (!_written.Add(name))
        {
            throw new InvalidOperationException($"metric family {name} written twice");
        }

        _text.Append("# HELP ").Append(name).Append(' ').Append(EscapeHelp(help)).Append('\n');
        _text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
        foreach (var sample in samples)
        {
            _text.Append(name);
            if (sample.Labels.Count > 0)
            {
                _text.Append('{');
                for (var i = 0; i < sample.Labels.Count; i++)
                {
                    var (label, value) = sample.Labels[i];
                    _text.Append(i > 0 ? "," : "").Append(label).Append("=\"").Append(EscapeLabel(value)).Append('"');
                }

                _text.Append('}');
            }

            _text.Append(' ').Append(Format(sample.Value)).Append('\n');
        }
    }

    /// <summary>In a label value a backslash, a double quote and a line feed are escaped.</summary>
    public static string EscapeLabel(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    /// <summary>In help text a backslash and a line feed are escaped.</summary>
    public static string EscapeHelp(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    public static string Format(double value) =>
        double.IsNaN(value) ? "NaN" : double.IsPositiveInfinity(value) ? "+Inf" : double.IsNegativeInfinity(value) ? "-Inf" : value.ToString("R", CultureInfo.InvariantCulture);
}

/// <summary>One sample: a value and its labels, in order.</summary>
public sealed record Sample(double Value, IReadOnlyList<(string Label, string Value)> Labels)
{
    public Sample(double value, params (string Label, string Value)[] labels) : this(value, (IReadOnlyList<(string, string)>)labels)
    {
    }
}
