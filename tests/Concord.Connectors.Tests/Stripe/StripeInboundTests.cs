using System.Text;
using System.Text.Json.Nodes;
using Concord.Connectors.Stripe;
using Concord.Engine.Connectors;
using Microsoft.Extensions.Logging.Abstractions;

namespace Concord.Connectors.Tests.Stripe;

/// <summary>Webhooks, the event feed and the key check, against the Stripe sandbox.</summary>
public sealed class StripeInboundTests : IAsyncLifetime
{
    private StripeTestbed _bed = null!;

    public async Task InitializeAsync() => _bed = await StripeTestbed.StartAsync();

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    private static InboundRequest Signed(JsonObject stripeEvent, string secret = StripeTestbed.WebhookSecret, long? at = null)
    {
        var body = Encoding.UTF8.GetBytes(stripeEvent.ToJsonString());
        var signature = StripeSignature.Sign(secret, at ?? DateTimeOffset.UtcNow.ToUnixTimeSeconds(), body);
        return new InboundRequest("stripe", new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["Stripe-Signature"] = signature }, body);
    }

    private StripeEventPoller Poller(int pageSize) =>
        new(new StripeClient("stripe", _bed.Context.Http, new Uri(_bed.Sandbox.Url), StripeTestbed.ApiKey, TimeProvider.System),
            new StripeEventReader(_bed.System, _bed.Context.Intake, NullLogger.Instance), TimeProvider.System, TimeSpan.FromSeconds(1), pageSize);

    [Fact]
    public async Task A_signed_webhook_becomes_a_change_and_a_wrong_signature_is_rejected()
    {
        var inbound = _bed.Connectors().Inbound!;
        var customer = await _bed.Sandbox.CreateCustomerAsync(new JsonObject
        {
            ["email"] = "ann@example.com", ["name"] = "Ann", ["address"] = new JsonObject { ["city"] = "Paris", ["country"] = "FR" },
        });
        var created = _bed.Sandbox.Events.Single(e => (string?)e["type"] == "customer.created");

        var change = Assert.Single(inbound.Receive(Signed(created)));
        Assert.Equal("customer", change.Change.Type);
        Assert.Equal((string)customer["id"]!, change.Change.ExternalId);
        Assert.Equal((string)created["id"]!, change.Change.EventId);
        Assert.Equal("webhook", change.Via);
        Assert.Equal("ann@example.com", change.Change.Fields["email"]?.GetValue<string>());
        Assert.Equal("Paris", change.Change.Fields["city"]?.GetValue<string>());

        Assert.Throws<WebhookRejectedException>(() => inbound.Receive(Signed(created, "whsec_someone_else")));
        Assert.Throws<WebhookRejectedException>(() => inbound.Receive(Signed(created, at: DateTimeOffset.UtcNow.AddMinutes(-10).ToUnixTimeSeconds())));

        await _bed.Sandbox.DeleteCustomerAsync((string)customer["id"]!);
        var deleted = Assert.Single(inbound.Receive(Signed(_bed.Sandbox.Events.Single(e => (string?)e["type"] == "customer.deleted"))));
        Assert.True(deleted.Change.Deleted);
        Assert.Equal((string)customer["id"]!, deleted.Change.ExternalId);
    }

    [Fact]
    public async Task Payments_invoices_and_subscriptions_carry_Stripe_ids_in_references_and_amounts_in_major_units()
    {
        var inbound = _bed.Connectors().Inbound!;
        var customer = (string)(await _bed.Sandbox.CreateCustomerAsync(new JsonObject { ["email"] = "bo@example.com", ["name"] = "Bo" }))["id"]!;
        var invoice = await _bed.Sandbox.CreateInvoiceAsync(customer, 4250, "eur", "Hosting");
        await _bed.Sandbox.PayInvoiceAsync((string)invoice["id"]!);
        await _bed.Sandbox.CreateSubscriptionAsync(customer, "price_gold", 1999, "eur", "month", 2);

        var paid = Assert.Single(inbound.Receive(Signed(_bed.Sandbox.Events.Single(e => (string?)e["type"] == "invoice.paid"))));
        Assert.Equal(customer, paid.Change.Fields["customer"]?.GetValue<string>());
        Assert.Equal(42.50m, paid.Change.Fields["amount"]?.GetValue<decimal>());
        Assert.Equal(42.50m, paid.Change.Fields["amount_paid"]?.GetValue<decimal>());
        Assert.Equal("paid", paid.Change.Fields["status"]?.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(paid.Change.Fields["number"]?.GetValue<string>()));

        var payment = Assert.Single(inbound.Receive(Signed(_bed.Sandbox.Events.Single(e => (string?)e["type"] == "payment_intent.succeeded"))));
        Assert.Equal("payment", payment.Change.Type);
        Assert.Equal((string)invoice["id"]!, payment.Change.Fields["invoice"]?.GetValue<string>());
        Assert.Equal("card", payment.Change.Fields["method"]?.GetValue<string>());

        var subscription = Assert.Single(inbound.Receive(Signed(_bed.Sandbox.Events.Single(e => (string?)e["type"] == "customer.subscription.created"))));
        Assert.Equal("subscription", subscription.Change.Type);
        Assert.Equal("price_gold", subscription.Change.Fields["plan"]?.GetValue<string>());
        Assert.Equal(19.99m, subscription.Change.Fields["amount"]?.GetValue<decimal>());
        Assert.Equal(2L, subscription.Change.Fields["quantity"]?.GetValue<long>());

        // Events about objects Concord does not sync are accepted and give nothing.
        Assert.Empty(inbound.Receive(Signed(_bed.Sandbox.Events.First(e => (string?)e["type"] == "invoiceitem.created"))));
    }

    [Fact]
    public async Task The_poller_starts_from_now_pages_forwards_and_resumes_from_a_saved_cursor_without_skipping_or_repeating()
    {
        var poller = Poller(pageSize: 2);
        await _bed.Sandbox.CreateCustomerAsync(new JsonObject { ["email"] = "before@example.com", ["name"] = "Before" });

        // The first run reads no history: it starts after the newest event.
        var start = await poller.PollAsync("events", null, default);
        Assert.Empty(start.Changes);
        Assert.False(start.More);

        var emails = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            emails.Add($"p{i}@example.com");
            await _bed.Sandbox.CreateCustomerAsync(new JsonObject { ["email"] = emails[^1], ["name"] = $"P{i}" });
        }

        var seen = new List<string>();
        var cursor = start.Cursor;
        var pages = 0;
        while (true)
        {
            var page = await poller.PollAsync("events", cursor, default);
            pages++;
            seen.AddRange(page.Changes.Select(c => c.Change.Fields["email"]!.GetValue<string>()));
            Assert.All(page.Changes, c => Assert.Equal("poll", c.Via));

            // A crash after the hub stored this page resumes from its cursor: the same page is never read again.
            var resumed = await poller.PollAsync("events", page.Cursor, default);
            Assert.DoesNotContain(resumed.Changes, c => page.Changes.Any(p => p.Change.EventId == c.Change.EventId));
            cursor = page.Cursor;
            if (!page.More)
            {
                break;
            }
        }

        Assert.Equal(emails, seen);
        Assert.Equal(3, pages);
        Assert.Empty((await poller.PollAsync("events", cursor, default)).Changes);

        // The event ids are Stripe's, as in the webhooks, so a webhook and a poll of one event are stored once.
        var last = _bed.Sandbox.Events[^1];
        var fromHook = Assert.Single(_bed.Connectors().Inbound!.Receive(Signed(last)));
        Assert.Equal((string)last["id"]!, fromHook.Change.EventId);
    }

    [Fact]
    public async Task A_feed_empty_on_the_first_run_is_read_from_that_time_oldest_first()
    {
        var poller = Poller(pageSize: 2);
        var start = await poller.PollAsync("events", null, default);
        Assert.StartsWith("since:", start.Cursor);

        for (var i = 0; i < 3; i++)
        {
            await _bed.Sandbox.CreateCustomerAsync(new JsonObject { ["email"] = $"s{i}@example.com", ["name"] = $"S{i}" });
        }

        // Stripe pages from the newest: [s2, s1], then [s0]. The oldest page comes first.
        var first = await poller.PollAsync("events", start.Cursor, default);
        Assert.Equal(["s0@example.com"], first.Changes.Select(c => c.Change.Fields["email"]!.GetValue<string>()));
        Assert.True(first.More);
        var second = await poller.PollAsync("events", first.Cursor, default);
        Assert.Equal(["s1@example.com", "s2@example.com"], second.Changes.Select(c => c.Change.Fields["email"]!.GetValue<string>()));
        Assert.False(second.More);
    }

    [Fact]
    public async Task Verify_succeeds_with_the_key_and_names_api_key_when_it_is_wrong()
    {
        var ok = await _bed.Connectors().Verifier!.VerifyAsync(default);
        Assert.True(ok.Ok, ok.Message);

        await using var wrong = await StripeTestbed.StartAsync(apiKey: "sk_test_not_the_key_00000000");
        var refused = await wrong.Connectors().Verifier!.VerifyAsync(default);
        Assert.False(refused.Ok);
        Assert.Equal("api_key", refused.Setting);

        await _bed.Sandbox.DisposeAsync();
        var unreachable = await _bed.Connectors().Verifier!.VerifyAsync(default);
        Assert.False(unreachable.Ok);
        Assert.Equal("base_url", unreachable.Setting);
    }
}
