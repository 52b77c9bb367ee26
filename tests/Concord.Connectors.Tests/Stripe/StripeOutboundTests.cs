using System.Text.Json.Nodes;
using Concord.Engine.Connectors;
using Concord.Engine.Storage;

namespace Concord.Connectors.Tests.Stripe;

/// <summary>Deliveries to the Stripe sandbox, asserted on what the sandbox then holds.</summary>
public sealed class StripeOutboundTests : IAsyncLifetime
{
    private StripeTestbed _bed = null!;
    private IOutboundConnector _out = null!;

    public async Task InitializeAsync()
    {
        _bed = await StripeTestbed.StartAsync();
        _out = _bed.Connectors().Outbound!;
    }

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    private static Delivery Delivery(string type, string payload, string? externalId = null, string operation = "upsert", string? key = null) => new()
    {
        Id = 1, System = "stripe", Type = type, RecordId = "rec_1", Version = 1, Operation = operation, Payload = payload, Changed = "[]",
        IdempotencyKey = key ?? Guid.NewGuid().ToString("N"), CorrelationId = "cor_1", ExternalId = externalId,
    };

    [Fact]
    public async Task Create_then_update_then_delete_a_customer()
    {
        var created = await _out.SendAsync(Delivery("customer", """
            {"email":"ann@example.com","name":"Ann Lee","phone":"+44 20 7946 0000","address_line1":"1 High St","city":"London","country":"GB","tax_id":"GB123","notes":null}
            """), default);
        Assert.StartsWith("cus_", created.ExternalId);
        var ann = _bed.Sandbox.Customer(created.ExternalId!)!;
        Assert.Equal("ann@example.com", (string?)ann["email"]);
        Assert.Equal("1 High St", (string?)ann["address"]!["line1"]);
        Assert.Equal("London", (string?)ann["address"]!["city"]);
        Assert.Equal("GB123", (string?)ann["metadata"]!["tax_id"]);
        Assert.Contains(_bed.Sandbox.VersionsReceived, v => v == "2023-08-16");

        // An update that clears a field sends Stripe's empty string, which unsets it.
        var updated = await _out.SendAsync(Delivery("customer", """{"email":"ann@example.com","name":"Ann Leigh","phone":null,"city":"Leeds","tax_id":null}""", created.ExternalId), default);
        Assert.Equal(created.ExternalId, updated.ExternalId);
        ann = _bed.Sandbox.Customer(created.ExternalId!)!;
        Assert.Equal("Ann Leigh", (string?)ann["name"]);
        Assert.Null(ann["phone"]);
        Assert.Equal("Leeds", (string?)ann["address"]!["city"]);
        Assert.Equal("1 High St", (string?)ann["address"]!["line1"]);
        Assert.False(ann["metadata"]!.AsObject().ContainsKey("tax_id"));

        await _out.SendAsync(Delivery("customer", "{}", created.ExternalId, "delete"), default);
        Assert.True((bool?)_bed.Sandbox.Customer(created.ExternalId!)!["deleted"]);
        Assert.Empty(_bed.Sandbox.Customers);

        // Deleting again (already gone in Stripe) is what the delivery wants: no failure.
        await _out.SendAsync(Delivery("customer", "{}", created.ExternalId, "delete"), default);
    }

    [Fact]
    public async Task A_retried_delivery_with_the_same_key_creates_nothing_twice()
    {
        var delivery = Delivery("customer", """{"email":"bo@example.com","name":"Bo"}""");
        var first = await _out.SendAsync(delivery, default);
        var second = await _out.SendAsync(delivery with { Attempts = 1 }, default);
        Assert.Equal(first.ExternalId, second.ExternalId);
        Assert.Single(_bed.Sandbox.Customers);
        Assert.Equal(2, _bed.Sandbox.Requests.Count(r => r.Method == "POST" && r.PathAndQuery == "/v1/customers"));
    }

    [Fact]
    public async Task An_invoice_is_created_for_the_linked_customer_with_one_item_for_its_amount_and_retried_safely()
    {
        var customer = await _bed.Sandbox.CreateCustomerAsync(new JsonObject { ["email"] = "cy@example.com", ["name"] = "Cy" });
        _bed.Links.Ids["rec_cy"] = (string)customer["id"]!;

        // A pending item of the same customer must stay out of the new invoice.
        var other = await _bed.Sandbox.CreateInvoiceAsync((string)customer["id"]!, 999, "eur", "other draft");
        var payload = """{"customer":"rec_cy","amount":120.50,"currency":"EUR","description":"Consulting","due_date":"2026-12-31","number":"X-1","status":"draft"}""";
        var delivery = Delivery("invoice", payload);
        var result = await _out.SendAsync(delivery, default);
        Assert.StartsWith("in_", result.ExternalId);
        var invoice = _bed.Sandbox.Invoices.Single(i => (string?)i["id"] == result.ExternalId);
        Assert.Equal((string)customer["id"]!, (string?)invoice["customer"]);
        Assert.Equal(12050, (long)invoice["amount_due"]!);
        Assert.Equal("eur", (string?)invoice["currency"]);
        Assert.Equal("send_invoice", (string?)invoice["collection_method"]);
        Assert.Equal(new DateTimeOffset(2026, 12, 31, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds(), (long)invoice["due_date"]!);
        Assert.Null(invoice["number"]);

        // The whole delivery again (as after a crash before the hub saw the answer): replayed, not repeated.
        var again = await _out.SendAsync(delivery, default);
        Assert.Equal(result.ExternalId, again.ExternalId);
        Assert.Equal(2, _bed.Sandbox.Invoices.Count);
        Assert.Equal(2, _bed.Sandbox.InvoiceItems.Count);
        Assert.Equal(999, (long)_bed.Sandbox.Invoices.Single(i => (string?)i["id"] == (string?)other["id"])["amount_due"]!);

        await _out.SendAsync(Delivery("invoice", """{"customer":"rec_cy","description":"Consulting, November"}""", result.ExternalId), default);
        Assert.Equal("Consulting, November", (string?)_bed.Sandbox.Invoices.Single(i => (string?)i["id"] == result.ExternalId)["description"]);

        // Stripe cannot unset a due date (it takes only a timestamp): a cleared one is left as it is.
        await _out.SendAsync(Delivery("invoice", """{"customer":"rec_cy","description":"Consulting","due_date":null}""", result.ExternalId), default);
        var kept = _bed.Sandbox.Invoices.Single(i => (string?)i["id"] == result.ExternalId);
        Assert.Equal("Consulting", (string?)kept["description"]);
        Assert.NotNull(kept["due_date"]);
    }

    [Fact]
    public async Task An_invoice_the_hub_creates_keeps_the_hubs_record_id_which_Stripes_events_about_it_give_back()
    {
        var customer = await _bed.Sandbox.CreateCustomerAsync(new JsonObject { ["email"] = "di@example.com", ["name"] = "Di" });
        _bed.Links.Ids["rec_di"] = (string)customer["id"]!;
        var result = await _out.SendAsync(Delivery("invoice", """{"customer":"rec_di","amount":80,"currency":"EUR","description":"Logo"}"""), default);

        var invoice = _bed.Sandbox.Invoices.Single(i => (string?)i["id"] == result.ExternalId);
        Assert.Equal("rec_1", (string?)invoice["metadata"]?["concord_record_id"]);

        // The events Stripe sends about it (they may arrive before the hub has the invoice's id) name the record.
        var reader = new Concord.Connectors.Stripe.StripeEventReader(_bed.System, _bed.Context.Intake, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        var events = _bed.Sandbox.Events.Where(e => (string?)e["data"]?["object"]?["id"] == result.ExternalId).ToList();
        Assert.NotEmpty(events);
        Assert.All(events, e => Assert.Equal("rec_1", reader.Read(e, "webhook")!.Change.RecordId));

        // One made in Stripe's dashboard names none.
        var own = await _bed.Sandbox.CreateInvoiceAsync((string)customer["id"]!, 500, "eur", "by hand");
        var made = _bed.Sandbox.Events.First(e => (string?)e["data"]?["object"]?["id"] == (string?)own["id"]);
        Assert.Null(reader.Read(made, "webhook")!.Change.RecordId);
    }

    [Fact]
    public async Task An_invoice_whose_customer_has_not_reached_Stripe_waits()
    {
        var ex = await Assert.ThrowsAsync<DeliveryFailedException>(() => _out.SendAsync(Delivery("invoice", """{"customer":"rec_nobody","amount":5,"currency":"usd"}"""), default));
        Assert.True(ex.IsDeferred);
        Assert.True(ex.Retryable);
        Assert.Contains("rec_nobody", ex.Message);
        Assert.Empty(_bed.Sandbox.Invoices);
    }

    [Fact]
    public async Task A_throttle_holds_the_system_for_Stripes_wait_and_an_outage_is_retryable()
    {
        _bed.Sandbox.Throttle(1, TimeSpan.FromSeconds(3));
        var throttled = await Assert.ThrowsAsync<DeliveryFailedException>(() => _out.SendAsync(Delivery("customer", """{"email":"d@example.com"}"""), default));
        Assert.Equal(429, throttled.StatusCode);
        Assert.True(throttled.Retryable);
        Assert.True(throttled.HoldsSystem);
        Assert.Equal(TimeSpan.FromSeconds(3), throttled.RetryAfter);
        Assert.Contains("rate_limit", throttled.Message);

        _bed.Sandbox.Down = true;
        var down = await Assert.ThrowsAsync<DeliveryFailedException>(() => _out.SendAsync(Delivery("customer", """{"email":"d@example.com"}"""), default));
        Assert.Equal(503, down.StatusCode);
        Assert.True(down.Retryable);
        Assert.False(down.HoldsSystem);
        _bed.Sandbox.Down = false;
        Assert.Empty(_bed.Sandbox.Customers);
    }

    [Fact]
    public async Task Stripe_Should_Retry_decides_over_the_status()
    {
        _bed.Sandbox.FailNext(500, "api_error", null, "An unknown error occurred", shouldRetry: false);
        var notAgain = await Assert.ThrowsAsync<DeliveryFailedException>(() => _out.SendAsync(Delivery("customer", """{"email":"e@example.com"}"""), default));
        Assert.False(notAgain.Retryable);

        _bed.Sandbox.FailNext(400, "invalid_request_error", "lock_timeout", "This object cannot be accessed right now", shouldRetry: true);
        var again = await Assert.ThrowsAsync<DeliveryFailedException>(() => _out.SendAsync(Delivery("customer", """{"email":"e@example.com"}"""), default));
        Assert.True(again.Retryable);

        _bed.Sandbox.FailNext(402, "card_error", "card_declined", "Your card was declined.");
        var declined = await Assert.ThrowsAsync<DeliveryFailedException>(() => _out.SendAsync(Delivery("customer", """{"email":"e@example.com"}"""), default));
        Assert.False(declined.Retryable);
        Assert.Contains("card_declined", declined.Message);
    }

    [Fact]
    public async Task A_wrong_key_is_a_permanent_failure_that_names_the_setting()
    {
        await using var bed = await StripeTestbed.StartAsync(apiKey: "sk_test_wrong_key_000000000");
        var ex = await Assert.ThrowsAsync<DeliveryFailedException>(() => bed.Connectors().Outbound!.SendAsync(Delivery("customer", """{"email":"f@example.com"}"""), default));
        Assert.Equal(401, ex.StatusCode);
        Assert.False(ex.Retryable);
        Assert.Contains("api_key", ex.Message);
        Assert.Contains("Invalid API Key provided", ex.Body);
    }

    [Fact]
    public async Task Payments_and_subscriptions_are_not_written()
    {
        var ex = await Assert.ThrowsAsync<DeliveryFailedException>(() => _out.SendAsync(Delivery("payment", """{"amount":1,"currency":"usd","status":"succeeded"}"""), default));
        Assert.False(ex.Retryable);
        Assert.Empty(_bed.Sandbox.Requests);
    }
}
