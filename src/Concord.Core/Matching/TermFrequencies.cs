namespace Concord.Core.Matching;

/// <summary>
/// Term-frequency adjustment of exact agreement (as Splink's): two records agreeing on a rare
/// value ("wollensky") are stronger evidence than two agreeing on a common one ("smith", or the
/// address of a hotel with five restaurants), because strangers share a common value far more
/// often. For a comparison marked <see cref="Comparison.TermFrequency"/>, a pair at its exact
/// level gains log2(E / tf(v)) bits, where tf(v) is the share of records holding the value and
/// E is the mean tf over all pairs that agree exactly (weighted by how many such pairs each
/// value makes). E is the scale the learned u of the exact level already describes, so a value
/// as common as the average agreement keeps the learned weight; rarer values gain, commoner lose.
/// </summary>
public sealed class TermFrequencies
{
    private readonly int[] _comparisons;
    private readonly int[] _slots;
    private readonly Dictionary<string, long>[] _counts;
    private readonly double[] _pairs;
    private readonly double[] _pairsTimesCount;
    private long _records;

    /// <summary>Empty counts for the comparisons of <paramref name="records"/>'s model that take the adjustment.</summary>
    public TermFrequencies(PreparedRecords records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var comparisons = records.Model.Comparisons;
        _comparisons = Enumerable.Range(0, comparisons.Count).Where(k => comparisons[k].TermFrequency).ToArray();
        _slots = _comparisons.Select(k => records.ComparisonSlots[k]).ToArray();
        _counts = _comparisons.Select(_ => new Dictionary<string, long>(StringComparer.Ordinal)).ToArray();
        _pairs = new double[_comparisons.Length];
        _pairsTimesCount = new double[_comparisons.Length];
    }

    /// <summary>Whether any comparison takes the adjustment.</summary>
    public bool Any => _comparisons.Length > 0;

    /// <summary>The counts over every record of <paramref name="records"/>.</summary>
    public static TermFrequencies Count(PreparedRecords records)
    {
        var frequencies = new TermFrequencies(records);
        foreach (var row in records.Values)
        {
            frequencies.Add(row);
        }

        return frequencies;
    }

    /// <summary>Counts one record's values.</summary>
    public void Add(PreparedValue?[] row)
    {
        ArgumentNullException.ThrowIfNull(row);
        _records++;
        for (var t = 0; t < _comparisons.Length; t++)
        {
            if (row[_slots[t]] is not { } value)
            {
                continue;
            }

            // A value held c times makes c(c-1) ordered agreeing pairs; keep Σ c(c-1) and Σ c(c-1)·c as c grows.
            var c = _counts[t].GetValueOrDefault(value.Text);
            _counts[t][value.Text] = c + 1;
            _pairs[t] += 2.0 * c;
            _pairsTimesCount[t] += c * ((3.0 * c) + 1);
        }
    }

    /// <summary>
    /// The adjustment in bits for a pair agreeing exactly on <paramref name="row"/>'s value of
    /// comparison <paramref name="comparison"/>; 0 when the comparison takes none or the value is missing.
    /// <paramref name="extra"/> counts a record not yet added (an arriving record matched against the store).
    /// </summary>
    public double Adjustment(int comparison, PreparedValue?[] row, int extra = 0)
    {
        ArgumentNullException.ThrowIfNull(row);
        var t = Array.IndexOf(_comparisons, comparison);
        if (t < 0 || row[_slots[t]] is not { } value || _pairs[t] <= 0)
        {
            return 0;
        }

        // tf = c / n and E = Σ c(c-1)·c / (n · Σ c(c-1)): the ratio E / tf does not need n.
        var count = _counts[t].GetValueOrDefault(value.Text) + extra;
        var mean = _pairsTimesCount[t] / _pairs[t];
        return count > 0 ? Math.Log2(mean / count) : 0;
    }

    /// <summary>Per comparison, the adjustment of each record's value (null rows for comparisons without one).</summary>
    public float[]?[] PerRecord(PreparedRecords records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var result = new float[]?[records.Model.Comparisons.Count];
        foreach (var k in _comparisons)
        {
            var adjustments = new float[records.Count];
            for (var i = 0; i < records.Count; i++)
            {
                adjustments[i] = (float)Adjustment(k, records.Values[i]);
            }

            result[k] = adjustments;
        }

        return result;
    }
}
