using System.Text;

namespace Concord.Core.Matching;

/// <summary>
/// Canonical text for comparison: lower case, letters and digits, single spaces. Apostrophes
/// join ("morton's" → "mortons") while other punctuation separates ("bel-air" → "bel air").
/// </summary>
public static class TextNormal
{
    /// <summary>Lower-cased words separated by one space; empty when nothing is left.</summary>
    public static string Clean(string raw)
    {
        var sb = new StringBuilder(raw.Length);
        var space = false;
        foreach (var ch in raw)
        {
            if (char.IsLetterOrDigit(ch))
            {
                if (space && sb.Length > 0)
                {
                    sb.Append(' ');
                }

                sb.Append(char.ToLowerInvariant(ch));
                space = false;
            }
            else if (ch is '\'' or '’')
            {
                continue;
            }
            else if (ch == '&')
            {
                // "&" is a word: "Smith & Sons" and "Smith and Sons" are the same name.
                sb.Append(sb.Length > 0 ? " and" : "and");
                space = true;
            }
            else
            {
                space = true;
            }
        }

        return sb.ToString();
    }

    /// <summary>Letters and digits only, lower case: spacing slips ("pridhamstreet") vanish.</summary>
    public static string Squash(string raw) =>
        string.Concat(raw.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant));

    /// <summary>Digits only.</summary>
    public static string Digits(string raw) => string.Concat(raw.Where(char.IsAsciiDigit));
}
