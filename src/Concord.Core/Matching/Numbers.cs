using System.Globalization;

namespace Concord.Core.Matching;

/// <summary>Numeric tolerance: amounts and quantities that differ by rounding or a small fee are still alike.</summary>
public static class Numbers
{
    /// <summary>The number in a value (thousands separators and currency signs ignored), or null.</summary>
    public static double? Parse(string raw)
    {
        var text = new string(raw.Where(c => char.IsAsciiDigit(c) || c is '.' or '-' or 'e' or 'E').ToArray());
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null;
    }

    /// <summary>True when |a − b| ≤ tolerance × max(|a|, |b|), or when the two are equal.</summary>
    public static bool WithinRelative(double a, double b, double tolerance) =>
        a == b || Math.Abs(a - b) <= tolerance * Math.Max(Math.Abs(a), Math.Abs(b));
}
