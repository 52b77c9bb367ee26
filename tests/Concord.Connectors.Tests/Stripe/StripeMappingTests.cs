using System.Text.Json.Nodes;
using Concord.Connectors.Stripe;
using Concord.Core.Mapping;

namespace Concord.Connectors.Tests.Stripe;

/// <summary>The default canonical ↔ Stripe mappings, and that a system's overrides apply.</summary>
public sealed class StripeMappingTests
{
    [Fact]
    public async Task Customer_fields_map_to_Stripe_parameters_and_back()
    {
        await using var bed = await StripeTestbed.StartAsync();
        var map = FieldMap.For(StripeMappings.Customer, bed.System);
        var vendor = map.ToVendor(new JsonObject { ["email"] = "a@example.com", ["region"] = "CA", ["postal_code"] = "94107", ["notes"] = "VIP", ["tax_id"] = "US1" });
        Assert.Equal("CA", (string?)vendor["address"]!["state"]);
        Assert.Equal("94107", (string?)vendor["address"]!["postal_code"]);
        Assert.Equal("VIP", (string?)vendor["description"]);
        Assert.Equal("US1", (string?)vendor["metadata"]!["tax_id"]);

        var canonical = map.FromVendor(JsonNode.Parse("""{"email":"a@example.com","address":{"line1":"1 Main","state":"CA"},"created":1700000000}"""));
        Assert.Equal("1 Main", (string?)canonical["address_line1"]);
        Assert.Equal("CA", (string?)canonical["region"]);
        Assert.Equal("2023-11-14T22:13:20Z", (string?)canonical["created_at"]);
    }

    [Fact]
    public async Task Invoice_amounts_are_minor_units_in_Stripe_and_dates_are_unix_seconds()
    {
        await using var bed = await StripeTestbed.StartAsync();
        var map = FieldMap.For(StripeMappings.Invoice, bed.System);
        var canonical = map.FromVendor(JsonNode.Parse("""
            {"id":"in_1","customer":"cus_9","amount_due":12345,"amount_paid":2345,"amount_remaining":10000,"currency":"eur","status":"open",
             "due_date":1767139200,"created":1764547200,"status_transitions":{"paid_at":null},"number":"ABC-0001"}
            """));
        Assert.Equal(123.45m, canonical["amount"]!.GetValue<decimal>());
        Assert.Equal(100m, canonical["amount_due"]!.GetValue<decimal>());
        Assert.Equal(23.45m, canonical["amount_paid"]!.GetValue<decimal>());
        Assert.Equal("cus_9", (string?)canonical["customer"]);
        Assert.Equal("2025-12-31", (string?)canonical["due_date"]);
        Assert.Equal("2025-12-01", (string?)canonical["issue_date"]);
        Assert.Null(canonical["paid_at"]);
    }

    [Fact]
    public async Task A_system_override_replaces_a_default()
    {
        await using var bed = await StripeTestbed.StartAsync(fields: "fields: { customer: { notes: metadata.notes, tax_id: null } }");
        var map = FieldMap.For(StripeMappings.Customer, bed.System);
        var vendor = map.ToVendor(new JsonObject { ["notes"] = "hello", ["tax_id"] = "X" });
        Assert.Equal("hello", (string?)vendor["metadata"]!["notes"]);
        Assert.Null(vendor["description"]);
        Assert.False(((JsonObject)vendor["metadata"]!).ContainsKey("tax_id"));
    }

    [Fact]
    public void Stripe_objects_name_their_canonical_types()
    {
        Assert.Equal("payment", StripeMappings.TypeOf("payment_intent"));
        Assert.Equal("subscription", StripeMappings.TypeOf("subscription"));
        Assert.Null(StripeMappings.TypeOf("invoiceitem"));
    }
}
