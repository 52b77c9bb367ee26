using Concord.Core.Matching;

namespace Concord.Bench.Match;

/// <summary>
/// FEBRL synthetic people (Christen 2008): ds1–ds3 deduplicated, ds4a linked to ds4b. The
/// truth is the number in <c>rec-N-org</c> / <c>rec-N-dup-k</c>. Columns map onto the
/// customer model; street number and street make the address line, as they would in a real system.
/// </summary>
internal static class FebrlBenchmark
{
    public static string Dedupe(string datasets, string name, string file)
    {
        var rows = Csv.Read(Path.Combine(datasets, "febrl", file));
        return Evaluation.Run(new LabelledData(name, MatchModels.Customer, rows.Select(r => Record(r, 0)).ToList(), rows.Select(Truth).ToList(), LinkOnly: false));
    }

    public static string Link(string datasets)
    {
        var a = Csv.Read(Path.Combine(datasets, "febrl", "dataset4a.csv"));
        var b = Csv.Read(Path.Combine(datasets, "febrl", "dataset4b.csv"));
        var records = a.Select(r => Record(r, 0)).Concat(b.Select(r => Record(r, 1))).ToList();
        return Evaluation.Run(new LabelledData("febrl4", MatchModels.Customer, records, a.Concat(b).Select(Truth).ToList(), LinkOnly: true));
    }

    private static string Truth(Dictionary<string, string> row) => row["rec_id"].Split('-')[1];

    private static MatchRecord Record(Dictionary<string, string> row, int source) => new(
        row["rec_id"],
        new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["first_name"] = row["given_name"],
            ["last_name"] = row["surname"],
            ["address"] = $"{row["street_number"]} {row["address_1"]}".Trim(),
            ["address2"] = row["address_2"],
            ["city"] = row["suburb"],
            ["postcode"] = row["postcode"],
            ["state"] = row["state"],
            ["dob"] = row["date_of_birth"],
            ["national_id"] = row["soc_sec_id"],
        },
        source);
}
