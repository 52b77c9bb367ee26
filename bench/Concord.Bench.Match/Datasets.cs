namespace Concord.Bench.Match;

/// <summary>The datasets the benchmark knows, each run by its own file, in the order they print.</summary>
internal static class Datasets
{
    /// <summary>Name → a run over the datasets folder that returns the dataset's one summary line.</summary>
    public static IReadOnlyDictionary<string, Func<string, string>> All { get; } = new Dictionary<string, Func<string, string>>(StringComparer.Ordinal)
    {
        ["transactions"] = TransactionsBenchmark.Run,
    };
}
