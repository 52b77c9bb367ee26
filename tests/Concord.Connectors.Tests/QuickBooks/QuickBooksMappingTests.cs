using System.Text.Json.Nodes;
using Concord.Connectors.QuickBooks;
using Concord.Core.Configuration;
using Concord.Core.Mapping;

namespace Concord.Connectors.Tests.QuickBooks;

public sealed class QuickBooksMappingTests
{
    private static readonly SystemConfig System = new() { Name = "qbo", Kind = "quickbooks" };

    [Fact]
    public void Customer_MapsToQuickBooksPaths_AndBack()
    {
        var map = FieldMap.For(QuickBooksMappings.Customer, System);
        var canonical = new JsonObject
        {
            ["name"] = "Ann Lee", ["email"] = "ann@example.com", ["phone"] = "+1 555 0100", ["city"] = "Austin", ["region"] = "TX", ["currency"] = "usd",
        };
        var vendor = map.ToVendor(canonical);
        Assert.Equal("Ann Lee", vendor["DisplayName"]!.ToString());
        Assert.Equal("ann@example.com", vendor["PrimaryEmailAddr"]!["Address"]!.ToString());
        Assert.Equal("+1 555 0100", vendor["PrimaryPhone"]!["FreeFormNumber"]!.ToString());
        Assert.Equal("TX", vendor["BillAddr"]!["CountrySubDivisionCode"]!.ToString());
        Assert.Equal("USD", vendor["CurrencyRef"]!["value"]!.ToString());
        Assert.True(JsonNode.DeepEquals(canonical, map.FromVendor(vendor)));
    }

    [Fact]
    public void Payment_LinksItsInvoice_ThroughTheFirstLine()
    {
        var map = FieldMap.For(QuickBooksMappings.Payment, System);
        var vendor = map.ToVendor(new JsonObject { ["amount"] = 25.5m, ["invoice"] = "rec_inv" }, new Dictionary<string, string> { ["invoice"] = "130" });
        Assert.Equal("130", vendor["Line"]![0]!["LinkedTxn"]![0]!["TxnId"]!.ToString());
        Assert.Equal("130", map.FromVendor(vendor)["invoice"]!.ToString());
    }

    [Fact]
    public void Overrides_FromConfiguration_ReplaceADefault()
    {
        var system = new SystemConfig
        {
            Name = "qbo",
            Kind = "quickbooks",
            FieldOverrides = { ["customer"] = [new FieldOverride("notes", "CompanyName", default)] },
        };
        var vendor = FieldMap.For(QuickBooksMappings.Customer, system).ToVendor(new JsonObject { ["notes"] = "n" });
        Assert.Equal("n", vendor["CompanyName"]!.ToString());
        Assert.Null(vendor["Notes"]);
    }

    [Fact]
    public void Descriptor_PinsTheMinorVersion_AndQuickBooksLimits()
    {
        var d = QuickBooksConnector.Descriptor;
        Assert.Equal("minorversion=75", d.ApiVersion);
        Assert.True(d.VendorRateLimit!.PerSecond * 60 <= 500, "paced under 500 requests a minute");
        Assert.Equal(10, d.VendorRateLimit.Concurrency);
        Assert.False(d.Entity("payment")!.Can(EntityOperations.Update));
        Assert.True(d.Entity("customer")!.Can(EntityOperations.Delete));
    }
}
