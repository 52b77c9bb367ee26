using Concord.Core.Matching;

namespace Concord.Bench.Match;

/// <summary>Splink's fake_1000 people (name, date of birth, city, e-mail), deduplicated with the customer model; the truth is <c>cluster</c>.</summary>
internal static class FakePeopleBenchmark
{
    public static string Run(string datasets)
    {
        var rows = Csv.Read(Path.Combine(datasets, "splink_fake_1000", "fake_1000.csv"));
        var records = rows.Select(r => new MatchRecord(
            r["unique_id"],
            new Dictionary<string, string?>(StringComparer.Ordinal)
            {
                ["first_name"] = r["first_name"],
                ["last_name"] = r["surname"],
                ["dob"] = r["dob"],
                ["city"] = r["city"],
                ["email"] = r["email"],
            })).ToList();
        return Evaluation.Run(new LabelledData("fake_1000", MatchModels.Customer, records, rows.Select(r => r["cluster"]).ToList(), LinkOnly: false));
    }
}
