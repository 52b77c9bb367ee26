using System.Text;

namespace Concord.Core.Reconciliation;

/// <summary>
/// A line's text made ready for comparison once, not once per candidate pair: upper case,
/// punctuation as spaces, runs of spaces collapsed, and split into tokens.
/// </summary>
public sealed class MatchText
{
    private MatchText(string normalized)
    {
        Normalized = normalized;
        Tokens = normalized.Length == 0 ? [] : normalized.Split(' ');
    }

    /// <summary>The normalised text ("L DE' MEDICI, mo" becomes "L DE MEDICI MO").</summary>
    public string Normalized { get; }

    /// <summary>The normalised text's words, in order.</summary>
    public IReadOnlyList<string> Tokens { get; }

    /// <summary>Prepares a raw memo, reference or name.</summary>
    public static MatchText Of(string? raw)
    {
        var sb = new StringBuilder(raw?.Length ?? 0);
        var space = true;
        foreach (var c in raw ?? string.Empty)
        {
            if (char.IsLetterOrDigit(c))
            {
                sb.Append(char.ToUpperInvariant(c));
                space = false;
            }
            else if (!space && c != '\'')
            {
                // An apostrophe joins ("DE'M" is one word); anything else separates.
                sb.Append(' ');
                space = true;
            }
        }

        return new MatchText(sb.ToString().TrimEnd());
    }
}
