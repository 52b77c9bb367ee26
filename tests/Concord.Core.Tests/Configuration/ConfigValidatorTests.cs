using Concord.Connectors;
using Concord.Core.Configuration;

namespace Concord.Core.Tests.Configuration;

public class ConfigValidatorTests
{
    /// <summary>crm, billing and shop deliver over HTTP and post signed webhooks; forms only posts webhooks.</summary>
    private const string Systems = """
        version: 1
        systems:
          crm:
            kind: http
            settings:
              url: http://127.0.0.1:9101/concord
              webhook_secret: { env: CRM_WEBHOOK_SECRET }
          billing:
            kind: http
            settings:
              url: http://127.0.0.1:9102/concord
              webhook_secret: { env: BILLING_WEBHOOK_SECRET }
          shop:
            kind: http
            settings:
              url: http://127.0.0.1:9103/concord
              webhook_secret: { env: SHOP_WEBHOOK_SECRET }
          forms:
            kind: webhook
            settings:
              secret: { env: FORMS_SECRET }

        """;

    private const string Customer = """
        entities:
          customer:
            owner: crm
            fields:
              subscription_status: { owner: billing }

        """;

    private const string ValidSyncs = """
        syncs:
          - { system: crm, type: customer, direction: two-way }
          - { system: billing, type: customer, direction: two-way, fields: [email, subscription_status] }
          - { system: shop, type: customer, direction: push }
          - { system: forms, type: customer, direction: pull }
        """;

    private static readonly ConfigValidator Validator = new(new ConnectorCatalog());

    private static IReadOnlyList<ConfigProblem> Validate(string yaml, Func<string, string?>? environment = null)
    {
        var loaded = ConfigLoader.Load(yaml);
        Assert.Empty(loaded.Problems);
        return Validator.Validate(loaded.Config, environment);
    }

    private static List<ConfigProblem> Errors(string yaml) =>
        Validate(yaml).Where(p => p.Severity == ProblemSeverity.Error).ToList();

    /// <summary>The 1-based line and column of the first occurrence of <paramref name="text"/>.</summary>
    private static SourceSpan Where(string yaml, string text, int occurrence = 1)
    {
        var lines = yaml.Split('\n');
        var seen = 0;
        for (var i = 0; i < lines.Length; i++)
        {
            var column = lines[i].IndexOf(text, StringComparison.Ordinal);
            if (column >= 0 && ++seen == occurrence)
            {
                return new SourceSpan("concord.yaml", i + 1, column + 1);
            }
        }

        throw new InvalidOperationException($"'{text}' is not in the YAML");
    }

    [Fact]
    public void Valid_configuration_has_no_problems()
    {
        Assert.Empty(Validate(Systems + Customer + ValidSyncs));
    }

    [Theory]
    [InlineData("demo.yaml")]
    [InlineData("starter.yaml")]
    public void Shipped_template_with_its_urls_filled_in_is_valid(string template)
    {
        var yaml = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Templates", template))
            .Replace("{crm_url}", "http://127.0.0.1:9101/concord", StringComparison.Ordinal)
            .Replace("{billing_url}", "http://127.0.0.1:9102/concord", StringComparison.Ordinal)
            .Replace("{accounting_url}", "http://127.0.0.1:9103/concord", StringComparison.Ordinal)
            .Replace("{hubspot_url}", "http://127.0.0.1:9104", StringComparison.Ordinal)
            .Replace("{stripe_url}", "http://127.0.0.1:9105", StringComparison.Ordinal)
            .Replace("{quickbooks_url}", "http://127.0.0.1:9106", StringComparison.Ordinal)
            .Replace("{slack_url}", "http://127.0.0.1:9107/api", StringComparison.Ordinal)
            .Replace("{hub_url}", "http://127.0.0.1:5080", StringComparison.Ordinal);

        Assert.Empty(Validate(yaml));
    }

    [Fact]
    public void Sync_naming_an_unknown_system_suggests_the_closest_one()
    {
        var yaml = Systems + Customer + ValidSyncs + "\n  - { system: shopp, type: customer, direction: push }";

        var problem = Assert.Single(Errors(yaml));

        Assert.Equal("unknown-system", problem.Code);
        Assert.Equal(Where(yaml, "shopp"), problem.At);
        Assert.Equal("sync rule names unknown system 'shopp'", problem.Message);
        Assert.Equal("did you mean 'shop'?", problem.Hint);
    }

    [Fact]
    public void Owner_naming_an_unknown_system_lists_the_declared_systems_when_none_is_close()
    {
        var yaml = Systems + """
            entities:
              customer: { owner: salesforce }
            syncs:
              - { system: shop, type: customer, direction: push }
            """;

        var problem = Assert.Single(Errors(yaml));

        Assert.Equal("unknown-system", problem.Code);
        Assert.Equal(Where(yaml, "salesforce"), problem.At);
        Assert.Equal("declared systems: crm, billing, shop, forms", problem.Hint);
    }

    [Fact]
    public void Unknown_connector_kind_is_reported_at_the_kind_with_a_suggestion()
    {
        var yaml = """
            systems:
              crm:
                kind: htpp
                settings: { url: http://127.0.0.1:9101 }
            """;

        var problem = Assert.Single(Validate(yaml));

        Assert.Equal("unknown-kind", problem.Code);
        Assert.Equal(Where(yaml, "htpp"), problem.At);
        Assert.Equal("did you mean 'http'? known kinds: webhook, http, hubspot, slack, quickbooks, stripe, smtp", problem.Hint);
    }

    [Fact]
    public void Type_without_an_owner_is_reported()
    {
        var yaml = Systems + """
            entities:
              customer: { fill_in: false }
            syncs:
              - { system: shop, type: customer, direction: push }
            """;

        var problem = Assert.Single(Errors(yaml));

        Assert.Equal("no-owner", problem.Code);
        Assert.Equal(Where(yaml, "customer:"), problem.At);
    }

    [Fact]
    public void Type_with_two_owners_is_reported_at_the_second_owner()
    {
        var yaml = Systems + """
            entities:
              customer:
                owner: [crm, billing]
            syncs:
              - { system: crm, type: customer, direction: two-way }
            """;

        var problem = Assert.Single(Errors(yaml));

        Assert.Equal("two-owners", problem.Code);
        Assert.Equal(Where(yaml, "billing]"), problem.At);
        Assert.Contains("subscription_status: { owner: billing }", problem.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void Field_owner_that_only_receives_the_type_is_reported()
    {
        var yaml = Systems + Customer + """
            syncs:
              - { system: crm, type: customer, direction: two-way }
              - { system: billing, type: customer, direction: push }
            """;

        var problem = Assert.Single(Errors(yaml));

        Assert.Equal("field-owner-not-synced", problem.Code);
        Assert.Equal(Where(yaml, "billing }"), problem.At);
        Assert.Contains("customer.subscription_status", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Field_owner_whose_sync_does_not_cover_the_field_is_reported()
    {
        var yaml = Systems + Customer + """
            syncs:
              - { system: crm, type: customer, direction: two-way }
              - { system: billing, type: customer, direction: pull, fields: [email, name] }
            """;

        var problem = Assert.Single(Errors(yaml));

        Assert.Equal("field-owner-not-synced", problem.Code);
        Assert.Contains("add subscription_status to the fields of billing's customer sync", problem.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void Type_owner_without_a_pull_or_two_way_sync_is_reported_at_the_owner()
    {
        var yaml = Systems + Customer + """
            syncs:
              - { system: crm, type: customer, direction: push }
              - { system: billing, type: customer, direction: two-way, fields: [email, subscription_status] }
            """;

        var problem = Assert.Single(Errors(yaml));

        Assert.Equal("owner-not-synced", problem.Code);
        var owner = Where(yaml, "owner: crm");
        Assert.Equal(owner with { Column = owner.Column + "owner: ".Length }, problem.At);
        Assert.Equal("add `- { system: crm, type: customer, direction: two-way }` under syncs", problem.Hint);
    }

    [Fact]
    public void Two_way_sync_of_a_system_that_owns_nothing_is_reported_at_its_direction()
    {
        var yaml = Systems + """
            entities:
              customer: { owner: crm }
            syncs:
              - { system: crm, type: customer, direction: two-way }
              - { system: shop, type: customer, direction: two-way }
            """;

        var problem = Assert.Single(Errors(yaml));

        Assert.Equal("two-way-without-owners", problem.Code);
        Assert.Equal(Where(yaml, "two-way", occurrence: 2), problem.At);
        Assert.Contains("direction: push", problem.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_way_sync_of_a_non_owner_is_valid_with_fill_in()
    {
        var yaml = Systems + """
            entities:
              customer: { owner: crm, fill_in: true }
            syncs:
              - { system: crm, type: customer, direction: two-way }
              - { system: shop, type: customer, direction: two-way }
            """;

        Assert.Empty(Errors(yaml));
    }

    [Fact]
    public void Two_way_sync_of_a_non_owner_is_valid_when_it_owns_a_field_it_syncs()
    {
        var yaml = Systems + """
            entities:
              customer:
                owner: crm
                fields:
                  notes: { owner: shop }
            syncs:
              - { system: crm, type: customer, direction: two-way }
              - { system: shop, type: customer, direction: two-way, fields: [email, notes] }
            """;

        Assert.Empty(Errors(yaml));
    }

    [Fact]
    public void Unknown_field_in_a_sync_is_reported_where_it_is_written_with_a_suggestion()
    {
        var yaml = Systems + Customer + """
            syncs:
              - { system: crm, type: customer, direction: two-way }
              - { system: billing, type: customer, direction: two-way, fields: [email, subscription_status] }
              - { system: shop, type: customer, direction: push, fields: [email, phon] }
            """;

        var problem = Assert.Single(Errors(yaml));

        Assert.Equal("unknown-field", problem.Code);
        Assert.Equal(Where(yaml, "phon"), problem.At);
        Assert.Equal("'phon' is not a field of customer (sync of shop)", problem.Message);
        Assert.Equal("did you mean 'phone'?", problem.Hint);
    }

    [Fact]
    public void Unknown_field_in_a_sync_filter_is_reported()
    {
        var yaml = Systems + Customer + """
            syncs:
              - { system: crm, type: customer, direction: two-way }
              - { system: billing, type: customer, direction: two-way, fields: [email, subscription_status] }
              - { system: shop, type: customer, direction: push, filter: { contry: [DE, AT] } }
            """;

        var problem = Assert.Single(Errors(yaml));

        Assert.Equal("unknown-field", problem.Code);
        Assert.Equal(Where(yaml, "contry"), problem.At);
        Assert.Equal("did you mean 'country'?", problem.Hint);
    }

    [Fact]
    public void Secret_written_inline_is_reported_with_the_reference_to_write_instead()
    {
        var yaml = """
            systems:
              crm:
                kind: http
                settings:
                  url: http://127.0.0.1:9101/concord
                  webhook_secret: s3cr3t
            """;

        var problem = Assert.Single(Validate(yaml));

        Assert.Equal("inline-secret", problem.Code);
        Assert.Equal(Where(yaml, "s3cr3t"), problem.At);
        Assert.DoesNotContain("s3cr3t", problem.Message, StringComparison.Ordinal);
        Assert.Equal("write `webhook_secret: { env: CRM_WEBHOOK_SECRET }` and set that environment variable", problem.Hint);
    }

    [Fact]
    public void Missing_required_settings_are_reported_per_system()
    {
        var yaml = """
            systems:
              crm:
                kind: http
              forms:
                kind: webhook
            """;

        var problems = Validate(yaml);

        Assert.Equal(["missing-setting@2:3", "missing-setting@4:3"], problems.Select(p => $"{p.Code}@{p.At.Line}:{p.At.Column}"));
        Assert.Contains("settings.url", problems[0].Message, StringComparison.Ordinal);
        Assert.Equal("add `secret: { env: FORMS_SECRET }` under systems.forms.settings", problems[1].Hint);
    }

    [Fact]
    public void Unknown_setting_and_disallowed_setting_value_are_reported()
    {
        var yaml = """
            systems:
              crm:
                kind: http
                settings:
                  url: http://127.0.0.1:9101/concord
                  fromat: fields
                  format: xml
            """;

        var problems = Validate(yaml);

        Assert.Equal(["unknown-setting", "bad-setting"], problems.Select(p => p.Code));
        Assert.StartsWith("did you mean 'format'?", problems[0].Hint, StringComparison.Ordinal);
        Assert.Equal(Where(yaml, "xml"), problems[1].At);
        Assert.Contains("must be one of envelope, fields, not 'xml'", problems[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Synced_shipped_type_that_is_not_declared_is_reported()
    {
        var yaml = Systems + Customer + ValidSyncs + "\n  - { system: shop, type: company, direction: push }";

        var problem = Assert.Single(Errors(yaml));

        Assert.Equal("type-undeclared", problem.Code);
        Assert.Equal(Where(yaml, "company"), problem.At);
        Assert.Equal("add `company: { owner: <system> }` under entities", problem.Hint);
    }

    [Fact]
    public void Synced_type_that_does_not_exist_is_reported_with_a_suggestion()
    {
        var yaml = Systems + Customer + ValidSyncs + "\n  - { system: shop, type: custmer, direction: push }";

        var problem = Assert.Single(Errors(yaml));

        Assert.Equal("unknown-type", problem.Code);
        Assert.Equal("did you mean 'customer'?", problem.Hint);
    }

    [Fact]
    public void Second_sync_rule_for_the_same_system_and_type_is_a_duplicate()
    {
        var yaml = Systems + Customer + ValidSyncs + "\n  - { system: shop, type: customer, direction: push, fields: [email] }";

        var problem = Assert.Single(Errors(yaml));

        Assert.Equal("duplicate-sync", problem.Code);
        Assert.Equal(Where(yaml, "{ system: shop", occurrence: 2), problem.At);
    }

    [Theory]
    [InlineData("push")]
    [InlineData("two-way")]
    public void Webhook_only_system_cannot_receive(string direction)
    {
        var yaml = Systems + $$"""
            entities:
              customer: { owner: crm, fill_in: true }
            syncs:
              - { system: forms, type: customer, direction: {{direction}} }
              - { system: crm, type: customer, direction: two-way }
            """;

        var problem = Assert.Single(Errors(yaml));

        Assert.Equal("cannot-push", problem.Code);
        Assert.Equal(Where(yaml, direction + " }"), problem.At);
        Assert.Equal("use direction: pull", problem.Hint);
    }

    [Fact]
    public void Two_non_owners_filling_in_the_same_field_is_a_cycle_reported_with_its_path()
    {
        var yaml = Systems + """
            entities:
              customer: { owner: crm, fill_in: true }
            syncs:
              - { system: crm, type: customer, direction: two-way }
              - { system: billing, type: customer, direction: two-way, fields: [email, notes] }
              - { system: shop, type: customer, direction: two-way, fields: [notes, city] }
            """;

        var problem = Assert.Single(Errors(yaml));

        Assert.Equal("sync-cycle", problem.Code);
        Assert.Equal(Where(yaml, "{ system: shop"), problem.At);
        Assert.Equal("customer.notes would loop: billing → hub → shop → hub → billing (fill-in by more than one system that also receives the field)", problem.Message);
        Assert.Contains("billing, shop", problem.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void Field_with_its_own_owner_is_not_a_cycle_even_with_two_fill_in_systems()
    {
        var yaml = Systems + """
            entities:
              customer:
                owner: crm
                fill_in: true
                fields:
                  notes: { owner: billing }
            syncs:
              - { system: crm, type: customer, direction: two-way, fields: [email] }
              - { system: billing, type: customer, direction: two-way, fields: [email, notes] }
              - { system: shop, type: customer, direction: two-way, fields: [notes] }
            """;

        Assert.DoesNotContain(Errors(yaml), p => p.Code == "sync-cycle");
    }

    [Fact]
    public void Cycle_check_applies_only_to_types_with_fill_in()
    {
        var yaml = Systems + """
            entities:
              customer:
                owner: crm
                fields:
                  notes: { owner: billing }
                  city: { owner: shop }
            syncs:
              - { system: crm, type: customer, direction: two-way }
              - { system: billing, type: customer, direction: two-way, fields: [notes, city] }
              - { system: shop, type: customer, direction: two-way, fields: [notes, city] }
            """;

        Assert.Empty(Errors(yaml));
    }

    [Fact]
    public void Unset_secrets_are_checked_only_when_an_environment_is_given()
    {
        var yaml = Systems + Customer + ValidSyncs;

        Assert.Empty(Validate(yaml));
        Assert.Empty(Validate(yaml, name => "value-of-" + name));

        var unset = Validate(yaml, name => name == "CRM_WEBHOOK_SECRET" ? "set" : "");
        Assert.All(unset, p => Assert.Equal("secret-unset", p.Code));
        Assert.Equal(
            ["BILLING_WEBHOOK_SECRET", "SHOP_WEBHOOK_SECRET", "FORMS_SECRET"],
            unset.Select(p => p.Message.Split(' ')[2]));
        Assert.Equal(Where(yaml, "{ env: FORMS_SECRET }"), unset[2].At);
    }

    [Fact]
    public void Identity_key_that_is_not_a_field_is_reported()
    {
        var yaml = Systems + """
            entities:
              customer: { owner: crm, identity: [emial] }
            syncs:
              - { system: crm, type: customer, direction: two-way }
            """;

        var problem = Assert.Single(Errors(yaml));

        Assert.Equal("unknown-field", problem.Code);
        Assert.Equal(Where(yaml, "emial"), problem.At);
    }

    [Fact]
    public void Declared_type_that_no_sync_moves_is_only_a_warning()
    {
        var yaml = Systems + """
            entities:
              customer: { owner: crm }
              company: { owner: crm }
            syncs:
              - { system: crm, type: customer, direction: two-way }
              - { system: crm, type: company, direction: pull }
              - { system: shop, type: company, direction: push }
            """;

        Assert.Empty(Validate(yaml));

        yaml = Systems + """
            entities:
              customer: { owner: crm }
              company: { owner: crm }
            syncs:
              - { system: crm, type: customer, direction: two-way }
            """;
        var problems = Validate(yaml);

        var warning = Assert.Single(problems, p => p.Code == "type-unsynced");
        Assert.Equal(ProblemSeverity.Warning, warning.Severity);
        Assert.Contains("warning type-unsynced", warning.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Mapping_to_an_undeclared_type_or_an_unknown_field_is_reported()
    {
        var yaml = """
            systems:
              forms:
                kind: webhook
                settings: { secret: { env: FORMS_SECRET } }
                mapping:
                  type: custmer
              leads:
                kind: webhook
                settings: { secret: { env: LEADS_SECRET } }
                mapping:
                  type: customer
                  fields:
                    emal: data.email
            entities:
              customer: { owner: leads }
            syncs:
              - { system: leads, type: customer, direction: pull }
            """;

        var problems = Errors(yaml);

        Assert.Equal(["unknown-type", "unknown-field"], problems.Select(p => p.Code));
        Assert.Equal("did you mean 'customer'?", problems[0].Hint);
        Assert.Equal(Where(yaml, "emal"), problems[1].At);
        Assert.Equal("did you mean 'email'?", problems[1].Hint);
    }

    [Fact]
    public void System_that_maps_payloads_to_one_type_cannot_contribute_another()
    {
        var yaml = """
            systems:
              leads:
                kind: webhook
                settings: { secret: { env: LEADS_SECRET } }
                mapping: { type: customer, fields: { email: data.email } }
            entities:
              customer: { owner: leads }
              company: { owner: leads }
            syncs:
              - { system: leads, type: customer, direction: pull }
              - { system: leads, type: company, direction: pull }
            """;

        var problem = Assert.Single(Errors(yaml));

        Assert.Equal("mapping-type-mismatch", problem.Code);
        Assert.Equal(Where(yaml, "company, direction"), problem.At);
    }

    [Fact]
    public void Outbound_only_connector_cannot_pull_nor_map_payloads()
    {
        var validator = new ConfigValidator(new OutboundOnlyCatalog());
        var loaded = ConfigLoader.Load("""
            systems:
              warehouse:
                kind: sftp
                mapping: { type: customer }
            entities:
              customer: { owner: warehouse }
            syncs:
              - { system: warehouse, type: customer, direction: two-way }
            """);
        Assert.Empty(loaded.Problems);

        var problems = validator.Validate(loaded.Config);

        Assert.Equal(["mapping-not-inbound", "cannot-pull"], problems.Select(p => p.Code));
        Assert.Equal("use direction: push", problems[1].Hint);
    }

    private sealed class OutboundOnlyCatalog : IConnectorCatalog
    {
        private static readonly ConnectorDescriptor Sftp = new("sftp", "writes CSV files", Inbound: false, Outbound: true, []);

        public IReadOnlyCollection<ConnectorDescriptor> Kinds => [Sftp];

        public ConnectorDescriptor? Find(string kind) => kind == Sftp.Kind ? Sftp : null;
    }
}
