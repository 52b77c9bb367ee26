namespace Concord.Core.Matching;

/// <summary>
/// One blocking rule's index over a set of records: each record's keys (hashed, sorted) with the
/// size of each key's block, and all (key, record) entries sorted by key so that a block is one
/// run of the array. Blocks larger than the rule's <see cref="BlockingRule.RefineAbove"/> are
/// replaced by their refined blocks before the index is laid out.
/// </summary>
internal sealed class BlockIndex
{
    private readonly int[] _starts;
    private readonly long[] _keys;
    private readonly int[] _sizes;

    private BlockIndex(int[] starts, long[] keys, int[] sizes, long[] sortedKeys, int[] records, int refined)
    {
        _starts = starts;
        _keys = keys;
        _sizes = sizes;
        SortedKeys = sortedKeys;
        Records = records;
        Refined = refined;
    }

    /// <summary>Every entry's key, ascending; <see cref="Records"/> holds the entry's record (ascending within a key).</summary>
    public long[] SortedKeys { get; }

    /// <summary>The record of each entry of <see cref="SortedKeys"/>.</summary>
    public int[] Records { get; }

    /// <summary>Blocks split by the rule's refinement.</summary>
    public int Refined { get; }

    /// <summary>A record's keys, ascending.</summary>
    public ReadOnlySpan<long> KeysOf(int record) => _keys.AsSpan(_starts[record], _starts[record + 1] - _starts[record]);

    /// <summary>The block size of each of a record's keys, in the order of <see cref="KeysOf"/>.</summary>
    public ReadOnlySpan<int> SizesOf(int record) => _sizes.AsSpan(_starts[record], _starts[record + 1] - _starts[record]);

    /// <summary>The blocks as runs of the sorted entries.</summary>
    public IEnumerable<(int Start, int Length)> Blocks()
    {
        for (var s = 0; s < SortedKeys.Length;)
        {
            var e = s + 1;
            while (e < SortedKeys.Length && SortedKeys[e] == SortedKeys[s])
            {
                e++;
            }

            yield return (s, e - s);
            s = e;
        }
    }

    /// <summary>Indexes <paramref name="records"/> under <paramref name="rule"/>.</summary>
    public static BlockIndex Build(BlockingRule rule, PreparedRecords records)
    {
        var slots = rule.Keys.Select(records.SlotOf).ToArray();
        var n = records.Count;
        var perRecord = new long[n][];
        Parallel.For(
            0,
            n,
            () => (Keys: new List<long>(), Scratch: new List<long>()),
            (i, _, local) =>
            {
                local.Keys.Clear();
                Blocker.AddKeyHashes(rule, slots, records.Values[i], local.Keys, local.Scratch);
                perRecord[i] = local.Keys.Count == 0 ? [] : local.Keys.ToArray();
                return local;
            },
            _ => { });

        var refined = 0;
        if (rule.RefineAbove > 0 && rule.Refinement.Count > 0)
        {
            refined = Refine(rule, records, perRecord);
        }

        // Lay the keys out per record (sorted, distinct) and as entries sorted by key.
        var starts = new int[n + 1];
        for (var i = 0; i < n; i++)
        {
            var keys = perRecord[i];
            if (keys.Length > 1)
            {
                Array.Sort(keys);
                keys = perRecord[i] = keys.Distinct().ToArray();
            }

            starts[i + 1] = starts[i] + keys.Length;
        }

        var flat = new long[starts[n]];
        var sortedKeys = new long[starts[n]];
        var owners = new int[starts[n]];
        for (var i = 0; i < n; i++)
        {
            perRecord[i].CopyTo(flat, starts[i]);
            perRecord[i].CopyTo(sortedKeys, starts[i]);
            owners.AsSpan(starts[i], perRecord[i].Length).Fill(i);
        }

        Array.Sort(sortedKeys, owners);
        var sizes = new Dictionary<long, int>();
        var index = new BlockIndex(starts, flat, new int[flat.Length], sortedKeys, owners, refined);
        foreach (var (start, length) in index.Blocks())
        {
            Array.Sort(owners, start, length);
            sizes[sortedKeys[start]] = length;
        }

        for (var e = 0; e < flat.Length; e++)
        {
            index._sizes[e] = sizes[flat[e]];
        }

        return index;
    }

    /// <summary>Replaces each key whose block is above the rule's limit by that key combined with each of the record's refinement keys.</summary>
    private static int Refine(BlockingRule rule, PreparedRecords records, long[][] perRecord)
    {
        var counts = new Dictionary<long, int>();
        foreach (var keys in perRecord)
        {
            foreach (var key in keys)
            {
                counts[key] = counts.GetValueOrDefault(key) + 1;
            }
        }

        var slots = rule.Refinement.Select(records.SlotOf).ToArray();
        Parallel.For(
            0,
            perRecord.Length,
            () => (Keys: new List<long>(), Refinements: new List<long>()),
            (i, _, local) =>
            {
                var keys = perRecord[i];
                if (!keys.Any(k => rule.Refines(counts[k])))
                {
                    return local;
                }

                local.Keys.Clear();
                local.Refinements.Clear();
                Blocker.AddRefinementHashes(rule, slots, records.Values[i], local.Refinements);
                foreach (var key in keys)
                {
                    if (!rule.Refines(counts[key]))
                    {
                        local.Keys.Add(key);
                        continue;
                    }

                    foreach (var refinement in local.Refinements)
                    {
                        local.Keys.Add(BlockingHash.Combine(key, refinement));
                    }
                }

                perRecord[i] = local.Keys.ToArray();
                return local;
            },
            _ => { });
        return counts.Count(c => rule.Refines(c.Value));
    }
}
