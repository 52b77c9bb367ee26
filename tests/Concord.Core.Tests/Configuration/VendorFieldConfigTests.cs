using Concord.Core.Configuration;
using Concord.Core.Mapping;

namespace Concord.Core.Tests.Configuration;

/// <summary>The parts of the configuration that only vendor connectors have: supported types and field mapping overrides.</summary>
public sealed class VendorFieldConfigTests
{
    private sealed class Catalog : IConnectorCatalog
    {
        private static readonly ConnectorDescriptor Crm = new("crmkind", "a vendor CRM", Inbound: true, Outbound: true, [new("token", "the token", Secret: true)])
        {
            Polls = true,
            Entities =
            [
                new EntitySupport("customer", "contacts", EntityOperations.ReadWrite, new Dictionary<string, string> { ["email"] = "properties.email" }),
                new EntitySupport("invoice", "invoices", EntityOperations.Read, new Dictionary<string, string> { ["number"] = "number" }),
                new EntitySupport("payment", "payments", EntityOperations.ReadWrite, new Dictionary<string, string> { ["amount"] = "amount", ["customer"] = "customer_id|ref" }),
            ],
        };

        public IReadOnlyCollection<ConnectorDescriptor> Kinds => [Crm];

        public ConnectorDescriptor? Find(string kind) => kind == Crm.Kind ? Crm : null;
    }

    private const string Head = """
        version: 1
        systems:
          crm:
            kind: crmkind
            settings:
              token: { env: CRM_TOKEN }

        """;

    private static List<ConfigProblem> Errors(string yaml)
    {
        var loaded = ConfigLoader.Load(yaml);
        return loaded.Problems.Concat(loaded.HasErrors ? [] : new ConfigValidator(new Catalog()).Validate(loaded.Config))
            .Where(p => p.Severity == ProblemSeverity.Error).ToList();
    }

    [Fact]
    public void A_polling_vendor_contributes_without_a_webhook_secret_and_overrides_are_read()
    {
        var yaml = """
            version: 1
            systems:
              crm:
                kind: crmkind
                settings:
                  token: { env: CRM_TOKEN }
                fields:
                  customer:
                    phone: properties.mobilephone
                    email: ~
            entities:
              customer: { owner: crm }
            syncs:
              - { system: crm, type: customer, direction: two-way }
            """;

        Assert.Empty(Errors(yaml));
        var overrides = ConfigLoader.Load(yaml).Config.Systems["crm"].FieldOverrides["customer"];
        Assert.Equal([("phone", "properties.mobilephone"), ("email", (string?)null)], overrides.Select(o => (o.Field, o.Spec)));
    }

    [Fact]
    public void A_type_the_connector_does_not_sync_is_named_with_what_it_does()
    {
        var problem = Assert.Single(Errors(Head + """
            entities:
              deal: { owner: crm }
            syncs:
              - { system: crm, type: deal, direction: two-way }
            """));

        Assert.Equal("unsupported-type", problem.Code);
        Assert.Contains("does not sync deal", problem.Message);
        Assert.Contains("customer, invoice", problem.Hint);
        Assert.Equal(10, problem.At.Line);
    }

    [Fact]
    public void Pushing_a_read_only_type_is_refused()
    {
        var problem = Assert.Single(Errors(Head + """
            entities:
              invoice: { owner: crm }
              customer: { owner: crm }
            syncs:
              - { system: crm, type: invoice, direction: two-way }
              - { system: crm, type: customer, direction: two-way }
            """));

        Assert.Equal("cannot-push", problem.Code);
    }

    [Fact]
    public void Unknown_fields_and_malformed_paths_in_overrides_are_located()
    {
        var yaml = Head.TrimEnd() + """

                fields:
                  customer:
                    emial: properties.email
                    phone: properties..phone
            entities:
              customer: { owner: crm }
            syncs:
              - { system: crm, type: customer, direction: two-way }
            """;
        var loaded = ConfigLoader.Load(yaml);
        var malformed = Assert.Single(loaded.Problems);
        Assert.Equal("bad-field-path", malformed.Code);
        Assert.Equal(10, malformed.At.Line);

        var unknown = Assert.Single(new ConfigValidator(new Catalog()).Validate(loaded.Config), p => p.Code == "unknown-field");
        Assert.Contains("'emial' is not a field of customer", unknown.Message);
        Assert.Contains("email", unknown.Hint);
        Assert.Equal(9, unknown.At.Line);
    }

    [Fact]
    public void A_reference_to_a_type_the_vendor_never_gets_is_warned_about()
    {
        var yaml = Head + """
            entities:
              customer: { owner: crm }
              payment: { owner: crm }
            syncs:
              - { system: crm, type: payment, direction: two-way }
            """;
        var loaded = ConfigLoader.Load(yaml);
        var problems = new ConfigValidator(new Catalog()).Validate(loaded.Config);

        var warning = Assert.Single(problems, p => p.Code == "reference-not-synced");
        Assert.Equal(ProblemSeverity.Warning, warning.Severity);
        Assert.Contains("no rule syncs customer with 'crm'", warning.Message);

        var fixedYaml = yaml + "\n  - { system: crm, type: customer, direction: two-way }\n";
        Assert.DoesNotContain(new ConfigValidator(new Catalog()).Validate(ConfigLoader.Load(fixedYaml).Config), p => p.Code == "reference-not-synced");
    }
}
