using Concord.Core.Matching;
using Concord.Testing;

namespace Concord.Core.Tests.Matching;

/// <summary>The default customer model, trained without labels, on FEBRL's first dataset (1,000 people, 500 duplicates).</summary>
public class FebrlMatchTests
{
    [Fact]
    public void CustomerModel_FindsFebrl1Duplicates_WithF1AboveNinetyEightPercent()
    {
        var lines = File.ReadAllLines(RepoPaths.Dataset("febrl/dataset1.csv")).Skip(1).Select(l => l.Split(',').Select(c => c.Trim()).ToArray()).ToList();
        var records = lines.Select(c => new MatchRecord(c[0], new Dictionary<string, string?>
        {
            ["first_name"] = c[1], ["last_name"] = c[2], ["address"] = $"{c[3]} {c[4]}", ["address2"] = c[5],
            ["city"] = c[6], ["postcode"] = c[7], ["state"] = c[8], ["dob"] = c[9], ["national_id"] = c[10],
        })).ToList();
        var truth = lines.Select(c => c[0].Split('-')[1]).ToArray();

        var run = Matcher.Run(MatchModels.Customer, records, new MatchOptions(MaxRandomPairs: 100_000));
        var merged = run.Above(MatchModels.Customer.Thresholds.Merge).Select(p => (p.I, p.J)).ToList();
        var (accuracy, truePairs, _) = MatchMetrics.Pairwise(truth, run.Records.Sources, merged, linkOnly: false);

        Assert.Equal(500, truePairs);
        Assert.True(accuracy.F1 >= 0.98, $"F1 {accuracy.F1:0.000} (precision {accuracy.Precision:0.000}, recall {accuracy.Recall:0.000})");
        Assert.All(run.Blocking, b => Assert.True(b.NewPairs <= b.Pairs));
    }
}
