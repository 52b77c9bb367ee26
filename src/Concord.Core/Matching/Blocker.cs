using System.Collections.Concurrent;

namespace Concord.Core.Matching;

/// <summary>What one blocking rule contributed.</summary>
/// <param name="Rule">The rule's name.</param>
/// <param name="Pairs">Pairs the rule brings together on its own.</param>
/// <param name="NewPairs">Of those, pairs no earlier rule had brought together.</param>
/// <param name="SkippedBlocks">Blocks larger than the rule's limit, not expanded.</param>
public sealed record BlockingCount(string Rule, long Pairs, long NewPairs, int SkippedBlocks);

/// <summary>
/// Hash-based blocking: each rule indexes records by key, and only records sharing a key are
/// paired, so the work grows with block sizes, not with the square of the record count. Rules
/// are OR-ed; a pair found by an earlier rule is not emitted again (checked by comparing the
/// earlier rules' keys of the two records, so no set of all pairs is kept).
/// </summary>
public sealed class Blocker
{
    private const char Separator = '\u001f';
    private readonly PreparedRecords _records;
    private readonly bool _linkOnly;

    /// <summary>Keys: [rule][record] → the record's keys under that rule (null: none).</summary>
    private readonly string[]?[][] _keys;

    /// <summary>Index: [rule] → key → the records holding it, in record order.</summary>
    private readonly Dictionary<string, List<int>>[] _index;

    /// <summary>Indexes <paramref name="records"/> by every rule of their model.</summary>
    /// <param name="records">The prepared records.</param>
    /// <param name="linkOnly">Only pair records from different sources (linking, not deduplicating).</param>
    public Blocker(PreparedRecords records, bool linkOnly)
    {
        ArgumentNullException.ThrowIfNull(records);
        _records = records;
        _linkOnly = linkOnly;
        var rules = records.Model.Blocking;
        _keys = new string[]?[rules.Count][];
        _index = new Dictionary<string, List<int>>[rules.Count];
        for (var r = 0; r < rules.Count; r++)
        {
            var rule = rules[r];
            var slots = rule.Keys.Select(records.SlotOf).ToArray();
            var keys = new string[]?[records.Count];
            Parallel.For(0, records.Count, i => keys[i] = KeysOf(rule, slots, records.Values[i]));
            _keys[r] = keys;
            _index[r] = Index(keys);
        }
    }

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

    /// <summary>The candidate pairs of all rules, each once, with what each rule contributed.</summary>
    public (long[] Pairs, IReadOnlyList<BlockingCount> Counts) Candidates()
    {
        var all = new List<long>();
        var counts = new List<BlockingCount>();
        for (var r = 0; r < _keys.Length; r++)
        {
            var (pairs, total, skipped) = PairsOf(r, excludeEarlier: true);
            all.AddRange(pairs);
            counts.Add(new BlockingCount(_records.Model.Blocking[r].Name, total, pairs.Length, skipped));
        }

        var result = all.ToArray();
        Array.Sort(result);
        return (result, counts);
    }

    /// <summary>The pairs one rule brings together on its own (a training session's pairs).</summary>
    public long[] PairsOfRule(int rule) => PairsOf(rule, excludeEarlier: false).Pairs;

    private (long[] Pairs, long Total, int Skipped) PairsOf(int r, bool excludeEarlier)
    {
        var keys = _keys[r];
        var index = _index[r];

        var limit = _records.Model.Blocking[r].MaxBlockSize;
        var skipped = index.Count(b => limit > 0 && b.Value.Count > limit);
        var blocks = index.Where(b => b.Value.Count > 1 && (limit <= 0 || b.Value.Count <= limit)).ToArray();
        var found = new ConcurrentBag<long[]>();
        long total = 0;
        Parallel.ForEach(
            blocks,
            () => (Pairs: new List<long>(), Total: 0L),
            (block, _, local) =>
            {
                var members = block.Value;
                for (var x = 0; x < members.Count; x++)
                {
                    for (var y = x + 1; y < members.Count; y++)
                    {
                        var (i, j) = (members[x], members[y]);
                        if ((_linkOnly && _records.Sources[i] == _records.Sources[j]) || !FirstSharedKey(keys[i]!, keys[j]!, block.Key, limit, index))
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
                found.Add(local.Pairs.ToArray());
                Interlocked.Add(ref total, local.Total);
            });
        return (found.SelectMany(p => p).ToArray(), total, skipped);
    }

    /// <summary>A pair sharing several keys of one rule is emitted only from the first expanded block they share.</summary>
    private static bool FirstSharedKey(string[] a, string[] b, string key, int limit, Dictionary<string, List<int>> index)
    {
        if (a.Length == 1 && b.Length == 1)
        {
            return true;
        }

        foreach (var k in a)
        {
            if (Array.BinarySearch(b, k, StringComparer.Ordinal) >= 0 && (limit <= 0 || index[k].Count <= limit))
            {
                return string.Equals(k, key, StringComparison.Ordinal);
            }
        }

        return false;
    }

    private bool SharedByEarlierRule(int rule, int i, int j)
    {
        for (var q = 0; q < rule; q++)
        {
            var (a, b) = (_keys[q][i], _keys[q][j]);
            if (a is null || b is null)
            {
                continue;
            }

            var limit = _records.Model.Blocking[q].MaxBlockSize;
            foreach (var k in a)
            {
                if (Array.BinarySearch(b, k, StringComparer.Ordinal) >= 0 && (limit <= 0 || BlockSize(q, k) <= limit))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private int BlockSize(int rule, string key) => _index[rule].TryGetValue(key, out var block) ? block.Count : 0;

    private static Dictionary<string, List<int>> Index(string[]?[] keys)
    {
        var index = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var i = 0; i < keys.Length; i++)
        {
            foreach (var key in keys[i] ?? [])
            {
                if (!index.TryGetValue(key, out var block))
                {
                    index[key] = block = [];
                }

                block.Add(i);
            }
        }

        return index;
    }
}
