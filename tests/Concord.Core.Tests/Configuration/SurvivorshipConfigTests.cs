using Concord.Connectors;
using Concord.Core.Configuration;

namespace Concord.Core.Tests.Configuration;

/// <summary><c>entities.&lt;type&gt;.survivorship</c>: how it reads, and every mistake located by file, line and field.</summary>
public class SurvivorshipConfigTests
{
    private const string Head = """
        version: 1
        systems:
          crm: { kind: http, settings: { url: "http://127.0.0.1:9101/crm", webhook_secret: { env: CRM_SECRET } } }
          billing: { kind: http, settings: { url: "http://127.0.0.1:9102/billing", webhook_secret: { env: BILLING_SECRET } } }
          books: { kind: http, settings: { url: "http://127.0.0.1:9103/books", webhook_secret: { env: BOOKS_SECRET } } }
          shop: { kind: http, settings: { url: "http://127.0.0.1:9104/shop" } }
        syncs:
          - { system: crm, type: customer, direction: two-way }
          - { system: billing, type: customer, direction: pull }
          - { system: books, type: customer, direction: pull, fields: [email, phone] }
          - { system: shop, type: customer, direction: push }

        """;

    private static readonly ConfigValidator Validator = new(new ConnectorCatalog());

    private static string Located(ConfigProblem p) => $"{p.Severity} {p.Code}@{p.At.Line}:{p.At.Column}";

    private static (ConfigLoadResult Loaded, IReadOnlyList<ConfigProblem> Semantic) Load(string entities)
    {
        var loaded = ConfigLoader.Load(Head + entities);
        return (loaded, Validator.Validate(loaded.Config));
    }

    [Fact]
    public void AFullSection_ReadsRankTieBreaksAndPerFieldRules()
    {
        var (loaded, semantic) = Load("""
            entities:
              customer:
                owner: crm
                fill_in: true
                survivorship:
                  rank: [billing, books]
                  then: [completeness, recency]
                  fields:
                    phone: { rank: [books, billing] }
                    name: { rank: billing, then: [] }
            """);

        Assert.Empty(loaded.Problems);
        Assert.DoesNotContain(semantic, p => p.At.Line > 12);
        var survivorship = loaded.Config.Entities["customer"].Survivorship!;
        Assert.Equal(["billing", "books"], survivorship.Rules.Rank.Select(r => r.System));
        Assert.Equal([TieBreak.Completeness, TieBreak.Recency], survivorship.Rules.Then);
        var phone = survivorship.For("phone");
        Assert.Equal(["books", "billing"], phone.Rank.Select(r => r.System));
        Assert.Equal([TieBreak.Completeness, TieBreak.Recency], phone.Then);
        Assert.Empty(survivorship.For("name").Then);
        Assert.Equal(0, survivorship.For("email").RankOf("billing"));
        Assert.Equal(2, survivorship.For("email").RankOf("shop"));
    }

    [Fact]
    public void WithoutThen_TheTieBreakIsRecency()
    {
        var (loaded, _) = Load("""
            entities:
              customer:
                owner: crm
                fill_in: true
                survivorship: { rank: [billing] }
            """);

        Assert.Equal([TieBreak.Recency], loaded.Config.Entities["customer"].Survivorship!.Rules.Then);
        Assert.Null(ConfigLoader.Load(Head + "entities:\n  customer: { owner: crm }\n").Config.Entities["customer"].Survivorship);
    }

    [Fact]
    public void ReadingMistakes_AreLocated()
    {
        var (loaded, _) = Load("""
            entities:
              customer:
                owner: crm
                fill_in: true
                survivorship:
                  rank: [billing, billing]
                  then: [recent, completeness, completeness]
                  order: [books]
                  fields:
                    phon: { rank: [books] }
                    phone: { rank: [books], prefer: newest }
            """);

        Assert.Equal(
            [
                "Error unknown-key@19:7", "Error unknown-field@21:9", "Error unknown-key@22:33",
                "Error duplicate-rank@17:23", "Error unknown-tie-break@18:14", "Error duplicate-tie-break@18:36",
            ],
            loaded.Problems.Select(Located));
        var tieBreak = loaded.Problems.Single(p => p.Code == "unknown-tie-break");
        Assert.Equal("entities.customer.survivorship.then: unknown rule 'recent'", tieBreak.Message);
        Assert.StartsWith("did you mean 'recency'?", tieBreak.Hint, StringComparison.Ordinal);
        Assert.Contains("did you mean 'phone'?", loaded.Problems.Single(p => p.Code == "unknown-field").Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void SemanticMistakes_AreLocated_AndThoseWithoutEffectAreWarnings()
    {
        var (loaded, semantic) = Load("""
            entities:
              customer:
                owner: crm
                survivorship:
                  rank: [biling, crm, shop, books]
                  fields:
                    phone: { rank: [books] }
                    name: { rank: [books] }
            """);

        Assert.Empty(loaded.Problems);
        var mine = semantic.Where(p => p.At.Line > 12).Select(Located).ToList();
        Assert.Equal(
            [
                "Warning survivorship-without-fill-in@16:7", "Error unknown-system@16:14", "Warning rank-owner@16:22",
                "Warning rank-not-contributing@16:27", "Warning rank-not-contributing@19:24",
            ],
            mine);
        Assert.Equal("did you mean 'billing'?", semantic.Single(p => p.Code == "unknown-system").Hint);
        Assert.Contains("'books' does not send customer.name", semantic.Last(p => p.Code == "rank-not-contributing").Message, StringComparison.Ordinal);
    }
}
