using System.Text.Json.Nodes;
using Concord.Connectors.Stripe;
using Concord.Core.Mapping;
using Concord.Engine.Connectors;
using Concord.Engine.Storage;

namespace Concord.Connectors.Tests.Stripe;

public sealed class ReviewTests : IAsyncLifetime
{
    private StripeTestbed _bed = null!;
    private IOutboundConnector _out = null!;

    public async Task InitializeAsync()
    {
        _bed = await StripeTestbed.StartAsync();
        _out = _bed.Connectors().Outbound!;
    }

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    private static Delivery Delivery(string type, string payload, string? externalId = null, string changed = "[]") => new()
    {
        Id = 1, System = "stripe", Type = type, RecordId = "rec_1", Version = 2, Operation = "upsert", Payload = payload, Changed = changed,
        IdempotencyKey = Guid.NewGuid().ToString("N"), CorrelationId = "cor_1", ExternalId = externalId,
    };

    [Fact]
    public void A_JPY_invoice_read_from_Stripe_keeps_its_amount_in_yen()
    {
        // JPY is a zero-decimal currency in Stripe: amount_due 5000 means 5,000 yen, not 50.
        var map = FieldMap.For(StripeMappings.Invoice, _bed.System);
        var canonical = map.FromVendor(JsonNode.Parse("""{"id":"in_1","amount_due":5000,"amount_paid":0,"amount_remaining":5000,"currency":"jpy"}"""));
        Assert.Equal(5000m, canonical["amount"]!.GetValue<decimal>());
        Assert.Equal(5000m, canonical["amount_due"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task A_JPY_invoice_written_to_Stripe_is_not_multiplied_by_100()
    {
        var customer = await _bed.Sandbox.CreateCustomerAsync(new JsonObject { ["email"] = "jp@example.com", ["name"] = "Jo" });
        _bed.Links.Ids["rec_jp"] = (string)customer["id"]!;
        var result = await _out.SendAsync(Delivery("invoice", """{"customer":"rec_jp","amount":5000,"currency":"JPY","number":"J-1","status":"draft"}"""), default);
        var item = _bed.Sandbox.InvoiceItems.Single(i => (string?)i["invoice"] == result.ExternalId);
        Assert.Equal(5000L, (long)item["amount"]!);
    }

    [Fact]
    public async Task Updating_the_description_of_a_finalized_invoice_that_has_a_due_date_succeeds()
    {
        // The hub sends the record's full state; the due date did not change, only the description.
        var customer = await _bed.Sandbox.CreateCustomerAsync(new JsonObject { ["email"] = "fi@example.com", ["name"] = "Fi" });
        _bed.Links.Ids["rec_fi"] = (string)customer["id"]!;
        var created = await _out.SendAsync(Delivery("invoice", """{"customer":"rec_fi","amount":10,"currency":"EUR","due_date":"2030-01-31","description":"a"}"""), default);
        await _bed.Sandbox.FinalizeInvoiceAsync(created.ExternalId!);

        await _out.SendAsync(Delivery("invoice", """{"customer":"rec_fi","amount":10,"currency":"EUR","due_date":"2030-01-31","description":"b"}""", created.ExternalId, """["description"]"""), default);
        Assert.Equal("b", (string?)_bed.Sandbox.Invoices.Single(i => (string?)i["id"] == created.ExternalId)["description"]);
    }
}
