namespace Concord.Core.Matching;

/// <summary>Edit distances for short values (codes, numbers, postcodes), where one slip of a key is the usual error.</summary>
public static class EditDistance
{
    /// <summary>
    /// Optimal-string-alignment distance: insertions, deletions, substitutions and transpositions
    /// of adjacent characters each cost one, since a swapped pair of digits is one typing slip.
    /// </summary>
    public static int Damerau(string a, string b)
    {
        if (string.Equals(a, b, StringComparison.Ordinal))
        {
            return 0;
        }

        if (a.Length == 0 || b.Length == 0)
        {
            return Math.Max(a.Length, b.Length);
        }

        var width = b.Length + 1;
        Span<int> rows = width <= 64 ? stackalloc int[3 * width] : new int[3 * width];
        var twoBack = 0;
        var previous = width;
        var current = 2 * width;
        for (var j = 0; j <= b.Length; j++)
        {
            rows[previous + j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            rows[current] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                var best = Math.Min(Math.Min(rows[previous + j] + 1, rows[current + j - 1] + 1), rows[previous + j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    best = Math.Min(best, rows[twoBack + j - 2] + 1);
                }

                rows[current + j] = best;
            }

            (twoBack, previous, current) = (previous, current, twoBack);
        }

        return rows[previous + b.Length];
    }

    /// <summary>
    /// Whether the optimal-string-alignment distance is at most one, in one pass: the test the
    /// typo levels make on most candidate pairs, without filling a distance table.
    /// </summary>
    public static bool AtMostOne(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Length < b.Length)
        {
            (a, b) = (b, a);
        }

        if (a.Length - b.Length > 1)
        {
            return false;
        }

        var i = 0;
        while (i < b.Length && a[i] == b[i])
        {
            i++;
        }

        if (i == b.Length)
        {
            return true;
        }

        if (a.Length != b.Length)
        {
            // One character inserted at i.
            return a.AsSpan(i + 1).SequenceEqual(b.AsSpan(i));
        }

        // One character changed at i, or i and i + 1 swapped.
        return a.AsSpan(i + 1).SequenceEqual(b.AsSpan(i + 1))
            || (i + 1 < a.Length && a[i] == b[i + 1] && a[i + 1] == b[i] && a.AsSpan(i + 2).SequenceEqual(b.AsSpan(i + 2)));
    }
}
