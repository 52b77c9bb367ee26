using System.Globalization;
using System.Text.Json.Nodes;
using Concord.Sandboxes.HubSpot;
using Concord.Sandboxes.QuickBooks;
using Concord.Sandboxes.Slack;
using Concord.Sandboxes.Stripe;
using Concord.Testing;

namespace Concord.Acceptance.Tests;

/// <summary>
/// The payment-to-books template, exactly as shipped, against the HubSpot, Stripe, QuickBooks and
/// Slack sandboxes: a card payment in Stripe stamps the HubSpot contact, books one QuickBooks
/// invoice, and tells #finance; a guest's payment is skipped; a second payment is a second invoice;
/// a run replayed after QuickBooks failed for good books nothing twice.
/// </summary>
public sealed class FlowTemplatePaymentToBooksTests : IAsyncLifetime
{
    private const string Flow = "payment-to-books";
    private const string FinanceId = "C0FINANCE1";

    private readonly VendorStack _stack = new();
    private HubHarness _hub = null!;

    private HubSpotSandbox _hubspot => _stack.HubSpot;

    private StripeSandbox _stripe => _stack.Stripe;

    private QuickBooksSandbox _books => _stack.QuickBooks;

    private SlackSandbox _slack => _stack.Slack;

    public async Task InitializeAsync()
    {
        await _stack.StartAsync();
        _slack.AddChannel(new SlackChannel(FinanceId, "finance"));
        _hub = await FlowTemplateRig.StartAsync(_stack, Flow);
    }

    public async Task DisposeAsync()
    {
        await _hub.DisposeAsync();
        await _stack.DisposeAsync();
    }

    /// <summary>A HubSpot contact, once the hub has made it a Stripe and a QuickBooks customer: the ids in each.</summary>
    private async Task<(HubSpotRecord Contact, string Stripe, string Books)> CustomerAsync(string email, string first, string last)
    {
        var contact = await _hubspot.CreateContactAsync(email, first, last);
        var stripe = await Eventually.GetAsync(() => Task.FromResult(
            _stripe.Customers.SingleOrDefault(c => (string?)c["email"] == email)), $"{email} in Stripe", TimeSpan.FromSeconds(30));
        var books = await Eventually.GetAsync(() => Task.FromResult(
            _books.Customers.SingleOrDefault(c => (string?)c["PrimaryEmailAddr"]?["Address"] == email)), $"{email} in QuickBooks", TimeSpan.FromSeconds(30));
        return (contact, (string)stripe["id"]!, (string)books["Id"]!);
    }

    private List<JsonObject> InvoicesOf(string booksCustomer) =>
        _books.Invoices.Where(i => (string?)i["CustomerRef"]?["value"] == booksCustomer).ToList();

    /// <summary>The number the template gives a payment's invoice: <c>PAY-</c> and the end of the hub's payment record id.</summary>
    private static string DocNumber(JsonNode run) => "PAY-" + ((string)run["record_id"]!)[^12..].ToUpperInvariant();

    [Fact]
    public async Task APaymentStampsTheContact_BooksOneInvoice_AndTellsFinance()
    {
        var (contact, stripeCustomer, booksCustomer) = await CustomerAsync("jane@northwind.example", "Jane", "Doe");

        var payment = await _stripe.SimulatePaymentAsync(stripeCustomer, 320000, "eur");
        var run = Assert.Single(await FlowTemplateRig.FinishedRunsAsync(_hub, Flow, 1));
        var runId = (string)run["id"]!;
        Assert.True((string?)run["status"] == "succeeded", $"the run ended {(string?)run["status"]}: {(string?)run["error"]}");

        var detail = await _hub.GetJsonAsync($"/api/v1/runs/{runId}");
        Assert.Equal(["contact", "stamp", "invoice", "tell_finance"], detail["steps"]!.AsArray().Select(s => (string)s!["id"]!));
        Assert.All(detail["steps"]!.AsArray(), s => Assert.Equal("succeeded", (string?)s!["status"]));

        // HubSpot: the contact carries the payment's date and amount.
        var stamped = _hubspot.Get("contacts", contact.Id)!;
        Assert.Equal(DateTimeOffset.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), stamped["last_payment_date"]);
        Assert.Equal(3200m, decimal.Parse(stamped["last_payment_amount"]!, CultureInfo.InvariantCulture));

        // QuickBooks: exactly one invoice for the customer, for the amount, numbered after the payment.
        var invoice = Assert.Single(InvoicesOf(booksCustomer));
        Assert.Equal(3200m, (decimal)invoice["TotalAmt"]!);
        Assert.Equal(DocNumber(run), (string?)invoice["DocNumber"]);

        // Slack: #finance has the message, the money formatted.
        var message = Assert.Single(_slack.Messages(FinanceId));
        Assert.Equal($"Paid: 3,200.00 EUR from Jane Doe (jane@northwind.example). QuickBooks invoice {DocNumber(run)}.", message.Text);

        // The run's history: the deliveries it caused, by its id, and the email masked in its input.
        var log = detail["log"]!.AsArray();
        Assert.All(log, e => Assert.Equal(runId, (string?)e!["correlation_id"]));
        Assert.Contains(log, e => (string?)e!["system"] == "hubspot" && (string?)e["direction"] == "outbound" && (string?)e["result"] == "succeeded");
        Assert.Contains(log, e => (string?)e!["system"] == "quickbooks" && (string?)e["type"] == "invoice" && (string?)e["external_id"] == (string?)invoice["Id"]);
        var input = detail["input"]!.ToJsonString();
        Assert.DoesNotContain("jane@northwind.example", input, StringComparison.Ordinal);
        Assert.NotNull(detail["input"]!["customer"]!["email"]);
    }

    [Fact]
    public async Task AGuestsPaymentIsSkipped_AndASecondPaymentIsASecondInvoice()
    {
        var (_, stripeCustomer, booksCustomer) = await CustomerAsync("sam@contoso.example", "Sam", "Ito");

        // A payment without a Stripe customer (a guest checkout): the flow's condition does not hold.
        await _stripe.SimulatePaymentAsync(null, 5000, "eur");
        var skipped = Assert.Single(await FlowTemplateRig.FinishedRunsAsync(_hub, Flow, 1));
        Assert.Equal("skipped", (string?)skipped["status"]);

        await _stripe.SimulatePaymentAsync(stripeCustomer, 12000, "eur");
        var runs = await FlowTemplateRig.FinishedRunsAsync(_hub, Flow, 2);
        await _stripe.SimulatePaymentAsync(stripeCustomer, 4550, "eur");
        runs = await FlowTemplateRig.FinishedRunsAsync(_hub, Flow, 3);
        Assert.All(runs.Skip(1), r => Assert.True((string?)r["status"] == "succeeded", $"a run ended {(string?)r["status"]}: {(string?)r["error"]}"));

        var invoices = InvoicesOf(booksCustomer).OrderBy(i => (decimal)i["TotalAmt"]!).ToList();
        Assert.Equal([45.5m, 120m], invoices.Select(i => (decimal)i["TotalAmt"]!));
        Assert.Equal([DocNumber(runs[2]), DocNumber(runs[1])], invoices.Select(i => (string?)i["DocNumber"]));
        Assert.Equal(2, _books.Invoices.Count);
        Assert.Equal(2, _slack.Messages(FinanceId).Count);
    }

    [Fact]
    public async Task ARunReplayedAfterQuickBooksFailedForGood_BooksNoSecondInvoice()
    {
        var (_, stripeCustomer, booksCustomer) = await CustomerAsync("lee@fabrikam.example", "Lee", "Park");

        // The company's QuickBooks subscription has lapsed: QuickBooks refuses the invoice for good,
        // its delivery is dead, and the run fails at that step.
        _books.SubscriptionLapsed = true;
        await _stripe.SimulatePaymentAsync(stripeCustomer, 99900, "usd");
        var run = Assert.Single(await FlowTemplateRig.FinishedRunsAsync(_hub, Flow, 1));
        var runId = (string)run["id"]!;
        Assert.Equal("failed", (string?)run["status"]);
        Assert.Equal("invoice", (string?)run["step"]);
        Assert.Contains("6190", (string?)run["error"], StringComparison.Ordinal);
        Assert.Empty(InvoicesOf(booksCustomer));
        Assert.Empty(_slack.Messages(FinanceId));

        // Renewed. As the run's error says: replay the dead deliveries (the invoice, and the contact's
        // stamp, which QuickBooks refused too), then the run. QuickBooks gets the invoice once, the
        // step does not write it again, and the run goes on to #finance.
        _books.SubscriptionLapsed = false;
        var dead = (await _hub.GetJsonAsync("/api/v1/deliveries?status=dead")).AsArray();
        Assert.Contains(dead, d => (string?)d!["type"] == "invoice" && (string?)d["correlation_id"] == runId);
        foreach (var delivery in dead)
        {
            using var redeliver = await _hub.Http.PostAsync($"{_hub.Url}/api/v1/deliveries/{(long)delivery!["id"]!}/replay", null);
            Assert.True(redeliver.IsSuccessStatusCode, $"the delivery's replay answered {(int)redeliver.StatusCode}");
        }

        using (var replay = await _hub.Http.PostAsync($"{_hub.Url}/api/v1/runs/{runId}/replay", null))
        {
            Assert.True(replay.IsSuccessStatusCode, $"the run's replay answered {(int)replay.StatusCode}: {await replay.Content.ReadAsStringAsync()}");
        }

        var detail = await FlowTemplateRig.RunInStatusAsync(_hub, runId, "succeeded");
        Assert.Equal(1, (int)detail["run"]!["replays"]!);

        var invoice = Assert.Single(InvoicesOf(booksCustomer));
        Assert.Equal(999m, (decimal)invoice["TotalAmt"]!);
        Assert.Equal(DocNumber(run), (string?)invoice["DocNumber"]);
        Assert.Equal((string?)invoice["Id"], (string?)FlowTemplateRig.Step(detail, "invoice")["output"]!["external_id"]);
        Assert.Single(_slack.Messages(FinanceId));

        // A second replay is refused: the run succeeded.
        using var again = await _hub.Http.PostAsync($"{_hub.Url}/api/v1/runs/{runId}/replay", null);
        Assert.Equal(System.Net.HttpStatusCode.Conflict, again.StatusCode);
        await Eventually.TrueAsync(_hub.IsQuietAsync, "every delivery to finish");
        Assert.Single(InvoicesOf(booksCustomer));
    }
}
