using Concord.Core.Matching;

namespace Concord.Core.Tests.Matching;

/// <summary>The shortcuts scoring takes must give the answers of the full computations they stand in for.</summary>
public class FastPathTests
{
    private static readonly string[] Words =
    [
        "martha", "marhta", "dwayne", "duane", "dixon", "dicksonx", "jon", "john", "jonathan", "smith", "smyth",
        "12 high street", "12 high st", "21 high street", "jon@acme.example", "j.smith@gmail.com", "a", "", "19710604", "19710406",
        "19710605", "1971064", "0113 496 0000", "01134960000", "café", "cafe", "zzzz", "abcdefghijklmnopqrstuvwxyz0123456789",
    ];

    [Fact]
    public void UpperBound_IsNeverBelowJaroWinkler_AndAtLeastAgreesWithTheThreshold()
    {
        foreach (var a in Words)
        {
            foreach (var b in Words)
            {
                var similarity = JaroWinkler.Similarity(a, b);
                Assert.True(JaroWinkler.UpperBound(a, b) >= similarity, $"bound below similarity for '{a}' / '{b}'");
                foreach (var threshold in new[] { 0.5, 0.88, 0.92 })
                {
                    Assert.Equal(similarity >= threshold, JaroWinkler.AtLeast(a, b, threshold));
                }
            }
        }
    }

    [Fact]
    public void UpperBound_RulesOutValuesWithFewCharactersInCommon()
    {
        Assert.True(JaroWinkler.UpperBound("brarin", "tor") < 0.88);
        Assert.Equal(1, JaroWinkler.UpperBound("smith", "smith"));
    }

    [Fact]
    public void AtMostOne_AgreesWithTheDistanceTable()
    {
        foreach (var a in Words)
        {
            foreach (var b in Words)
            {
                Assert.Equal(EditDistance.Damerau(a, b) <= 1, EditDistance.AtMostOne(a, b));
            }
        }
    }
}
