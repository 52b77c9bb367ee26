using System.Text.Json.Nodes;
using Concord.Engine.Storage;
using Concord.Sandboxes.HubSpot;
using Concord.Sandboxes.QuickBooks;
using Concord.Sandboxes.Slack;
using Concord.Sandboxes.Stripe;
using Concord.Testing;

namespace Concord.Acceptance.Tests;

/// <summary>
/// HubSpot, Stripe, QuickBooks Online and Slack — each a stateful sandbox speaking its vendor's
/// API — kept in sync by one hub: records flow both ways with ownership respected, and an outage
/// plus a burst of 429s end with everything delivered, in order, and nothing twice.
/// </summary>
public sealed class FourVendorsTests : IAsyncLifetime
{
    private readonly VendorStack _stack = new();
    private HubHarness _hub = null!;

    private HubSpotSandbox _hubspot => _stack.HubSpot;

    private StripeSandbox _stripe => _stack.Stripe;

    private QuickBooksSandbox _books => _stack.QuickBooks;

    private SlackSandbox _slack => _stack.Slack;

    private static IReadOnlyDictionary<string, string> Secrets => VendorStack.Secrets;

    public async Task InitializeAsync()
    {
        await _stack.StartAsync();
        _hub = await _stack.StartHubAsync($$"""
            version: 1
            {{_stack.HubAndSystemsYaml()}}
            entities:
              customer:
                owner: hubspot
                identity: [email]
                fill_in: true
              company: { owner: hubspot, identity: [domain] }
              invoice: { owner: stripe }
              payment: { owner: stripe }
            syncs:
              - { system: hubspot, type: customer, direction: two-way }
              - { system: hubspot, type: company, direction: two-way }
              - { system: stripe, type: customer, direction: two-way, fields: [name, email, phone, city, country] }
              - { system: quickbooks, type: customer, direction: push }
              - { system: stripe, type: invoice, direction: pull }
              - { system: quickbooks, type: invoice, direction: push }
              - { system: stripe, type: payment, direction: pull }
              - { system: quickbooks, type: payment, direction: push }
              - { system: slack, type: company, direction: push }
              - { system: slack, type: payment, direction: push }
            """);
    }

    public async Task DisposeAsync()
    {
        await _hub.DisposeAsync();
        await _stack.DisposeAsync();
    }

    private static bool Same(string? a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    private JsonObject? StripeCustomer(string email) => _stripe.Customers.SingleOrDefault(c => Same((string?)c["email"], email));

    private JsonObject? BooksCustomer(string email) => _books.Customers.SingleOrDefault(c => Same((string?)c["PrimaryEmailAddr"]?["Address"], email));

    [Fact]
    public async Task RecordsFlowBothWays_WithOwnershipRespected()
    {
        // HubSpot → Stripe and QuickBooks.
        var ann = await _hubspot.CreateContactAsync("ann@acme.example", "Ann", "Lee");
        var annInStripe = await Eventually.GetAsync(() => Task.FromResult(StripeCustomer("ann@acme.example")), "Ann in Stripe");
        var annInBooks = await Eventually.GetAsync(() => Task.FromResult(BooksCustomer("ann@acme.example")), "Ann in QuickBooks");
        Assert.Equal("Ann Lee", (string?)annInStripe["name"]);
        Assert.Equal("Ann Lee", (string?)annInBooks["DisplayName"]);

        // Stripe fills in what HubSpot has not set (the phone) — it reaches HubSpot and QuickBooks;
        // Stripe renaming her is not its call: the golden record keeps HubSpot's name.
        await _stripe.UpdateCustomerAsync((string)annInStripe["id"]!, new JsonObject { ["phone"] = "+44 20 7946 0000", ["name"] = "A. Lee" });
        await Eventually.TrueAsync(() => _hubspot.Get("contacts", ann.Id)?["phone"] == "+44 20 7946 0000", "Stripe's phone in HubSpot");
        await Eventually.TrueAsync(() => (string?)BooksCustomer("ann@acme.example")?["PrimaryPhone"]?["FreeFormNumber"] == "+44 20 7946 0000", "Stripe's phone in QuickBooks");
        var golden = (await _hub.Store.SearchAsync("customer", "ann@acme.example", 5, default)).Single();
        Assert.Equal("Ann Lee", golden.ValueOf("name")?.ToString());
        Assert.Contains(golden.Conflicts(), c => c.Field == "name");
        Assert.Equal("Ann", _hubspot.Get("contacts", ann.Id)!["firstname"]);
        Assert.Equal("Ann Lee", (string?)BooksCustomer("ann@acme.example")!["DisplayName"]);

        // A company made in HubSpot is announced in Slack.
        await _hubspot.CreateAsync("companies", new Dictionary<string, string?> { ["name"] = "Acme Corp", ["domain"] = "acme.example" });
        await Eventually.TrueAsync(() => _slack.Messages().Any(m => m.Text.Contains("Acme Corp", StringComparison.Ordinal)), "the company in Slack");

        // Stripe → QuickBooks: an invoice and its payment name QuickBooks' own customer id.
        var draft = await _stripe.CreateInvoiceAsync((string)annInStripe["id"]!, 45_000, "usd", "Consulting");
        await _stripe.FinalizeInvoiceAsync((string)draft["id"]!);
        await _stripe.PayInvoiceAsync((string)draft["id"]!);
        var invoice = await Eventually.GetAsync(() => Task.FromResult(_books.Invoices.SingleOrDefault(i => i["TotalAmt"]?.GetValue<decimal>() == 450m)), "the invoice in QuickBooks");
        Assert.Equal((string?)annInBooks["Id"], (string?)invoice["CustomerRef"]!["value"]);
        var payment = await Eventually.GetAsync(() => Task.FromResult(_books.Payments.SingleOrDefault()), "the payment in QuickBooks");
        Assert.Equal(450m, payment["TotalAmt"]!.GetValue<decimal>());
        Assert.Equal((string?)annInBooks["Id"], (string?)payment["CustomerRef"]!["value"]);
        await Eventually.TrueAsync(() => _slack.Messages().Any(m => m.Text.Contains("450.00", StringComparison.Ordinal)), "the payment in Slack");

        // Her 360: the invoice and the payment, each with its id in Stripe and in QuickBooks.
        var related = await Eventually.GetAsync(async () =>
        {
            var r = (await _hub.GetJsonAsync($"/api/v1/records/customer/{golden.Id}/related")).AsObject();
            return r.ContainsKey("invoice") && r.ContainsKey("payment") && r["payment"]!.AsArray()[0]!["links"]!.AsArray().Count == 2 ? r : null;
        }, "Ann's invoice and payment, linked in both systems");
        var invoiceLinks = related!["invoice"]!.AsArray().Single()!["links"]!.AsArray().Select(l => $"{l!["system"]}:{l["external_id"]}").ToList();
        Assert.Contains($"stripe:{draft["id"]}", invoiceLinks);
        Assert.Contains($"quickbooks:{invoice["Id"]}", invoiceLinks);
        Assert.Contains($"quickbooks:{payment["Id"]}", related["payment"]!.AsArray().Single()!["links"]!.AsArray().Select(l => $"{l!["system"]}:{l["external_id"]}"));
        Assert.Empty(_books.SchemaRejections);

        // Health shows which feeds are read: HubSpot and Stripe contribute; QuickBooks and Slack only receive.
        var systems = (await _hub.GetJsonAsync("/api/v1/health"))["systems"]!.AsArray().ToDictionary(x => (string)x!["name"]!, x => x!);
        Assert.NotNull((string?)systems["stripe"]["last_polled_at"]);
        Assert.NotNull((string?)systems["hubspot"]["last_polled_at"]);
        Assert.Null((string?)systems["quickbooks"]["last_polled_at"]);
        Assert.All(systems.Values, x => Assert.Null((string?)x["poll_error"]));
    }

    [Fact]
    public async Task AnOutageAndABurstOf429s_EndWithEverythingDelivered_InOrder_AndNothingTwice()
    {
        const int people = 8;
        _books.Down = true;
        _stripe.Throttle(6, TimeSpan.FromSeconds(1));

        // Each person is created, then their phone changes twice while QuickBooks is down and
        // Stripe is throttling: the last value can only win if each record's versions went out in order.
        var contacts = new List<HubSpotRecord>();
        for (var i = 0; i < people; i++)
        {
            contacts.Add(await _hubspot.CreateContactAsync($"p{i}@burst.example", "Person", $"N{i}"));
        }

        await Eventually.TrueAsync(async () => (await _hub.Store.GetHealthAsync(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1), default)).RecordsByType.GetValueOrDefault("customer") == people,
            "every person in the hub");
        foreach (var version in new[] { "1", "2" })
        {
            for (var i = 0; i < people; i++)
            {
                await _hubspot.UpdateAsync("contacts", contacts[i].Id, new Dictionary<string, string?> { ["phone"] = $"+1 555 01{i:D2} v{version}" });
            }
        }

        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.True(_books.Refused > 0, "QuickBooks was called while it was down");
        _books.Down = false;

        for (var i = 0; i < people; i++)
        {
            var email = $"p{i}@burst.example";
            var phone = $"+1 555 01{i:D2} v2";
            await Eventually.TrueAsync(() => (string?)StripeCustomer(email)?["phone"] == phone, $"{email}'s last phone in Stripe", TimeSpan.FromSeconds(60));
            await Eventually.TrueAsync(() => (string?)BooksCustomer(email)?["PrimaryPhone"]?["FreeFormNumber"] == phone, $"{email}'s last phone in QuickBooks", TimeSpan.FromSeconds(60));
        }

        Assert.True(_stripe.Refused >= 6, $"Stripe refused {_stripe.Refused} calls with 429");
        Assert.Equal(people, _stripe.Customers.Count);
        Assert.Equal(people, _books.Customers.Count);
        Assert.Empty(await _hub.Store.QueryDeliveriesAsync(new DeliveryQuery(DeliveryStatus.Dead), default));
        Assert.Empty(_books.SchemaRejections);

        // Nothing is still owed, and the refused attempts really were retried.
        await Eventually.TrueAsync(async () => (await _hub.Store.QueryDeliveriesAsync(new DeliveryQuery(DeliveryStatus.Retrying), default)).Count == 0
            && (await _hub.Store.QueryDeliveriesAsync(new DeliveryQuery(DeliveryStatus.Pending), default)).Count == 0, "nothing owed");
        var toBooks = await _hub.Store.QueryDeliveriesAsync(new DeliveryQuery(System: "quickbooks", Limit: 1000), default);
        Assert.Contains(toBooks, d => d.Attempts > 1);
    }

    public static TheoryData<string, string> ForgedWebhooks() => new()
    {
        { "stripe", "wrong secret" },
        { "stripe", "stale" },
        { "stripe", "tampered" },
        { "hubspot", "wrong secret" },
        { "hubspot", "stale" },
        { "hubspot", "missing" },
        { "quickbooks", "wrong secret" },
        { "quickbooks", "tampered" },
        { "quickbooks", "missing" },
    };

    [Theory]
    [MemberData(nameof(ForgedWebhooks))]
    public async Task AVendorWebhookWithoutItsValidSignature_Is401_AndStoresNothing(string system, string how)
    {
        var now = DateTimeOffset.UtcNow;
        var (body, headers) = system switch
        {
            "stripe" => StripeEvent(now, how),
            "hubspot" => HubSpotEvent(now, how),
            _ => QuickBooksEvent(how),
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{_hub.Url}/hooks/{system}") { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await _hub.Http.SendAsync(request);

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains($"webhook for '{system}' rejected", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var health = await _hub.Store.GetHealthAsync(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5), default);
        Assert.Empty(health.RecordsByType);
        Assert.Empty(await _hub.Store.QueryLogAsync(new LogQuery(), default));
    }

    private static (string, Dictionary<string, string>) StripeEvent(DateTimeOffset now, string how)
    {
        const string body = """{"id":"evt_forged","object":"event","type":"customer.created","created":1767225600,"data":{"object":{"id":"cus_forged","object":"customer","email":"mallory@evil.example","name":"Mallory"}}}""";
        var at = how == "stale" ? now.AddMinutes(-10) : now;
        var secret = how == "wrong secret" ? "whsec_not_it" : Secrets["STRIPE_WHSEC"];
        var ts = at.ToUnixTimeSeconds();
        var signature = Connectors.Stripe.StripeSignature.Sign(secret, ts, System.Text.Encoding.UTF8.GetBytes(body));
        var sent = how == "tampered" ? body.Replace("Mallory", "Mallory2", StringComparison.Ordinal) : body;
        return (sent, new Dictionary<string, string> { ["Stripe-Signature"] = $"t={ts},v1={signature}" });
    }

    private (string, Dictionary<string, string>) HubSpotEvent(DateTimeOffset now, string how)
    {
        const string body = """[{"eventId":1,"subscriptionType":"contact.propertyChange","objectId":77,"propertyName":"email","propertyValue":"mallory@evil.example","occurredAt":1767225600000}]""";
        var at = how == "stale" ? now.AddMinutes(-10) : now;
        var ms = at.ToUnixTimeMilliseconds();
        var secret = how == "wrong secret" ? "not-the-client-secret" : Secrets["HS_CLIENT_SECRET"];
        var headers = new Dictionary<string, string> { ["X-HubSpot-Request-Timestamp"] = ms.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        if (how != "missing")
        {
            headers["X-HubSpot-Signature-v3"] = Connectors.HubSpot.HubSpotSignature.SignV3(secret, "POST", _hubspot.WebhookUrl!, body, ms);
        }

        return (body, headers);
    }

    private (string, Dictionary<string, string>) QuickBooksEvent(string how)
    {
        var body = $$"""[{"specversion":"1.0","id":"forged-1","source":"intuit.com","type":"qbo.customer.deleted.v1","time":"2026-01-01T00:00:00Z","intuitentityid":"1","intuitaccountid":"{{_books.RealmId}}"}]""";
        var secret = how == "wrong secret" ? "not-the-verifier" : Secrets["QB_VERIFIER"];
        var signature = Connectors.QuickBooks.QuickBooksSignature.Sign(secret, System.Text.Encoding.UTF8.GetBytes(body));
        var sent = how == "tampered" ? body.Replace("\"1\"", "\"2\"", StringComparison.Ordinal) : body;
        return (sent, how == "missing" ? [] : new Dictionary<string, string> { ["intuit-signature"] = signature });
    }
}
