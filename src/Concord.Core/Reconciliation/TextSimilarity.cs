namespace Concord.Core.Reconciliation;

/// <summary>
/// How alike two memos are, 0..1, for texts that banks and ledgers cut short at different lengths
/// and pad with different words ("M CORVINUS dona" against "M CORVINUS donation BGC").
/// </summary>
public static class TextSimilarity
{
    /// <summary>What two lines score when either has no text: no evidence either way.</summary>
    public const double Unknown = 0.5;

    /// <summary>
    /// The mean of Jaro–Winkler over the whole texts (which rewards a common beginning, where the
    /// counterparty usually is) and token coverage (each word of the shorter text found in the
    /// other, a cut-off word counting as found when it is a prefix). One text being a prefix of the
    /// other is a truncation and scores 1.
    /// </summary>
    public static double Compare(MatchText a, MatchText b)
    {
        if (a.Normalized.Length == 0 || b.Normalized.Length == 0)
        {
            return Unknown;
        }

        if (a.Normalized.StartsWith(b.Normalized, StringComparison.Ordinal) || b.Normalized.StartsWith(a.Normalized, StringComparison.Ordinal))
        {
            return 1.0;
        }

        return (JaroWinkler(a.Normalized, b.Normalized) + Coverage(a.Tokens, b.Tokens)) / 2;
    }

    /// <summary>Share of the shorter token list found in the other list (best match per token).</summary>
    public static double Coverage(IReadOnlyList<string> a, IReadOnlyList<string> b)
    {
        var (shorter, longer) = a.Count <= b.Count ? (a, b) : (b, a);
        if (shorter.Count == 0)
        {
            return 0;
        }

        var total = 0.0;
        foreach (var s in shorter)
        {
            var best = 0.0;
            foreach (var l in longer)
            {
                best = Math.Max(best, TokenSimilarity(s, l));
                if (best >= 1.0)
                {
                    break;
                }
            }

            total += best;
        }

        return total / shorter.Count;
    }

    /// <summary>1 when equal; 0.9 when one is a cut-off of the other (3 letters or more); else Jaro–Winkler when close.</summary>
    public static double TokenSimilarity(string a, string b)
    {
        if (a == b)
        {
            return 1.0;
        }

        var (shortTok, longTok) = a.Length <= b.Length ? (a, b) : (b, a);
        if (shortTok.Length >= 3 && longTok.StartsWith(shortTok, StringComparison.Ordinal))
        {
            return 0.9;
        }

        var jw = JaroWinkler(a, b);
        return jw >= 0.85 ? jw : 0.0;
    }

    /// <summary>Jaro–Winkler similarity, 0..1, with the prefix boost for every pair: a memo cut short keeps its beginning.</summary>
    public static double JaroWinkler(string a, string b) => Matching.JaroWinkler.Similarity(a, b, boostThreshold: 0);
}
