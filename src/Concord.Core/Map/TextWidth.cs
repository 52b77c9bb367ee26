namespace Concord.Core.Map;

/// <summary>
/// Estimates how wide a line of text is drawn, without a font engine: per character class, from the advance
/// widths of DejaVu Sans (the map asks for it first; Verdana, its fallback, is as wide), rounded up, so boxes
/// sized with it hold their text in any of the fonts the map names.
/// </summary>
public static class TextWidth
{
    /// <summary>Bold glyphs are about a tenth wider.</summary>
    private const double BoldFactor = 1.1;

    /// <summary>Width in pixels of <paramref name="text"/> at <paramref name="size"/> px.</summary>
    public static double Of(string text, double size, bool bold = false)
    {
        var em = 0.0;
        foreach (var c in text)
        {
            em += Em(c);
        }

        return em * size * (bold ? BoldFactor : 1.0) * 1.03;
    }

    /// <summary>The longest prefix of <paramref name="text"/> that fits in <paramref name="width"/>, with an ellipsis when cut.</summary>
    public static string Fit(string text, double width, double size, bool bold = false)
    {
        if (Of(text, size, bold) <= width)
        {
            return text;
        }

        for (var n = text.Length - 1; n > 0; n--)
        {
            var cut = text[..n].TrimEnd() + "…";
            if (Of(cut, size, bold) <= width)
            {
                return cut;
            }
        }

        return "…";
    }

    private static double Em(char c) => c switch
    {
        ' ' => 0.33,
        'i' or 'j' or 'l' or '\'' or '|' or '!' or '.' or ',' or ':' or ';' or '·' => 0.32,
        'f' or 't' or 'r' or 'I' or '(' or ')' or '[' or ']' or '-' or '/' => 0.43,
        'm' => 0.98,
        'w' => 0.83,
        'M' => 0.87,
        'W' => 1.0,
        >= '0' and <= '9' => 0.64,
        >= 'a' and <= 'z' => 0.64,
        >= 'A' and <= 'Z' => 0.78,
        '_' or '"' or '*' or '^' or '`' => 0.52,
        '<' or '>' or '=' or '+' or '~' or '#' or '$' or '%' or '&' or '@' or '?' => 0.84,
        < (char)128 => 0.6,
        _ => 1.0,
    };
}
