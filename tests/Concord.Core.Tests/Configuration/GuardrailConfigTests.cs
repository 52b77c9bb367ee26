using Concord.Connectors;
using Concord.Core.Configuration;
using Concord.Core.Identity;

namespace Concord.Core.Tests.Configuration;

/// <summary>The <c>guardrails:</c> section: read, validated with positions, and the rules in force.</summary>
public class GuardrailConfigTests
{
    private const string Base = """
        version: 1
        systems:
          crm: { kind: http, settings: { url: "http://127.0.0.1:9101/concord", webhook_secret: { env: CRM_SECRET } } }
          stripe: { kind: http, settings: { url: "http://127.0.0.1:9102/concord", webhook_secret: { env: STRIPE_SECRET } } }
        entities:
          customer: { owner: crm, identity: [email, phone], fill_in: true }
          subscription: { owner: stripe }
        syncs:
          - { system: crm, type: customer, direction: two-way }
          - { system: stripe, type: customer, direction: two-way, fields: [email, name] }
          - { system: stripe, type: subscription, direction: pull }

        """;

    private static readonly ConfigValidator Validator = new(new ConnectorCatalog());

    private static string Located(ConfigProblem p) => $"{p.Code}@{p.At.Line}:{p.At.Column}";

    private static (ConfigLoadResult Loaded, IReadOnlyList<ConfigProblem> Problems) Check(string guardrails)
    {
        var loaded = ConfigLoader.Load(Base + guardrails);
        return (loaded, loaded.Problems.Concat(Validator.Validate(loaded.Config)).ToList());
    }

    [Fact]
    public void TheDocumentedRules_AreReadAsWritten()
    {
        var (loaded, problems) = Check("""
            guardrails:
              rules:
                - name: one active subscription per customer and plan
                  type: subscription
                  unique: [customer, plan]
                  when: { status: [active, trialing, past_due] }
                  severity: alert
                - name: one Stripe customer per golden customer
                  type: customer
                  links: { system: stripe, max: 1 }
              blocked_values:
                customer:
                  email: ["info@*", "*@example.com"]
                  phone: ["0000*"]
            """);

        Assert.Empty(problems);
        var rules = loaded.Config.Guardrails.Rules;
        Assert.Equal(["customer", "plan"], rules[0].Unique);
        Assert.Equal(("double-billing", "alert"), (rules[0].Kind, rules[0].EffectiveSeverity));
        Assert.Equal(new LinkLimit("stripe", 1, new SourceSpan("concord.yaml", 21, 24)), rules[1].Links);
        Assert.Equal(("duplicate-in-system", "warning"), (rules[1].Kind, rules[1].EffectiveSeverity));
        Assert.Equal(["info@*", "*@example.com"], loaded.Config.Entities["customer"].BlockedValues["email"]);
    }

    [Fact]
    public void Mistakes_AreReportedWithFileLineAndField()
    {
        var (_, problems) = Check("""
            guardrails:
              rules:
                - name: twice
                  type: subscription
                  unique: [customer, plann]
                  when: { stauts: [active] }
                  severity: urgent
                - name: twice
                  type: custmer
                  links: { system: stripe }
                - name: too many
                  type: customer
                  links: { system: strype, max: 0 }
                - name: both
                  type: customer
                  unique: [email]
                  links: { system: crm }
              blocked_values:
                customer:
                  emial: ["info@*"]
                  phone: ["*"]
                invoices:
                  number: ["0"]
            """);

        Assert.Equal(
            [
                "bad-severity@18:17", "duplicate-rule@19:7", "bad-max@24:37", "rule-kind@25:7", "bad-blocked-value@32:15",
                "unknown-field@16:26", "unknown-field@17:15", "unknown-type@20:13", "unknown-system@24:24", "unknown-field@31:7", "unknown-type@33:5",
            ],
            problems.Select(Located));
        Assert.All(problems, p => Assert.Equal("concord.yaml", p.At.File));
        Assert.Contains("did you mean 'plan'?", problems.Single(p => p.Message.Contains("plann", StringComparison.Ordinal)).Hint, StringComparison.Ordinal);
        Assert.Contains("did you mean 'strip", problems.Single(p => p.Code == "unknown-system").Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void TheBuiltInRules_ApplyUntilAWrittenRuleReplacesThem()
    {
        var builtIn = GuardrailRules.For(ConfigLoader.Load(Base).Config);
        Assert.Equal(GuardrailRules.BillingRuleName, Assert.Single(builtIn.UniqueRules("subscription")).Name);
        Assert.Equal((1, GuardrailRules.LinksRuleName), (builtIn.LinkRule("customer", "stripe")!.Links!.Max, builtIn.LinkRule("customer", "stripe")!.Name));

        var written = GuardrailRules.For(ConfigLoader.Load(Base + """
            guardrails:
              rules:
                - { name: off, type: subscription, unique: [customer], enabled: false }
                - { name: stripe splits, type: customer, links: { system: stripe, max: any } }
                - { name: two each, type: customer, links: { max: 2 } }
            """).Config);
        Assert.Empty(written.UniqueRules("subscription"));
        Assert.Null(written.LinkRule("customer", "stripe"));
        Assert.Equal(("two each", 2), (written.LinkRule("customer", "crm")!.Name, written.LinkRule("customer", "crm")!.Links!.Max));
    }

    [Theory]
    [InlineData("email", "info@acme.example", true)]
    [InlineData("email", "Billing+EU@acme.example", true)]
    [InlineData("email", "noreply@acme.example", true)]
    [InlineData("email", "ann@acme.example", false)]
    [InlineData("email", "ann@example.com", true)]
    [InlineData("phone", "000 000 0000", true)]
    [InlineData("phone", "+1 (000) 000-0000", true)]
    [InlineData("phone", "123456789", true)]
    [InlineData("phone", "+44 20 7946 0018", false)]
    [InlineData("phone", "0000 12345", true)]
    [InlineData("tax_id", "N/A", true)]
    [InlineData("tax_id", "999-99-9999", true)]
    [InlineData("tax_id", "GB123456789", false)]
    [InlineData("name", "unknown", true)]
    [InlineData("name", "Acme", false)]
    [InlineData("name", "", false)]
    public void BlockedValues_CoverPlaceholders_AndTheWrittenPatterns(string field, string value, bool blocked)
    {
        var config = ConfigLoader.Load(Base + """
            guardrails:
              blocked_values:
                customer:
                  email: ["*@example.com"]
                  phone: ["0000*"]
            """).Config;

        Assert.Equal(blocked, BlockedValues.IsBlocked(config.Entities["customer"], field, value));
    }

    [Fact]
    public void ABlockedValue_HasNoIdentity()
    {
        var type = ConfigLoader.Load(Base).Config.Entities["customer"];
        var email = type.Identity.Single(k => k.Field == "email");
        Assert.Null(BlockedValues.IdentityValue(type, email, "Info@Acme.example"));
        Assert.Equal("ann@acme.example", BlockedValues.IdentityValue(type, email, "Ann@Acme.example"));
    }
}
