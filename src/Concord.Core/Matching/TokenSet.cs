namespace Concord.Core.Matching;

/// <summary>
/// Similarity of two bags of words regardless of order ("hotel bel air" vs "bel air hotel"):
/// a soft Jaccard index where two tokens count as shared when they are close by Jaro–Winkler
/// or one abbreviates the other ("deli", "delicatessen"), so a misspelt or shortened word still counts.
/// </summary>
public static class TokenSet
{
    /// <summary>Two tokens at least this similar count as the same word.</summary>
    public const double TokenThreshold = 0.9;

    /// <summary>Distinct lower-case words of a text, sorted so equal sets compare equal.</summary>
    public static string[] Tokens(string text) =>
        text.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToArray();

    /// <summary>Shared tokens over all distinct tokens, in [0, 1]; 0 when either side has none.</summary>
    public static double Similarity(IReadOnlyList<string> a, IReadOnlyList<string> b) =>
        Shared(a, b) is var shared && shared == 0 ? 0 : (double)shared / (a.Count + b.Count - shared);

    /// <summary>
    /// Overlap coefficient: shared tokens over the smaller set's size, so a value whose words
    /// all appear in the other ("fenix" in "fenix at the argyle") scores 1.
    /// </summary>
    public static double Overlap(IReadOnlyList<string> a, IReadOnlyList<string> b) =>
        Shared(a, b) is var shared && shared == 0 ? 0 : (double)shared / Math.Min(a.Count, b.Count);

    /// <summary>Number of tokens of <paramref name="a"/> paired with a distinct, similar token of <paramref name="b"/>.</summary>
    public static int Shared(IReadOnlyList<string> a, IReadOnlyList<string> b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Count == 0 || b.Count == 0)
        {
            return 0;
        }

        Span<bool> used = b.Count <= 64 ? stackalloc bool[b.Count] : new bool[b.Count];
        var shared = 0;
        foreach (var token in a)
        {
            var best = -1;
            var bestScore = TokenThreshold;
            for (var j = 0; j < b.Count; j++)
            {
                if (used[j])
                {
                    continue;
                }

                var score = string.Equals(token, b[j], StringComparison.Ordinal) ? 1
                    : Abbreviates(token, b[j]) || Abbreviates(b[j], token) ? TokenThreshold
                    : JaroWinkler.UpperBound(token, b[j]) < bestScore ? 0
                    : JaroWinkler.Similarity(token, b[j]);
                if (score >= bestScore)
                {
                    best = j;
                    bestScore = score;
                    if (score == 1)
                    {
                        break;
                    }
                }
            }

            if (best >= 0)
            {
                used[best] = true;
                shared++;
            }
        }

        return shared;
    }

    /// <summary>A word of three letters or more that starts a longer one ("deli", "delicatessen").</summary>
    private static bool Abbreviates(string shorter, string longer) =>
        shorter.Length >= 3 && shorter.Length < longer.Length && !char.IsAsciiDigit(shorter[0]) && longer.StartsWith(shorter, StringComparison.Ordinal);

    /// <summary>Similarity of two texts split into words.</summary>
    public static double Similarity(string a, string b) => Similarity(Tokens(a), Tokens(b));
}
