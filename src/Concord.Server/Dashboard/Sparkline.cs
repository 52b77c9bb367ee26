using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Html;

namespace Concord.Server.Dashboard;

/// <summary>
/// A small line chart drawn on the server as inline SVG: no script, no image request. It is one image to assistive
/// technology (<c>role="img"</c>) whose name states the figures in words, since the line itself says nothing to a
/// screen reader.
/// </summary>
public static class Sparkline
{
    public const int Width = 96;

    public const int Height = 24;

    /// <param name="values">The points, oldest first; a null is drawn as zero (nothing happened that hour).</param>
    /// <param name="label">What the figures are, in words, including them (<c>… peak 42, now 3</c>).</param>
    /// <param name="testId">A <c>data-testid</c>, where a test reads the figures.</param>
    public static IHtmlContent Render(IReadOnlyList<double?> values, string label, string? testId = null)
    {
        var peak = values.Max(v => v ?? 0);
        var step = values.Count > 1 ? (double)(Width - 4) / (values.Count - 1) : 0;
        string X(int i) => (2 + i * step).ToString("0.#", CultureInfo.InvariantCulture);
        string Y(double? v) => (Height - 2 - (peak > 0 ? (v ?? 0) / peak * (Height - 4) : 0)).ToString("0.#", CultureInfo.InvariantCulture);

        var points = new StringBuilder();
        for (var i = 0; i < values.Count; i++)
        {
            points.Append(i == 0 ? "" : " ").Append(X(i)).Append(',').Append(Y(values[i]));
        }

        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"""<svg class="spark" role="img" aria-label="{Encode(label)}" width="{Width}" height="{Height}" viewBox="0 0 {Width} {Height}" """);
        if (testId is not null)
        {
            svg.Append(CultureInfo.InvariantCulture, $"""data-testid="{Encode(testId)}" """);
        }

        svg.Append('>');
        if (values.Count > 0)
        {
            svg.Append(CultureInfo.InvariantCulture, $"""<polyline fill="none" stroke="currentColor" stroke-width="1.5" points="{points}"/>""");
            svg.Append(CultureInfo.InvariantCulture, $"""<circle cx="{X(values.Count - 1)}" cy="{Y(values[^1])}" r="2" fill="currentColor"/>""");
        }

        svg.Append("</svg>");
        return new HtmlString(svg.ToString());
    }

    private static string Encode(string text) => System.Net.WebUtility.HtmlEncode(text);
}
