namespace Concord.Core.Matching;

/// <summary>
/// How one field of two records is compared: the field, how it is prepared, and the ordered
/// levels from the closest agreement down. A pair falls in level 0 when either value is missing
/// (it then says nothing either way), in the first level that holds, or in the last, "else".
/// </summary>
/// <param name="Field">The field compared.</param>
/// <param name="Preparation">How values are made canonical.</param>
/// <param name="Levels">Agreement levels, closest first; "null" and "else" are implied.</param>
/// <param name="SwapField">A field the value may have been entered in instead (for <see cref="LevelKind.Swapped"/>), prepared the same way.</param>
public sealed record Comparison(string Field, Preparation Preparation, IReadOnlyList<ComparisonLevel> Levels, string? SwapField = null)
{
    /// <summary>The level index for missing values.</summary>
    public const int Null = 0;

    /// <summary>The index of the first level, which for a <see cref="TermFrequency"/> comparison must be <see cref="LevelKind.Exact"/>.</summary>
    public const int ExactLevel = 1;

    /// <summary>
    /// Whether agreement at the first (exact) level is weighed by how common the value is
    /// (<see cref="TermFrequencies"/>): for names and addresses, where some values are shared by
    /// many strangers and most by few.
    /// </summary>
    public bool TermFrequency { get; init; }

    /// <summary>Number of levels including "null" (0) and "else" (last).</summary>
    public int LevelCount => Levels.Count + 2;

    /// <summary>The level of a pair of prepared values.</summary>
    public int Level(PreparedValue? a, PreparedValue? b, PreparedValue? aSwap = null, PreparedValue? bSwap = null)
    {
        if (a is null || b is null)
        {
            return Null;
        }

        var measures = new PairMeasures(a, b, aSwap, bSwap);
        for (var i = 0; i < Levels.Count; i++)
        {
            if (Levels[i].Holds(ref measures))
            {
                return i + 1;
            }
        }

        return Levels.Count + 1;
    }

    /// <summary>A label for level <paramref name="level"/>.</summary>
    public string LevelLabel(int level) =>
        level == Null ? "null" : level <= Levels.Count ? Levels[level - 1].ToString() : "else";
}
