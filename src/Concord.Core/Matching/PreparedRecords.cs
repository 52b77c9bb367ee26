namespace Concord.Core.Matching;

/// <summary>
/// Records with every value a model needs prepared once: one slot per distinct (field,
/// preparation) used by its comparisons and blocking keys.
/// </summary>
public sealed class PreparedRecords
{
    private readonly Dictionary<(string Field, Preparation Preparation), int> _slots = [];

    /// <summary>Prepares <paramref name="records"/> for <paramref name="model"/>.</summary>
    public PreparedRecords(MatchModel model, IReadOnlyList<MatchRecord> records)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(records);
        model.Validate();
        Model = model;
        foreach (var (field, prep) in model.Comparisons.Select(c => (c.Field, c.Preparation))
                     .Concat(model.Comparisons.Where(c => c.SwapField is not null).Select(c => (c.SwapField!, c.Preparation)))
                     .Concat(model.Blocking.SelectMany(b => b.Keys.Concat(b.Refinement)).Select(k => (k.Field, k.Preparation))))
        {
            _slots.TryAdd((field, prep), _slots.Count);
        }

        ComparisonSlots = model.Comparisons.Select(c => _slots[(c.Field, c.Preparation)]).ToArray();
        SwapSlots = model.Comparisons.Select(c => c.SwapField is null ? -1 : _slots[(c.SwapField, c.Preparation)]).ToArray();
        Records = records;
        Sources = records.Select(r => r.Source).ToArray();
        Values = new PreparedValue?[records.Count][];
        Parallel.For(0, records.Count, i => Values[i] = Prepare(records[i]));
    }

    /// <summary>One record's prepared values, laid out by slot.</summary>
    public PreparedValue?[] Prepare(MatchRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var row = new PreparedValue?[_slots.Count];
        foreach (var ((field, prep), slot) in _slots)
        {
            row[slot] = PreparedValue.Prepare(prep, record.Fields.GetValueOrDefault(field));
        }

        return row;
    }

    /// <summary>The model.</summary>
    public MatchModel Model { get; }

    /// <summary>The raw records.</summary>
    public IReadOnlyList<MatchRecord> Records { get; }

    /// <summary>Source of each record.</summary>
    public int[] Sources { get; }

    /// <summary>Prepared values: [record][slot].</summary>
    public PreparedValue?[][] Values { get; }

    /// <summary>The slot of each comparison, in model order.</summary>
    public int[] ComparisonSlots { get; }

    /// <summary>The slot of each comparison's swap field, or -1.</summary>
    public int[] SwapSlots { get; }

    /// <summary>Number of records.</summary>
    public int Count => Values.Length;

    /// <summary>The slot of a blocking key.</summary>
    public int SlotOf(BlockingKey key) => _slots[(key.Field, key.Preparation)];

    /// <summary>The comparison vector of a pair (<see cref="ComparisonVector"/>).</summary>
    public long Compare(int a, int b) => Compare(Values[a], Values[b]);

    /// <summary>The comparison vector of two prepared rows.</summary>
    public long Compare(PreparedValue?[] left, PreparedValue?[] right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        long vector = 0;
        var comparisons = Model.Comparisons;
        for (var k = 0; k < comparisons.Count; k++)
        {
            var slot = ComparisonSlots[k];
            var swap = SwapSlots[k];
            var level = swap < 0
                ? comparisons[k].Level(left[slot], right[slot])
                : comparisons[k].Level(left[slot], right[slot], left[swap], right[swap]);
            vector = ComparisonVector.With(vector, k, level);
        }

        return vector;
    }
}
