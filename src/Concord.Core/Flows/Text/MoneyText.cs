using System.Globalization;
using System.Text.RegularExpressions;
using Concord.Core.Mapping;

namespace Concord.Core.Flows.Text;

/// <summary>
/// Reads sums of money: a symbol or ISO code before or a code or currency word after a number,
/// with thousands separators told apart from decimal marks by position (see <see cref="TryNumber"/>).
/// </summary>
internal static class MoneyText
{
    private const string Codes = "USD|EUR|GBP|JPY|CHF|CAD|AUD|NZD|SEK|NOK|DKK|PLN|CZK|HUF|CNY|INR|SGD|HKD|MXN|BRL|ZAR|KRW|KWD|BHD";
    private const string Words = "dollars?|bucks|euros?|pounds?|quid|yen|francs?";
    private const string Symbols = @"US\$|CA\$|C\$|AU\$|A\$|NZ\$|\$|€|£|¥|₹";

    /// <summary>The money pattern, for embedding in larger patterns; its groups are pre, sym, num, k and post.</summary>
    internal const string Pattern =
        @"(?:(?<pre>" + Codes + @")\s*)?(?<sym>" + Symbols + @")?\s?" +
        @"(?<num>\d{1,3}(?:[.,']\d{3})+(?:[.,]\d{1,3})?|\d{1,15}(?:[.,]\d{1,3})?)(?![\d]|[.,']\d)" +
        @"(?:(?<k>[km])(?![\p{L}\d]))?(?:\s?(?<post>" + Codes + "|" + Words + @")(?![\p{L}\d]))?";

    private static readonly Regex Money = new(@"(?<![\p{L}\d.,/\-])" + Pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    private static readonly HashSet<string> DollarCodes = new(StringComparer.Ordinal) { "USD", "CAD", "AUD", "NZD", "SGD", "HKD", "MXN" };
    private static readonly HashSet<string> YenCodes = new(StringComparer.Ordinal) { "JPY", "CNY" };

    /// <summary>Every sum in <paramref name="text"/>, with where it stands.</summary>
    public static IEnumerable<(Match Match, MoneyMention Mention)> Find(string text)
    {
        foreach (Match m in Money.Matches(text))
        {
            if (From(m) is { } mention)
            {
                yield return (m, mention);
            }
        }
    }

    /// <summary>The sum in a match of <see cref="Pattern"/>, or null when its number is not one.</summary>
    public static MoneyMention? From(Match m)
    {
        var hints = new[] { m.Groups["pre"], m.Groups["sym"], m.Groups["post"] }.Where(g => g.Success).Select(g => g.Value).ToList();
        var threeDecimals = hints.Any(h => Read(h).Code is { } code && MinorUnits.PerMajor(code) == 1000m);
        if (!TryNumber(m.Groups["num"].Value, threeDecimals, out var value))
        {
            return null;
        }

        var k = m.Groups["k"].Value.ToLowerInvariant();
        value *= k == "k" ? 1_000m : k == "m" ? 1_000_000m : 1m;
        return new MoneyMention(value, hints);
    }

    /// <summary>
    /// A number with separators: an apostrophe always groups thousands (CH); when both "." and ","
    /// appear the last one is the decimal mark ("1.250,50" and "1,250.50" are both 1250.5); a lone
    /// kind of separator groups thousands when three digits follow its last use and the number does
    /// not start "0" ("3,200", "1.250"), and is the decimal mark otherwise ("99.5", "1,5", "0.500") —
    /// or when the currency named next to it has three decimals (<paramref name="threeDecimals"/>:
    /// "KWD 12.345" is twelve dinars).
    /// </summary>
    public static bool TryNumber(string raw, bool threeDecimals, out decimal value)
    {
        var s = raw.Replace("'", string.Empty, StringComparison.Ordinal);
        var lastDot = s.LastIndexOf('.');
        var lastComma = s.LastIndexOf(',');
        var decimalAt = -1;
        if (lastDot >= 0 && lastComma >= 0)
        {
            decimalAt = Math.Max(lastDot, lastComma);
        }
        else if (lastDot >= 0 || lastComma >= 0)
        {
            var at = Math.Max(lastDot, lastComma);
            var once = s.IndexOf(s[at], StringComparison.Ordinal) == at;
            var grouping = s.Length - at - 1 == 3 && !s.StartsWith("0", StringComparison.Ordinal) && !(threeDecimals && once);
            decimalAt = grouping ? -1 : at;
        }

        var digits = new System.Text.StringBuilder(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            if (i == decimalAt)
            {
                digits.Append('.');
            }
            else if (char.IsAsciiDigit(s[i]))
            {
                digits.Append(s[i]);
            }
        }

        return decimal.TryParse(digits.ToString(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>
    /// The ISO code the hints name, or an explanation when they disagree. "$" is any dollar and
    /// "¥" yen or yuan; on their own they mean the default currency when it is of that kind, else
    /// USD and JPY. Without hints the default currency applies.
    /// </summary>
    public static string? Currency(IEnumerable<string> hints, string defaultCurrency, out string? conflict)
    {
        conflict = null;
        string? code = null;
        string? codeHint = null;
        string? family = null;
        string? familyHint = null;
        foreach (var hint in hints)
        {
            var (c, f) = Read(hint);
            if (c is not null)
            {
                if (code is not null && code != c)
                {
                    conflict = $"currency '{codeHint}' and '{hint}' both given";
                    return null;
                }

                code ??= c;
                codeHint ??= hint;
            }
            else if (f is not null)
            {
                if (family is not null && family != f)
                {
                    conflict = $"currency '{familyHint}' and '{hint}' both given";
                    return null;
                }

                family ??= f;
                familyHint ??= hint;
            }
        }

        if (code is not null && family is not null && !InFamily(code, family))
        {
            conflict = $"currency '{familyHint}' and '{codeHint}' both given";
            return null;
        }

        var fallback = defaultCurrency.ToUpperInvariant();
        return code ?? family switch
        {
            "$" => DollarCodes.Contains(fallback) ? fallback : "USD",
            "¥" => YenCodes.Contains(fallback) ? fallback : "JPY",
            _ => fallback,
        };
    }

    /// <summary>How many decimals <paramref name="currency"/> allows, from its minor units.</summary>
    public static int Decimals(string currency) => MinorUnits.PerMajor(currency) switch { 1m => 0, 1000m => 3, _ => 2 };

    /// <summary>The amount in minor units, or null when it has more decimals than the currency has or is too large.</summary>
    public static long? Minor(decimal amount, string currency)
    {
        if (Math.Abs(amount) > 1_000_000_000_000m)
        {
            return null;
        }

        var minor = amount * MinorUnits.PerMajor(currency);
        return minor == decimal.Truncate(minor) ? (long)minor : null;
    }

    /// <summary>The sum written in its currency's usual form, for messages.</summary>
    public static string Show(decimal amount, string currency) =>
        currency + " " + amount.ToString("#,0." + new string('0', Decimals(currency)), CultureInfo.InvariantCulture).TrimEnd('.');

    private static (string? Code, string? Family) Read(string hint)
    {
        var h = hint.ToUpperInvariant();
        return h switch
        {
            "$" or "DOLLAR" or "DOLLARS" or "BUCKS" => (null, "$"),
            "¥" or "YEN" => (null, "¥"),
            "US$" => ("USD", null),
            "CA$" or "C$" => ("CAD", null),
            "AU$" or "A$" => ("AUD", null),
            "NZ$" => ("NZD", null),
            "€" or "EURO" or "EUROS" => ("EUR", null),
            "£" or "POUND" or "POUNDS" or "QUID" => ("GBP", null),
            "₹" => ("INR", null),
            "FRANC" or "FRANCS" => ("CHF", null),
            _ => (h, null),
        };
    }

    private static bool InFamily(string code, string family) =>
        family == "$" ? DollarCodes.Contains(code) : family == "¥" && YenCodes.Contains(code);
}
