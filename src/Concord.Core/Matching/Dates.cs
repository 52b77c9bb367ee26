using System.Globalization;

namespace Concord.Core.Matching;

/// <summary>
/// Dates as compared by the matcher: canonical <c>yyyyMMdd</c> digits, with the typing errors
/// people make with dates recognised (day and month swapped, one digit wrong).
/// </summary>
public static class Dates
{
    private static readonly string[] Formats = ["yyyyMMdd", "yyyy-MM-dd", "yyyy/MM/dd", "dd/MM/yyyy", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-ddTHH:mm:ssK"];

    /// <summary>
    /// The canonical eight digits, or null when the value is not a date. An invalid date that is
    /// still eight digits (a typo such as month 13) keeps its digits so a typo level can match it.
    /// </summary>
    public static string? Canonical(string raw)
    {
        var text = raw.Trim();
        if (IsoDigits(text) is { } iso)
        {
            return iso;
        }

        if (DateTime.TryParseExact(text, Formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
        {
            return d.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        }

        var digits = TextNormal.Digits(text);
        return digits.Length == 8 ? digits : null;
    }

    /// <summary>
    /// The eight digits of a real date written <c>yyyy-MM-dd</c> or <c>yyyyMMdd</c>, read without the
    /// general parser (the common forms, and a store of a million people has a million of them); null otherwise.
    /// </summary>
    private static string? IsoDigits(string text)
    {
        var dashed = text.Length == 10 && text[4] == '-' && text[7] == '-';
        if (!dashed && text.Length != 8)
        {
            return null;
        }

        Span<char> digits = stackalloc char[8];
        var at = 0;
        foreach (var ch in text)
        {
            if (char.IsAsciiDigit(ch))
            {
                if (at == 8)
                {
                    return null;
                }

                digits[at++] = ch;
            }
            else if (!dashed || ch != '-')
            {
                return null;
            }
        }

        if (at != 8)
        {
            return null;
        }

        var year = int.Parse(digits[..4], CultureInfo.InvariantCulture);
        var month = int.Parse(digits[4..6], CultureInfo.InvariantCulture);
        var day = int.Parse(digits[6..], CultureInfo.InvariantCulture);
        return year >= 1 && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month) ? new string(digits) : null;
    }

    /// <summary>Day and month swapped (and not the same date): 1971-06-04 against 1971-04-06.</summary>
    public static bool Transposed(string a, string b) =>
        a.Length == 8 && b.Length == 8 && !string.Equals(a, b, StringComparison.Ordinal)
        && a.AsSpan(0, 4).SequenceEqual(b.AsSpan(0, 4))
        && a.AsSpan(4, 2).SequenceEqual(b.AsSpan(6, 2)) && a.AsSpan(6, 2).SequenceEqual(b.AsSpan(4, 2));

    /// <summary>Day/month swapped, or at most one edit (a wrong or swapped digit) apart.</summary>
    public static bool Typo(string a, string b) => Transposed(a, b) || EditDistance.AtMostOne(a, b);

    /// <summary>Days since 0001-01-01 of a canonical date; null when its digits are not a real date (a kept typo).</summary>
    public static int? DayNumber(string canonical)
    {
        ArgumentNullException.ThrowIfNull(canonical);
        if (canonical.Length != 8 || !int.TryParse(canonical, NumberStyles.None, CultureInfo.InvariantCulture, out var digits))
        {
            return null;
        }

        var (year, month, day) = (digits / 10000, digits / 100 % 100, digits % 100);
        return year >= 1 && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month)
            ? new DateOnly(year, month, day).DayNumber
            : null;
    }

    /// <summary>Days between two canonical dates; null when either is not a real date.</summary>
    public static int? DaysApart(string a, string b) =>
        DateTime.TryParseExact(a, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var x)
        && DateTime.TryParseExact(b, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var y)
            ? Math.Abs((x - y).Days)
            : null;
}
