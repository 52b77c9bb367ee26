using Concord.Core.Configuration;

namespace Concord.Core.Tests.Configuration;

public sealed class SignalSettingsTests
{
    private static string Located(ConfigProblem p) => $"{p.At.File}:{p.At.Line}:{p.At.Column} {p.Code}";

    [Fact]
    public void Defaults_KeepHalfAYearOfTrafficAndLearnFromFourWeeksAndTwentyPayloads()
    {
        var hub = ConfigLoader.Load("version: 1").Config.Hub;

        Assert.Equal((TimeSpan.FromDays(180), 4, 20), (hub.TrafficRetention, hub.BaselineWeeks, hub.SchemaMinSamples));
    }

    [Fact]
    public void TheSettings_AreRead()
    {
        var result = ConfigLoader.Load("""
            version: 1
            hub:
              traffic_retention: 400d
              baseline_weeks: 8
              schema_min_samples: 50
            """);

        Assert.Empty(result.Problems);
        Assert.Equal((TimeSpan.FromDays(400), 8, 50), (result.Config.Hub.TrafficRetention, result.Config.Hub.BaselineWeeks, result.Config.Hub.SchemaMinSamples));
    }

    [Fact]
    public void BadValues_AreReportedWithFileLineAndField()
    {
        var result = ConfigLoader.Load("""
            version: 1
            hub:
              traffic_retention: half a year
              baseline_weeks: 1
              schema_min_samples: lots
            """, "ops.yaml");

        Assert.Equal(["ops.yaml:3:22 expected-duration", "ops.yaml:4:19 expected-integer", "ops.yaml:5:23 expected-integer"], result.Problems.Select(Located));
        Assert.Contains("hub.traffic_retention", result.Problems[0].Message, StringComparison.Ordinal);
        Assert.Contains("hub.baseline_weeks must be a whole number from 2 to 52", result.Problems[1].Message, StringComparison.Ordinal);
        Assert.Contains("hub.schema_min_samples", result.Problems[2].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ATrafficRetentionShorterThanTheBaselineReads_IsAnError()
    {
        var tooShort = ConfigLoader.Load("""
            version: 1
            hub:
              traffic_retention: 14d
            """, "ops.yaml");
        var moreWeeks = ConfigLoader.Load("""
            version: 1
            hub:
              baseline_weeks: 30
            """, "ops.yaml");

        var problem = Assert.Single(tooShort.Problems);
        Assert.Equal("ops.yaml:3:22 retention-too-short", Located(problem));
        Assert.Contains("keep at least 35d", problem.Hint, StringComparison.Ordinal);
        Assert.Equal("ops.yaml:3:19 retention-too-short", Located(Assert.Single(moreWeeks.Problems)));
    }
}
