using System.Collections.Concurrent;

namespace Concord.Core.Matching;

/// <summary>What one blocking rule contributed.</summary>
/// <param name="Rule">The rule's name.</param>
/// <param name="Pairs">Pairs the rule brings together on its own.</param>
/// <param name="NewPairs">Of those, pairs no earlier rule had brought together.</param>
/// <param name="SkippedBlocks">Blocks larger than the rule's limit, not expanded.</param>
public sealed record BlockingCount(string Rule, long Pairs, long NewPairs, int SkippedBlocks)
{
    /// <summary>Blocks larger than the rule's <see cref="BlockingRule.RefineAbove"/>, split by its refinement.</summary>
    public int RefinedBlocks { get; init; }
}

/// <summary>
/// Hash-based blocking: each rule indexes records by key, and only records sharing a key are
/// paired, so the work grows with block sizes, not with the square of the record count. Rules
/// are OR-ed; a pair found by an earlier rule is not emitted again (checked by comparing the
/// earlier rules' keys of the two records, so no set of all pairs is kept). Keys are held as
/// 64-bit hashes (<see cref="BlockingHash"/>) and each rule's index is one sorted array.
/// </summary>
public sealed class Blocker
{
    private const char Separator = '\u001f';
    private readonly PreparedRecords _records;
    private readonly bool _linkOnly;
    private readonly BlockIndex[] _index;

    /// <summary>Indexes <paramref name="records"/> by every rule of their model.</summary>
    /// <param name="records">The prepared records.</param>
    /// <param name="linkOnly">Only pair records from different sources (linking, not deduplicating).</param>
    public Blocker(PreparedRecords records, bool linkOnly)
    {
        ArgumentNullException.ThrowIfNull(records);
        _records = records;
        _linkOnly = linkOnly;
        _index = records.Model.Blocking.Select(rule => BlockIndex.Build(rule, records)).ToArray();
    }

    /// <summary>Blocks each rule split by its refinement.</summary>
    public IReadOnlyList<int> RefinedBlocks => _index.Select(i => i.Refined).ToArray();

    /// <summary>The keys of one record under a rule: the product of its key parts' keys; null when a part is missing.</summary>
    public static string[]? KeysOf(BlockingRule rule, int[] slots, PreparedValue?[] values)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(slots);
        ArgumentNullException.ThrowIfNull(values);
        IEnumerable<string> combined = [string.Empty];
        for (var p = 0; p < rule.Keys.Count; p++)
        {
            var part = rule.Keys[p].Keys(values[slots[p]]).ToArray();
            if (part.Length == 0)
            {
                return null;
            }

            var prefix = p == 0 ? string.Empty : Separator.ToString();
            combined = combined.SelectMany(c => part.Select(k => c + prefix + k)).ToArray();
        }

        var result = combined.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        return result.Length > 0 ? result : null;
    }

    /// <summary>
    /// The hashed keys of one record under a rule's key parts (the product of the parts' keys), added
    /// to <paramref name="into"/>; nothing when a part is missing.
    /// </summary>
    internal static void AddKeyHashes(BlockingRule rule, int[] slots, PreparedValue?[] values, List<long> into, List<long> scratch)
    {
        var start = into.Count;
        into.Add(BlockingHash.Seed);
        for (var p = 0; p < rule.Keys.Count; p++)
        {
            scratch.Clear();
            rule.Keys[p].AddHashes(values[slots[p]], scratch);
            if (scratch.Count == 0)
            {
                into.RemoveRange(start, into.Count - start);
                return;
            }

            var end = into.Count;
            for (var c = start; c < end; c++)
            {
                for (var k = 0; k < scratch.Count; k++)
                {
                    into.Add(BlockingHash.Combine(into[c], scratch[k]));
                }
            }

            into.RemoveRange(start, end - start);
        }
    }

    /// <summary>The hashed keys of a rule's refinement parts, pooled, added to <paramref name="into"/>.</summary>
    internal static void AddRefinementHashes(BlockingRule rule, int[] slots, PreparedValue?[] values, List<long> into)
    {
        for (var p = 0; p < rule.Refinement.Count; p++)
        {
            rule.Refinement[p].AddHashes(values[slots[p]], into);
        }
    }

    /// <summary>The candidate pairs of all rules, each once, with what each rule contributed.</summary>
    public (long[] Pairs, IReadOnlyList<BlockingCount> Counts) Candidates()
    {
        var all = new List<long[]>();
        var counts = new List<BlockingCount>();
        for (var r = 0; r < _index.Length; r++)
        {
            var (pairs, total, skipped) = PairsOf(r, excludeEarlier: true);
            all.Add(pairs);
            counts.Add(new BlockingCount(_records.Model.Blocking[r].Name, total, pairs.Length, skipped) { RefinedBlocks = _index[r].Refined });
        }

        var result = new long[all.Sum(a => (long)a.Length)];
        var at = 0;
        foreach (var pairs in all)
        {
            pairs.CopyTo(result, at);
            at += pairs.Length;
        }

        Array.Sort(result);
        return (result, counts);
    }

    /// <summary>The pairs one rule brings together on its own (a training session's pairs).</summary>
    public long[] PairsOfRule(int rule) => PairsOf(rule, excludeEarlier: false).Pairs;

    private (long[] Pairs, long Total, int Skipped) PairsOf(int r, bool excludeEarlier)
    {
        var index = _index[r];
        var rule = _records.Model.Blocking[r];
        var blocks = new List<(int Start, int Length)>();
        var skipped = 0;
        foreach (var block in index.Blocks())
        {
            if (rule.Expands(block.Length))
            {
                blocks.Add(block);
            }
            else if (block.Length > 1)
            {
                skipped++;
            }
        }

        var found = new ConcurrentBag<List<long>>();
        long total = 0;
        Parallel.ForEach(
            Partitioner.Create(blocks, loadBalance: true),
            () => (Pairs: new List<long>(), Total: 0L),
            (block, _, local) =>
            {
                var members = index.Records.AsSpan(block.Start, block.Length);
                var key = index.SortedKeys[block.Start];
                for (var x = 0; x < members.Length; x++)
                {
                    for (var y = x + 1; y < members.Length; y++)
                    {
                        var (i, j) = (members[x], members[y]);
                        if ((_linkOnly && _records.Sources[i] == _records.Sources[j]) || !FirstSharedKey(index, rule, i, j, key))
                        {
                            continue;
                        }

                        local.Total++;
                        if (!excludeEarlier || !SharedByEarlierRule(r, i, j))
                        {
                            local.Pairs.Add(ComparisonVector.Pair(i, j));
                        }
                    }
                }

                return local;
            },
            local =>
            {
                found.Add(local.Pairs);
                Interlocked.Add(ref total, local.Total);
            });
        var result = new long[found.Sum(f => (long)f.Count)];
        var at = 0;
        foreach (var part in found)
        {
            part.CopyTo(result, at);
            at += part.Count;
        }

        return (result, total, skipped);
    }

    /// <summary>A pair sharing several keys of one rule is emitted only from the first expanded block they share.</summary>
    private static bool FirstSharedKey(BlockIndex index, BlockingRule rule, int i, int j, long key)
    {
        if (index.KeysOf(i).Length == 1 && index.KeysOf(j).Length == 1)
        {
            return true;
        }

        return FirstShared(index, rule, i, j) == key;
    }

    private bool SharedByEarlierRule(int rule, int i, int j)
    {
        for (var q = 0; q < rule; q++)
        {
            if (FirstShared(_index[q], _records.Model.Blocking[q], i, j) is not null)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The first key (in hash order) two records share under a rule whose block is expanded; null when none.</summary>
    private static long? FirstShared(BlockIndex index, BlockingRule rule, int i, int j)
    {
        var a = index.KeysOf(i);
        var b = index.KeysOf(j);
        var sizes = index.SizesOf(i);
        int x = 0, y = 0;
        while (x < a.Length && y < b.Length)
        {
            if (a[x] < b[y])
            {
                x++;
            }
            else if (a[x] > b[y])
            {
                y++;
            }
            else
            {
                if (rule.Expands(sizes[x]))
                {
                    return a[x];
                }

                x++;
                y++;
            }
        }

        return null;
    }
}
