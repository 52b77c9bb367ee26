namespace Concord.Bench.Match;

/// <summary>The datasets the benchmark knows, each run by its own file, in the order they print.</summary>
internal static class Datasets
{
    /// <summary>Name → a run over the datasets folder that returns the dataset's one summary line.</summary>
    public static IReadOnlyDictionary<string, Func<string, string>> All { get; } = new Dictionary<string, Func<string, string>>(StringComparer.Ordinal)
    {
        ["febrl1"] = dir => FebrlBenchmark.Dedupe(dir, "febrl1", "dataset1.csv"),
        ["febrl2"] = dir => FebrlBenchmark.Dedupe(dir, "febrl2", "dataset2.csv"),
        ["febrl3"] = dir => FebrlBenchmark.Dedupe(dir, "febrl3", "dataset3.csv"),
        ["febrl4"] = FebrlBenchmark.Link,
        ["restaurants"] = RestaurantBenchmark.Run,
        ["fake_1000"] = FakePeopleBenchmark.Run,
        ["transactions"] = TransactionsBenchmark.Run,
    };

    /// <summary>Runs that print only when named, because they take minutes: synthetic customers at scale.</summary>
    public static IReadOnlyDictionary<string, Func<string, string>> OnRequest { get; } = new Dictionary<string, Func<string, string>>(StringComparer.Ordinal)
    {
        ["scale_100k"] = _ => ScaleBenchmark.Run(100_000),
        ["scale_1m"] = _ => ScaleBenchmark.Run(1_000_000),
    };
}
