using System.Text.Json.Nodes;
using Concord.Core.Configuration;
using Concord.Core.Mapping;

namespace Concord.Core.Tests.Mapping;

public sealed class FieldMapTests
{
    private static readonly EntitySupport Invoice = new("invoice", "invoices", EntityOperations.ReadWrite, new Dictionary<string, string>
    {
        ["number"] = "number",
        ["amount"] = "amount_due|cents",
        ["currency"] = "currency",
        ["due_date"] = "due_date|unix_date",
        ["customer"] = "customer|ref",
        ["description"] = "metadata.note",
    });

    [Fact]
    public void Reads_a_vendor_object_into_canonical_fields_with_conversions()
    {
        var map = FieldMap.For(Invoice, new SystemConfig { Name = "stripe", Kind = "stripe" });
        var vendor = JsonNode.Parse("""{"number":"INV-7","amount_due":120050,"currency":"usd","due_date":1767225600,"customer":"cus_9","metadata":{"note":"rush"},"other":1}""");

        var fields = map.FromVendor(vendor);

        Assert.Equal("INV-7", (string?)fields["number"]);
        Assert.Equal(1200.50m, (decimal)fields["amount"]!);
        Assert.Equal("2026-01-01", (string?)fields["due_date"]);
        Assert.Equal("cus_9", (string?)fields["customer"]);
        Assert.Equal("rush", (string?)fields["description"]);
        Assert.False(fields.ContainsKey("other"));
    }

    [Fact]
    public void Writes_canonical_fields_into_nested_vendor_paths_and_references_by_the_vendors_id()
    {
        var map = FieldMap.For(Invoice, new SystemConfig { Name = "stripe", Kind = "stripe" });
        var canonical = JsonNode.Parse("""{"number":"INV-7","amount":19.99,"customer":"rec_1","description":"rush","unmapped":"x"}""")!.AsObject();

        var withoutLink = map.ToVendor(canonical);
        var withLink = map.ToVendor(canonical, new Dictionary<string, string> { ["customer"] = "cus_9" });

        Assert.Equal(1999, (long)withLink["amount_due"]!);
        Assert.Equal("rush", (string?)withLink["metadata"]!["note"]);
        Assert.Equal("cus_9", (string?)withLink["customer"]);
        Assert.False(withoutLink.ContainsKey("customer"));
        Assert.False(withLink.ContainsKey("unmapped"));
    }

    [Fact]
    public void Overrides_in_the_configuration_replace_and_remove_defaults()
    {
        var system = new SystemConfig { Name = "stripe", Kind = "stripe" };
        system.FieldOverrides["invoice"] = [new FieldOverride("description", "memo", default), new FieldOverride("number", null, default)];

        var map = FieldMap.For(Invoice, system);
        var vendor = map.ToVendor(JsonNode.Parse("""{"number":"INV-7","description":"rush"}""")!.AsObject());

        Assert.Equal("rush", (string?)vendor["memo"]);
        Assert.False(vendor.ContainsKey("number"));
        Assert.False(vendor.ContainsKey("metadata"));
    }

    [Theory]
    [InlineData("Line.0.Amount", """{"Line":[{"Amount":5}]}""")]
    [InlineData("properties.amount|text", """{"properties":{"amount":"5"}}""")]
    public void Array_indexes_and_text_numbers_round_trip(string spec, string expected)
    {
        var path = FieldPath.Parse(spec, out var error)!;
        Assert.Null(error);
        var vendor = new JsonObject();
        path.Write(vendor, JsonValue.Create(5m));

        Assert.Equal(expected, vendor.ToJsonString());
        Assert.True(path.TryRead(vendor, out var back));
        Assert.Equal(5m, (decimal)back!);
    }

    [Fact]
    public void Millisecond_dates_and_upper_case_codes_convert_both_ways()
    {
        var millis = FieldPath.Parse("closedate|millis", out _)!;
        var upper = FieldPath.Parse("CurrencyRef.value|upper", out _)!;
        var vendor = new JsonObject();
        millis.Write(vendor, JsonValue.Create("2026-03-01T10:00:00Z"));
        upper.Write(vendor, JsonValue.Create("eur"));

        Assert.Equal("1772359200000", (string?)vendor["closedate"]);
        Assert.Equal("EUR", (string?)vendor["CurrencyRef"]!["value"]);
        Assert.True(millis.TryRead(vendor, out var at));
        Assert.Equal("2026-03-01T10:00:00.000Z", (string?)at);
        Assert.True(upper.TryRead(vendor, out var code));
        Assert.Equal("eur", (string?)code);
    }

    [Fact]
    public void A_date_time_sent_to_a_date_only_field_keeps_the_day_in_utc()
    {
        var path = FieldPath.Parse("TxnDate|date", out _)!;
        var vendor = new JsonObject();
        path.Write(vendor, JsonValue.Create("2026-11-22T23:30:00-02:00"));

        Assert.Equal("2026-11-23", (string?)vendor["TxnDate"]);
        Assert.True(path.TryRead(vendor, out var back));
        Assert.Equal("2026-11-23", (string?)back);
    }

    [Theory]
    [InlineData("amount|dollars", "unknown conversion 'dollars'")]
    [InlineData("a..b", "is not a dotted path")]
    public void A_malformed_spec_says_why(string spec, string expected)
    {
        Assert.Null(FieldPath.Parse(spec, out var error));
        Assert.Contains(expected, error);
    }
}
