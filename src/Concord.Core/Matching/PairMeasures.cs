namespace Concord.Core.Matching;

/// <summary>
/// The similarity measures of one pair of values, each computed at most once: a comparison's
/// levels often test the same measure at falling thresholds (Jaro–Winkler ≥ 0.92, then ≥ 0.88).
/// </summary>
internal struct PairMeasures(PreparedValue a, PreparedValue b, PreparedValue? aSwap, PreparedValue? bSwap)
{
    private double? _jaroWinkler;
    private int? _damerau;
    private bool? _withinOneEdit;
    private double? _tokenSet;
    private double? _overlap;

    public readonly PreparedValue A => a;

    public readonly PreparedValue B => b;

    public readonly PreparedValue? ASwap => aSwap;

    public readonly PreparedValue? BSwap => bSwap;

    private double? _jaroWinklerBound;

    public double JaroWinkler => _jaroWinkler ??= Matching.JaroWinkler.Similarity(a.Text, b.Text);

    /// <summary>Whether Jaro–Winkler reaches <paramref name="threshold"/>; the similarity is computed only when its upper bound does.</summary>
    public bool JaroWinklerAtLeast(double threshold)
    {
        if (_jaroWinkler is null && (_jaroWinklerBound ??= Matching.JaroWinkler.UpperBound(a.Text, b.Text)) < threshold)
        {
            return false;
        }

        return JaroWinkler >= threshold;
    }

    public int Damerau => _damerau ??= EditDistance.Damerau(a.Text, b.Text);

    public bool WithinOneEdit => _withinOneEdit ??= _damerau is { } known ? known <= 1 : EditDistance.AtMostOne(a.Text, b.Text);

    public double TokenSet => _tokenSet ??= Matching.TokenSet.Similarity(a.Tokens, b.Tokens);

    public double Overlap => _overlap ??= Matching.TokenSet.Overlap(a.Tokens, b.Tokens);
}
