namespace Concord.Core.Matching;

/// <summary>
/// A pair's comparison levels packed four bits per comparison into one <see cref="long"/>:
/// pairs with the same vector score the same, so training and scoring work per distinct vector.
/// </summary>
public static class ComparisonVector
{
    /// <summary>The level of comparison <paramref name="k"/>.</summary>
    public static int Level(long vector, int k) => (int)((vector >> (4 * k)) & 0xF);

    /// <summary>The vector with comparison <paramref name="k"/> at <paramref name="level"/>.</summary>
    public static long With(long vector, int k, int level) => (vector & ~(0xFL << (4 * k))) | ((long)level << (4 * k));

    /// <summary>Packs a pair index (i &lt; j).</summary>
    public static long Pair(int i, int j) => ((long)i << 32) | (uint)j;

    /// <summary>Unpacks a pair index.</summary>
    public static (int I, int J) Unpair(long pair) => ((int)(pair >> 32), (int)(pair & 0xFFFFFFFF));
}
