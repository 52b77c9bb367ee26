namespace Concord.Core.Matching;

/// <summary>
/// Matches one arriving record at a time against a growing store, with a trained model: the
/// record's blocking keys are looked up in hash indexes (one per rule), only the records found
/// are compared, and the record is then added to the indexes. The cost per record depends on
/// how many records share its keys, not on the size of the store.
/// </summary>
public sealed class IncrementalMatcher
{
    private readonly MatchModel _model;
    private readonly FellegiSunterParameters _parameters;
    private readonly List<PreparedValue?[]> _rows = [];

    /// <summary>Per rule: key hash → the records holding it; refined keys (key combined with a refinement key) share the map.</summary>
    private readonly Dictionary<long, List<int>>[] _index;
    private readonly PreparedRecords _layout;
    private readonly int[][] _keySlots;
    private readonly int[][] _refinementSlots;
    private readonly List<long> _keys = [];
    private readonly List<long> _scratch = [];
    private readonly List<long> _refinements = [];
    private readonly TermFrequencies _frequencies;

    /// <summary>A matcher for <paramref name="model"/> scoring with <paramref name="parameters"/> (from a batch training run).</summary>
    public IncrementalMatcher(MatchModel model, FellegiSunterParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(model);
        _model = model;
        _parameters = parameters;
        _layout = new PreparedRecords(model, []);
        _index = model.Blocking.Select(_ => new Dictionary<long, List<int>>()).ToArray();
        _keySlots = model.Blocking.Select(b => b.Keys.Select(_layout.SlotOf).ToArray()).ToArray();
        _refinementSlots = model.Blocking.Select(b => b.Refinement.Select(_layout.SlotOf).ToArray()).ToArray();
        _frequencies = new TermFrequencies(_layout);
    }

    /// <summary>Records in the store.</summary>
    public int Count => _rows.Count;

    /// <summary>
    /// Scores <paramref name="record"/> against the store's candidates, then adds it; returns candidates by descending match weight.
    /// A block that would grow past its rule's <see cref="BlockingRule.RefineAbove"/> is searched by its refined keys only, as in a batch run.
    /// </summary>
    public IReadOnlyList<(int Index, double MatchWeight)> MatchAndAdd(MatchRecord record) => Insert(record, score: true);

    /// <summary>Adds <paramref name="record"/> without scoring it: loading records that were matched when they arrived.</summary>
    public void Add(MatchRecord record) => Insert(record, score: false);

    private List<(int Index, double MatchWeight)> Insert(MatchRecord record, bool score)
    {
        var row = _layout.Prepare(record);
        var index = _rows.Count;
        var seen = new HashSet<int>();
        var result = new List<(int, double)>();
        var entries = new long[_index.Length][];
        for (var r = 0; r < _index.Length; r++)
        {
            var rule = _model.Blocking[r];
            _keys.Clear();
            Blocker.AddKeyHashes(rule, _keySlots[r], row, _keys, _scratch);
            _refinements.Clear();
            if (_keys.Count > 0 && rule.Refinement.Count > 0)
            {
                Blocker.AddRefinementHashes(rule, _refinementSlots[r], row, _refinements);
            }

            foreach (var key in score ? _keys : [])
            {
                var block = _index[r].GetValueOrDefault(key);
                if (block is not null && rule.Refines(block.Count + 1))
                {
                    foreach (var refinement in _refinements)
                    {
                        Compare(row, rule, _index[r].GetValueOrDefault(BlockingHash.Combine(key, refinement)), seen, result);
                    }
                }
                else
                {
                    Compare(row, rule, block, seen, result);
                }
            }

            entries[r] = [.. _keys, .. _keys.SelectMany(key => _refinements.Select(refinement => BlockingHash.Combine(key, refinement)))];
        }

        _rows.Add(row);
        _frequencies.Add(row);
        for (var r = 0; r < _index.Length; r++)
        {
            foreach (var key in entries[r])
            {
                Add(_index[r], key, index);
            }
        }

        result.Sort((a, b) => b.Item2.CompareTo(a.Item2));
        return result;
    }

    private void Compare(PreparedValue?[] row, BlockingRule rule, List<int>? block, HashSet<int> seen, List<(int, double)> result)
    {
        if (block is null || !rule.Expands(block.Count + 1))
        {
            return;
        }

        foreach (var other in block)
        {
            if (seen.Add(other))
            {
                result.Add((other, Weight(row, _layout.Compare(row, _rows[other]))));
            }
        }
    }

    /// <summary>The pair's match weight, with the term-frequency adjustment of the store so far and the arriving record.</summary>
    private double Weight(PreparedValue?[] row, long vector)
    {
        var weight = _parameters.MatchWeight(vector);
        if (_frequencies.Any)
        {
            for (var k = 0; k < _model.Comparisons.Count; k++)
            {
                if (_model.Comparisons[k].TermFrequency && ComparisonVector.Level(vector, k) == Comparison.ExactLevel)
                {
                    weight += _frequencies.Adjustment(k, row, extra: 1);
                }
            }
        }

        return weight;
    }

    private static void Add(Dictionary<long, List<int>> index, long key, int record)
    {
        if (!index.TryGetValue(key, out var block))
        {
            index[key] = block = [];
        }

        if (block.Count == 0 || block[^1] != record)
        {
            block.Add(record);
        }
    }
}
