using Concord.Connectors;
using Concord.Core.Configuration;

namespace Concord.Core.Tests.Configuration;

/// <summary>The <c>verify:</c> section: read as written, defaults, and every bad value reported with its position.</summary>
public class VerifyConfigTests
{
    private const string Base = """
        version: 1
        systems:
          crm: { kind: http, settings: { url: "http://127.0.0.1:9101/concord", webhook_secret: { env: CRM_SECRET } } }
          stripe: { kind: stripe, settings: { api_key: { env: STRIPE_KEY } } }
          books: { kind: http, settings: { url: "http://127.0.0.1:9102/concord" } }
        entities:
          customer: { owner: crm, identity: [email] }
        syncs:
          - { system: crm, type: customer, direction: pull }
          - { system: stripe, type: customer, direction: push }
          - { system: books, type: customer, direction: push }

        """;

    private static readonly ConfigValidator Validator = new(new ConnectorCatalog());

    private static string Located(ConfigProblem p) => $"{p.Code}@{p.At.Line}:{p.At.Column}";

    private static (ConfigLoadResult Loaded, IReadOnlyList<ConfigProblem> Problems) Check(string verify)
    {
        var loaded = ConfigLoader.Load(Base + verify);
        return (loaded, loaded.HasErrors ? loaded.Problems : loaded.Problems.Concat(Validator.Validate(loaded.Config)).ToList());
    }

    [Fact]
    public void WithoutTheSection_NothingIsScheduled()
    {
        var (loaded, problems) = Check("");
        Assert.Empty(problems);
        Assert.False(loaded.Config.Verify.ScheduledFor("stripe"));
        Assert.Equal(TimeSpan.FromHours(6), loaded.Config.Verify.EveryFor("stripe"));
    }

    [Fact]
    public void TheSection_IsReadAsWritten_WithPerSystemOverrides()
    {
        var (loaded, problems) = Check("""
            verify:
              every: 6h
              page_size: 50
              repair: true
              systems:
                stripe: { every: 24h, page_size: 100, repair: false }
            """);
        Assert.Empty(problems);
        var verify = loaded.Config.Verify;
        Assert.True(verify.ScheduledFor("stripe"));
        Assert.Equal(TimeSpan.FromHours(24), verify.EveryFor("stripe"));
        Assert.Equal(100, verify.PageSizeFor("stripe"));
        Assert.False(verify.RepairFor("stripe"));
        Assert.Equal(TimeSpan.FromHours(6), verify.EveryFor("books"));
        Assert.Equal(50, verify.PageSizeFor("books"));
        Assert.True(verify.RepairFor("books"));
    }

    [Fact]
    public void AnEmptySection_TurnsTheScheduleOnWithDefaults()
    {
        var (loaded, problems) = Check("verify: {}\n");
        Assert.Empty(problems);
        Assert.True(loaded.Config.Verify.ScheduledFor("stripe"));
        Assert.Equal(100, loaded.Config.Verify.PageSizeFor("stripe"));
        Assert.False(loaded.Config.Verify.RepairFor("stripe"));
    }

    [Fact]
    public void BadValues_AreReportedWithLineAndColumn()
    {
        var (_, problems) = Check("""
            verify:
              every: often
              page_size: 5000
              repair: maybe
              schedule: daily
              systems:
                stripe: { every: 10s, enabled: nope }
            """);
        Assert.Equal(
            ["expected-duration@13:10", "expected-integer@14:14", "expected-boolean@15:11", "unknown-key@16:3", "verify-too-often@18:22", "expected-boolean@18:36"],
            problems.OrderBy(p => p.At.Line).ThenBy(p => p.At.Column).Select(Located));
        Assert.All(problems, p => Assert.Equal("concord.yaml", p.At.File));
        Assert.Contains(problems, p => p.Message.Contains("verify.page_size", StringComparison.Ordinal));
    }

    [Fact]
    public void ASystemThatIsUnknown_ReceivesNothing_OrCannotList_IsReported()
    {
        var (_, problems) = Check("""
            verify:
              systems:
                strpe: { every: 24h }
                crm: { every: 24h }
                books: { every: 24h }
            """);
        var unknown = Assert.Single(problems, p => p.Code == "unknown-system");
        Assert.Equal(14, unknown.At.Line);
        Assert.Contains("stripe", unknown.Hint!, StringComparison.Ordinal);
        Assert.Equal(15, Assert.Single(problems, p => p.Code == "verify-nothing-received").At.Line);
        Assert.Equal(16, Assert.Single(problems, p => p.Code == "verify-cannot-list").At.Line);
    }
}
