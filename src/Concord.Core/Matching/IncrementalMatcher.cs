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
    private readonly Dictionary<string, List<int>>[] _index;
    private readonly PreparedRecords _layout;
    private readonly int[][] _keySlots;

    /// <summary>A matcher for <paramref name="model"/> scoring with <paramref name="parameters"/> (from a batch training run).</summary>
    public IncrementalMatcher(MatchModel model, FellegiSunterParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(model);
        _model = model;
        _parameters = parameters;
        _layout = new PreparedRecords(model, []);
        _index = model.Blocking.Select(_ => new Dictionary<string, List<int>>(StringComparer.Ordinal)).ToArray();
        _keySlots = model.Blocking.Select(b => b.Keys.Select(_layout.SlotOf).ToArray()).ToArray();
    }

    /// <summary>Records in the store.</summary>
    public int Count => _rows.Count;

    /// <summary>Adds <paramref name="record"/> to the store without scoring it (loading records already matched).</summary>
    public void Add(MatchRecord record)
    {
        var row = _layout.Prepare(record);
        var index = _rows.Count;
        _rows.Add(row);
        for (var r = 0; r < _index.Length; r++)
        {
            foreach (var key in Blocker.KeysOf(_model.Blocking[r], _keySlots[r], row) ?? [])
            {
                if (!_index[r].TryGetValue(key, out var block))
                {
                    _index[r][key] = block = [];
                }

                block.Add(index);
            }
        }
    }

    /// <summary>Scores <paramref name="record"/> against the store's candidates, then adds it; returns candidates by descending match weight.</summary>
    public IReadOnlyList<(int Index, double MatchWeight)> MatchAndAdd(MatchRecord record)
    {
        var row = _layout.Prepare(record);
        var keys = new string[]?[_index.Length];
        var seen = new HashSet<int>();
        var result = new List<(int, double)>();
        for (var r = 0; r < _index.Length; r++)
        {
            var rule = _model.Blocking[r];
            keys[r] = Blocker.KeysOf(rule, _keySlots[r], row);
            foreach (var key in keys[r] ?? [])
            {
                if (_index[r].TryGetValue(key, out var block) && (rule.MaxBlockSize <= 0 || block.Count < rule.MaxBlockSize))
                {
                    foreach (var other in block)
                    {
                        if (seen.Add(other))
                        {
                            result.Add((other, _parameters.MatchWeight(_layout.Compare(row, _rows[other]))));
                        }
                    }
                }
            }
        }

        var index = _rows.Count;
        _rows.Add(row);
        for (var r = 0; r < _index.Length; r++)
        {
            foreach (var key in keys[r] ?? [])
            {
                if (!_index[r].TryGetValue(key, out var block))
                {
                    _index[r][key] = block = [];
                }

                block.Add(index);
            }
        }

        result.Sort((a, b) => b.Item2.CompareTo(a.Item2));
        return result;
    }
}
