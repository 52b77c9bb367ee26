using Concord.Connectors;
using Concord.Core.Configuration;
using Concord.Core.Health;

namespace Concord.Core.Tests.Configuration;

/// <summary>The <c>health:</c> section: defaults, shares written as percentages or fractions, and problems reported with file, line and field.</summary>
public class HealthConfigTests
{
    private const string Base = """
        version: 1
        systems:
          crm: { kind: http, settings: { url: "http://127.0.0.1:9101/concord", webhook_secret: { env: CRM_SECRET } } }
        entities:
          customer: { owner: crm, identity: [email] }
        syncs:
          - { system: crm, type: customer, direction: two-way }

        """;

    private static readonly ConfigValidator Validator = new(new ConnectorCatalog());

    private static (HubConfig Config, IReadOnlyList<ConfigProblem> Problems) Check(string health)
    {
        var loaded = ConfigLoader.Load(Base + health);
        return (loaded.Config, loaded.Problems.Concat(loaded.HasErrors ? [] : Validator.Validate(loaded.Config)).ToList());
    }

    [Fact]
    public void WithoutTheSection_TheSeedGoalApplies_MeasuredEveryFiveMinutes()
    {
        var (config, problems) = Check("");

        Assert.Empty(problems);
        Assert.Equal(TimeSpan.FromMinutes(5), config.Health.Every);
        Assert.Equal(0.95, config.Health.Target);
        Assert.Equal(0.95, config.Health.TargetOf("customer"));
    }

    [Fact]
    public void TargetsRead_AsPercentagesOrFractions_PerTypeOverridingTheDefault()
    {
        var (config, problems) = Check("""
            health:
              every: 1m
              target: 0.9
              targets: { customer: 98.5% }
            """);

        Assert.Empty(problems);
        Assert.Equal(TimeSpan.FromMinutes(1), config.Health.Every);
        Assert.Equal(0.9, config.Health.Target);
        Assert.Equal(0.985, config.Health.TargetOf("customer"), 10);
        Assert.Equal(0.9, config.Health.TargetOf("invoice"));
    }

    [Theory]
    [InlineData("  target: 120%\n", "bad-health@9:11", "health.target must be a share")]
    [InlineData("  target: -0.5\n", "bad-health@9:11", "health.target must be a share")]
    [InlineData("  target: lots\n", "bad-health@9:11", "not 'lots'")]
    [InlineData("  every: 2s\n", "bad-health@9:10", "at least 10s")]
    [InlineData("  every: soon\n", "expected-duration@9:10", "health.every must be a duration")]
    [InlineData("  targets: { custmer: 90% }\n", "unknown-type@9:14", "did you mean 'customer'?")]
    [InlineData("  targets: { customer: 1.5 }\n", "bad-health@9:24", "health.targets.customer must be a share")]
    [InlineData("  trget: 90%\n", "unknown-key@9:3", "did you mean 'target'?")]
    public void BadValues_AreReportedWithFileLineAndField(string body, string expected, string text)
    {
        var (_, problems) = Check("health:\n" + body);

        var problem = Assert.Single(problems);
        Assert.Equal(expected, $"{problem.Code}@{problem.At.Line}:{problem.At.Column}");
        Assert.Equal("concord.yaml", problem.At.File);
        Assert.Contains(text, problem.Message + " " + problem.Hint, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("95%", 0.95)]
    [InlineData("99.5 %", 0.995)]
    [InlineData("0.95", 0.95)]
    [InlineData("1", 1.0)]
    [InlineData("0%", 0.0)]
    public void Shares_ParseInvariantly(string text, double expected)
    {
        Assert.True(HealthReader.TryParseShare(text, out var share));
        Assert.Equal(expected, share, 10);
    }
}
