namespace Concord.Core.Matching;

/// <summary>
/// The similarity measures of one pair of values, each computed at most once: a comparison's
/// levels often test the same measure at falling thresholds (Jaro–Winkler ≥ 0.92, then ≥ 0.88).
/// </summary>
internal struct PairMeasures(PreparedValue a, PreparedValue b, PreparedValue? aSwap, PreparedValue? bSwap)
{
    private double? _jaroWinkler;
    private int? _damerau;
    private double? _tokenSet;
    private double? _overlap;

    public readonly PreparedValue A => a;

    public readonly PreparedValue B => b;

    public readonly PreparedValue? ASwap => aSwap;

    public readonly PreparedValue? BSwap => bSwap;

    public double JaroWinkler => _jaroWinkler ??= Matching.JaroWinkler.Similarity(a.Text, b.Text);

    public int Damerau => _damerau ??= EditDistance.Damerau(a.Text, b.Text);

    public double TokenSet => _tokenSet ??= Matching.TokenSet.Similarity(a.Tokens, b.Tokens);

    public double Overlap => _overlap ??= Matching.TokenSet.Overlap(a.Tokens, b.Tokens);
}
