namespace Concord.Core.Matching;

/// <summary>
/// Jaro–Winkler similarity (Winkler 1990): Jaro's count of matching and transposed characters,
/// boosted for a common prefix of up to four characters, because typing errors are rarer at
/// the start of a name than further in.
/// </summary>
public static class JaroWinkler
{
    private const double PrefixScale = 0.1;
    private const int MaxPrefix = 4;

    /// <summary>Winkler only boosts pairs that are already alike; below this Jaro is returned as is.</summary>
    private const double BoostThreshold = 0.7;

    /// <summary>Similarity in [0, 1]; 1 for equal strings, 0 when either is empty and they differ.</summary>
    public static double Similarity(string a, string b) => Similarity(a, b, BoostThreshold);

    /// <summary>
    /// Similarity with the common prefix boosting pairs whose Jaro is at least <paramref name="boostThreshold"/>;
    /// 0 boosts every pair (truncated memos, where a shared beginning is the strongest signal).
    /// </summary>
    public static double Similarity(string a, string b, double boostThreshold)
    {
        var jaro = Jaro(a, b);
        if (jaro < boostThreshold)
        {
            return jaro;
        }

        var limit = Math.Min(MaxPrefix, Math.Min(a.Length, b.Length));
        var prefix = 0;
        while (prefix < limit && a[prefix] == b[prefix])
        {
            prefix++;
        }

        return jaro + (prefix * PrefixScale * (1 - jaro));
    }

    /// <summary>
    /// Whether the similarity is at least <paramref name="threshold"/>, computed only when a cheap
    /// upper bound (<see cref="UpperBound"/>) does not already rule it out: most candidate pairs
    /// are different things whose values share too few characters to be alike.
    /// </summary>
    public static bool AtLeast(string a, string b, double threshold) =>
        UpperBound(a, b) >= threshold && Similarity(a, b) >= threshold;

    /// <summary>
    /// An upper bound of <see cref="Similarity(string, string)"/> in one pass over both values:
    /// Jaro's matching characters are at most the characters the two have in common (counted
    /// with repeats, ignoring position and transpositions), and the prefix boost is exact.
    /// </summary>
    public static double UpperBound(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Length == 0 || b.Length == 0)
        {
            return a.Length == b.Length ? 1 : 0;
        }

        // Characters fold into 64 buckets; two characters sharing one can only raise the count, so it stays a bound.
        Span<int> counts = stackalloc int[64];
        foreach (var ch in a)
        {
            counts[ch & 63]++;
        }

        var common = 0;
        foreach (var ch in b)
        {
            if (counts[ch & 63]-- > 0)
            {
                common++;
            }
        }

        double m = common;
        var jaro = m == 0 ? 0 : ((m / a.Length) + (m / b.Length) + 1) / 3.0;
        if (jaro < BoostThreshold)
        {
            return jaro;
        }

        var limit = Math.Min(MaxPrefix, Math.Min(a.Length, b.Length));
        var prefix = 0;
        while (prefix < limit && a[prefix] == b[prefix])
        {
            prefix++;
        }

        return Math.Min(1, jaro + (prefix * PrefixScale * (1 - jaro)));
    }

    /// <summary>Jaro similarity in [0, 1].</summary>
    public static double Jaro(string a, string b)
    {
        if (a.Length == 0 || b.Length == 0)
        {
            return a.Length == b.Length ? 1 : 0;
        }

        if (string.Equals(a, b, StringComparison.Ordinal))
        {
            return 1;
        }

        var window = Math.Max(0, (Math.Max(a.Length, b.Length) / 2) - 1);
        Span<bool> aMatched = a.Length <= 128 ? stackalloc bool[a.Length] : new bool[a.Length];
        Span<bool> bMatched = b.Length <= 128 ? stackalloc bool[b.Length] : new bool[b.Length];
        var matches = 0;
        for (var i = 0; i < a.Length; i++)
        {
            var from = Math.Max(0, i - window);
            var to = Math.Min(b.Length - 1, i + window);
            for (var j = from; j <= to; j++)
            {
                if (!bMatched[j] && a[i] == b[j])
                {
                    aMatched[i] = true;
                    bMatched[j] = true;
                    matches++;
                    break;
                }
            }
        }

        if (matches == 0)
        {
            return 0;
        }

        var transpositions = 0;
        var k = 0;
        for (var i = 0; i < a.Length; i++)
        {
            if (!aMatched[i])
            {
                continue;
            }

            while (!bMatched[k])
            {
                k++;
            }

            if (a[i] != b[k])
            {
                transpositions++;
            }

            k++;
        }

        double m = matches;
        return ((m / a.Length) + (m / b.Length) + ((m - (transpositions / 2.0)) / m)) / 3.0;
    }
}
