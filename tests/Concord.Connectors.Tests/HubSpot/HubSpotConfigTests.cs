using Concord.Core.Configuration;

namespace Concord.Connectors.Tests.HubSpot;

/// <summary><c>concord validate</c> on <c>customer_object</c>: a bad value, and two types on HubSpot companies.</summary>
public sealed class HubSpotConfigTests
{
    private static List<ConfigProblem> Problems(string customerObject, string extraSyncs = "", string fields = "")
    {
        var yaml = $$"""
            version: 1
            systems:
              hubspot:
                kind: hubspot
                settings:
                  access_token: { env: HS_TOKEN }
                  customer_object: {{customerObject}}
            {{fields}}
            entities:
              customer: { owner: hubspot }
              {{(extraSyncs.Length > 0 ? "company: { owner: hubspot }" : "")}}
              deal: { owner: hubspot }
            syncs:
              - { system: hubspot, type: customer, direction: two-way }
              - { system: hubspot, type: deal, direction: two-way }
            {{extraSyncs}}
            """;
        var loaded = ConfigLoader.Load(yaml, "hub.yaml");
        Assert.Empty(loaded.Problems);
        return new ConfigValidator(new ConnectorCatalog()).Validate(loaded.Config).Where(p => p.Severity == ProblemSeverity.Error).ToList();
    }

    [Fact]
    public void ABadValue_IsReportedAtTheSetting_NamingTheAllowedOnes()
    {
        var problem = Assert.Single(Problems("accounts"), p => p.Code == "bad-setting");
        Assert.Equal("hub.yaml", problem.At.File);
        Assert.Equal(7, problem.At.Line);
        Assert.Contains("systems.hubspot.settings.customer_object", problem.Message, StringComparison.Ordinal);
        Assert.Contains("contacts, companies", problem.Message, StringComparison.Ordinal);
        Assert.Contains("'accounts'", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SyncingCompanies_WhileCustomersLiveOnThem_IsAnErrorAtTheRule()
    {
        var problem = Assert.Single(Problems("companies", "  - { system: hubspot, type: company, direction: two-way }"), p => p.Code == "unsupported-type");
        Assert.Equal("hub.yaml", problem.At.File);
        Assert.Equal(16, problem.At.Line);
        Assert.Contains("keeps customer on its companies", problem.Message, StringComparison.Ordinal);
        Assert.Contains("cannot sync company", problem.Message, StringComparison.Ordinal);
        Assert.Contains("it syncs: customer, deal", problem.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void OverridingCompanyFields_WhileCustomersLiveOnCompanies_IsAnErrorAtTheOverride()
    {
        var problem = Assert.Single(Problems("companies", fields: "    fields:\n      company: { industry: properties.industry }"), p => p.Code == "unsupported-type");
        Assert.Equal(9, problem.At.Line);
        Assert.Contains("systems.hubspot.fields.company", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CustomersOnCompanies_WithDeals_IsValid_AndSoAreContactsWithCompanies()
    {
        Assert.Empty(Problems("companies", fields: "    fields:\n      customer: { tax_id: properties.vat_number }"));
        Assert.Empty(Problems("contacts", "  - { system: hubspot, type: company, direction: two-way }"));
    }
}
