using System.Text.Json.Nodes;
using Concord.Connectors.HubSpot;
using Concord.Core.Configuration;
using Concord.Core.Mapping;

namespace Concord.Connectors.Tests.HubSpot;

/// <summary>The default field mappings, in both directions.</summary>
public sealed class HubSpotMappingTests
{
    private static readonly SystemConfig System = new() { Name = "hubspot", Kind = "hubspot" };

    private static FieldMap Map(string type) => FieldMap.For(HubSpotObjects.Entities.Single(e => e.Type == type), System);

    [Fact]
    public void ACustomer_BecomesContactProperties_AndANameWithoutPartsIsSplit()
    {
        var (props, assoc) = HubSpotRecords.ToVendor(Map("customer"),
            new JsonObject { ["email"] = "ann@example.com", ["name"] = "Ann Marie Lee", ["region"] = "CA", ["title"] = "CTO", ["phone"] = null }, new Dictionary<string, string>());
        Assert.Equal("ann@example.com", (string?)props["email"]);
        Assert.Equal("Ann Marie", (string?)props["firstname"]);
        Assert.Equal("Lee", (string?)props["lastname"]);
        Assert.Equal("CA", (string?)props["state"]);
        Assert.Equal("CTO", (string?)props["jobtitle"]);
        Assert.Equal("", (string?)props["phone"]);
        Assert.Empty(assoc);
    }

    [Fact]
    public void AContact_ReadsBack_WithANameBuiltFromItsParts()
    {
        var vendor = JsonNode.Parse("""{"id":"501","properties":{"email":"bo@example.com","firstname":"Bo","lastname":"Diaz","zip":"94107","company":"","jobtitle":null}}""")!;
        var fields = HubSpotRecords.ToCanonical(Map("customer"), vendor);
        Assert.Equal("Bo Diaz", (string?)fields["name"]);
        Assert.Equal("94107", (string?)fields["postal_code"]);
        Assert.False(fields.ContainsKey("company"));
        Assert.False(fields.ContainsKey("title"));
    }

    [Fact]
    public void CompanyNumbers_TravelAsText()
    {
        var (props, _) = HubSpotRecords.ToVendor(Map("company"), new JsonObject { ["name"] = "Acme", ["domain"] = "acme.test", ["employee_count"] = 42, ["annual_revenue"] = 1250000.5m }, new Dictionary<string, string>());
        Assert.Equal("42", (string?)props["numberofemployees"]);
        Assert.Equal("1250000.5", (string?)props["annualrevenue"]);
        var back = HubSpotRecords.ToCanonical(Map("company"), new JsonObject { ["properties"] = props.DeepClone() });
        Assert.Equal(42m, back["employee_count"]!.GetValue<decimal>());
        Assert.Equal(1250000.5m, back["annual_revenue"]!.GetValue<decimal>());
    }

    [Fact]
    public void ADeal_MapsCurrencyAndReferences_AndReadsTheCloseDay()
    {
        var (props, assoc) = HubSpotRecords.ToVendor(Map("deal"),
            new JsonObject { ["name"] = "Renewal", ["amount"] = 990m, ["currency"] = "eur", ["stage"] = "closedwon", ["customer"] = "rec_1", ["company"] = "rec_2" },
            new Dictionary<string, string> { ["customer"] = "1001", ["company"] = "2002" });
        Assert.Equal("EUR", (string?)props["deal_currency_code"]);
        Assert.Equal("990", (string?)props["amount"]);
        Assert.False(props.ContainsKey("associations"));
        Assert.Equal([("contacts", "1001"), ("companies", "2002")], assoc.OrderByDescending(a => a.Object).ToList());

        var back = HubSpotRecords.ToCanonical(Map("deal"), JsonNode.Parse("""{"properties":{"dealname":"Renewal","closedate":"2026-12-01T00:00:00Z","deal_currency_code":"EUR"}}""")!);
        Assert.Equal("2026-12-01", (string?)back["close_date"]);
        Assert.Equal("eur", (string?)back["currency"]);
    }

    [Fact]
    public void AnOverride_ChangesWhereAFieldGoes()
    {
        var system = new SystemConfig { Name = "hubspot", Kind = "hubspot" };
        system.FieldOverrides["customer"] = [new FieldOverride("title", "properties.hs_job_title", default)];
        var map = FieldMap.For(HubSpotObjects.Entities.Single(e => e.Type == "customer"), system);
        var (props, _) = HubSpotRecords.ToVendor(map, new JsonObject { ["title"] = "CEO" }, new Dictionary<string, string>());
        Assert.Equal("CEO", (string?)props["hs_job_title"]);
        Assert.False(props.ContainsKey("jobtitle"));
    }
}
