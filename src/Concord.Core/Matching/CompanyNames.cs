namespace Concord.Core.Matching;

/// <summary>
/// Company names compared by what distinguishes them: legal-form words (Inc, Corp, LLC, Ltd,
/// GmbH, …), "the" and parenthesised qualifiers ("(UK)", "(Las Vegas)") are dropped, and
/// "&amp;" reads as "and", because "Acme Corp." and "ACME Corporation" are the same business
/// and "The Palm" is listed as "Palm, The (Los Angeles)".
/// </summary>
public static class CompanyNames
{
    /// <summary>Legal-form words removed from the end of a name (after cleaning, so "L.L.C." is "l l c" — see <see cref="Normalize"/>).</summary>
    public static readonly IReadOnlySet<string> LegalSuffixes = new HashSet<string>(StringComparer.Ordinal)
    {
        "inc", "incorporated", "corp", "corporation", "co", "company", "llc", "llp", "lp", "ltd", "limited",
        "plc", "gmbh", "ag", "kg", "ug", "mbh", "sa", "sas", "sarl", "srl", "spa", "bv", "nv", "oy", "ab", "as",
        "pty", "pte", "pvt", "kk", "lda", "sl",
    };

    /// <summary>The cleaned name without legal form; the cleaned name itself when nothing else would remain.</summary>
    public static string Normalize(string raw)
    {
        // Dotted initials ("L.L.C.", "S.A.") are squashed before splitting so they read as one word.
        var words = TextNormal.Clean(raw.Replace(".", string.Empty, StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        var unqualified = TextNormal.Clean(WithoutParentheses(raw).Replace(".", string.Empty, StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var kept = unqualified.Where(w => w != "the").ToList();
        while (kept.Count > 1 && LegalSuffixes.Contains(kept[^1]))
        {
            kept.RemoveAt(kept.Count - 1);
        }

        return string.Join(' ', kept.Count > 0 ? kept : words);
    }

    private static string WithoutParentheses(string raw)
    {
        var sb = new System.Text.StringBuilder(raw.Length);
        var depth = 0;
        foreach (var ch in raw)
        {
            depth += ch == '(' ? 1 : 0;
            if (depth == 0)
            {
                sb.Append(ch);
            }

            depth -= ch == ')' && depth > 0 ? 1 : 0;
        }

        return sb.ToString();
    }
}
