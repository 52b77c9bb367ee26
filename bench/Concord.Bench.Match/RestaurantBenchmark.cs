using Concord.Core.Matching;

namespace Concord.Bench.Match;

/// <summary>
/// The Fodor's/Zagat restaurants from dedupe's benchmarks, deduplicated as one list of
/// businesses (name, address, city) with the company model; the truth is <c>unique_id</c>.
/// </summary>
internal static class RestaurantBenchmark
{
    public static string Run(string datasets)
    {
        var rows = Csv.Read(Path.Combine(datasets, "dedupe_restaurant", "restaurant-nophone-training.csv"));
        var records = rows.Select((r, i) => new MatchRecord(
            i.ToString(System.Globalization.CultureInfo.InvariantCulture),
            new Dictionary<string, string?>(StringComparer.Ordinal) { ["name"] = r["name"], ["address"] = r["address"], ["city"] = r["city"] })).ToList();
        return Evaluation.Run(new LabelledData("restaurants", MatchModels.Company, records, rows.Select(r => r["unique_id"]).ToList(), LinkOnly: false));
    }
}
