namespace Concord.Core.Matching;

/// <summary>What makes a pair of values fall in a comparison level.</summary>
public enum LevelKind
{
    /// <summary>Equal canonical text.</summary>
    Exact,

    /// <summary>Jaro–Winkler similarity at least the threshold.</summary>
    JaroWinkler,

    /// <summary>Damerau edit distance at most the threshold (as a whole number).</summary>
    EditDistance,

    /// <summary>Token-set similarity at least the threshold (<see cref="Matching.TokenSet"/>).</summary>
    TokenSet,

    /// <summary>Overlap coefficient at least the threshold (<see cref="Matching.TokenSet.Overlap"/>): one value's words within the other's.</summary>
    TokenOverlap,

    /// <summary>
    /// Each value is alike (Jaro–Winkler at least the threshold) the other record's value of the
    /// comparison's <see cref="Comparison.SwapField"/>: first and last name entered the wrong way round.
    /// </summary>
    Swapped,

    /// <summary>Same NYSIIS key of the first word.</summary>
    Phonetic,

    /// <summary>One is a prefix of the other on a word boundary or as an initial ("j" / "john", "rob" / "robert").</summary>
    Prefix,

    /// <summary>Dates with day and month swapped or one digit wrong (<see cref="Dates.Typo"/>).</summary>
    DateTypo,

    /// <summary>Dates at most the threshold days apart.</summary>
    DateWithinDays,

    /// <summary>Numbers within the threshold as a fraction of the larger.</summary>
    NumberWithin,

    /// <summary>E-mail addresses with the same part before the "@".</summary>
    EmailUser,
}

/// <summary>One level of a comparison; levels are tried in order and the first that holds is the pair's level.</summary>
/// <param name="Kind">The test.</param>
/// <param name="Threshold">The test's threshold, where it takes one.</param>
public sealed record ComparisonLevel(LevelKind Kind, double Threshold = 0)
{
    /// <summary>Whether two prepared values pass this level's test.</summary>
    /// <param name="a">One record's value.</param>
    /// <param name="b">The other record's value.</param>
    /// <param name="aSwap">The first record's value of the swap field, for <see cref="LevelKind.Swapped"/>.</param>
    /// <param name="bSwap">The second record's value of the swap field.</param>
    public bool Holds(PreparedValue a, PreparedValue b, PreparedValue? aSwap = null, PreparedValue? bSwap = null)
    {
        var measures = new PairMeasures(a, b, aSwap, bSwap);
        return Holds(ref measures);
    }

    /// <summary>The test on a pair whose measures are shared between the levels of one comparison.</summary>
    internal bool Holds(ref PairMeasures m) => Kind switch
    {
        LevelKind.Exact => string.Equals(m.A.Text, m.B.Text, StringComparison.Ordinal),
        LevelKind.JaroWinkler => m.JaroWinklerAtLeast(Threshold),
        LevelKind.EditDistance => Threshold is >= 1 and < 2 ? m.WithinOneEdit : m.Damerau <= Threshold,
        LevelKind.TokenSet => m.TokenSet >= Threshold,
        LevelKind.TokenOverlap => m.Overlap >= Threshold,
        LevelKind.Swapped => m.ASwap is { } aSwap && m.BSwap is { } bSwap
            && Matching.JaroWinkler.AtLeast(m.A.Text, bSwap.Text, Threshold) && Matching.JaroWinkler.AtLeast(aSwap.Text, m.B.Text, Threshold),
        LevelKind.Phonetic => m.A.Phonetic.Length > 0 && string.Equals(m.A.Phonetic, m.B.Phonetic, StringComparison.Ordinal),
        LevelKind.Prefix => IsPrefix(m.A.Text, m.B.Text) || IsPrefix(m.B.Text, m.A.Text),
        LevelKind.DateTypo => Dates.Transposed(m.A.Text, m.B.Text) || m.WithinOneEdit,
        LevelKind.DateWithinDays => m.A.Day is { } x && m.B.Day is { } y && Math.Abs(x - y) <= Threshold,
        LevelKind.NumberWithin => m.A.Number is { } x && m.B.Number is { } y && Numbers.WithinRelative(x, y, Threshold),
        LevelKind.EmailUser => User(m.A.Text) is { Length: > 0 } u && u.SequenceEqual(User(m.B.Text)),
        _ => false,
    };

    /// <summary>A short label for reports, such as <c>jw>=0.92</c>.</summary>
    public override string ToString() => Threshold == 0 ? Kind.ToString() : $"{Kind}({Threshold:0.###})";

    private static bool IsPrefix(string shorter, string longer) =>
        shorter.Length < longer.Length && longer.StartsWith(shorter, StringComparison.Ordinal) && (shorter.Length == 1 || shorter.Length >= 3);

    private static ReadOnlySpan<char> User(string email) => email.IndexOf('@', StringComparison.Ordinal) is var at and > 0 ? email.AsSpan(0, at) : [];
}
