using System.Net;
using System.Text.Json.Nodes;
using Concord.Sandboxes.HubSpot;
using Concord.Sandboxes.Slack;
using Concord.Sandboxes.Stripe;
using Concord.Testing;

namespace Concord.Acceptance.Tests;

/// <summary>
/// The invoice-from-text template, exactly as shipped, against the HubSpot, Stripe and Slack
/// sandboxes: a signed sentence becomes a draft Stripe invoice for the customer it names (not for a
/// look-alike), with #billing told; a sentence naming two customers fails at the draft with the
/// parser's reason and creates nothing.
/// </summary>
public sealed class FlowTemplateInvoiceFromTextTests : IAsyncLifetime
{
    private const string Flow = "invoice-from-text";
    private const string BillingId = "C0BILLING1";
    private const string Secret = "invoice-text-secret";

    private readonly VendorStack _stack = new();
    private HubHarness _hub = null!;

    private HubSpotSandbox _hubspot => _stack.HubSpot;

    private StripeSandbox _stripe => _stack.Stripe;

    private SlackSandbox _slack => _stack.Slack;

    public async Task InitializeAsync()
    {
        await _stack.StartAsync();
        _slack.AddChannel(new SlackChannel(BillingId, "billing"));
        _hub = await FlowTemplateRig.StartAsync(_stack, Flow, flowSecrets: new Dictionary<string, string> { ["INVOICE_TEXT_SECRET"] = Secret });
    }

    public async Task DisposeAsync()
    {
        await _hub.DisposeAsync();
        await _stack.DisposeAsync();
    }

    /// <summary>A contact at <paramref name="company"/> in HubSpot, once the hub has made them a Stripe customer: the Stripe id.</summary>
    private async Task<string> CustomerAsync(string email, string first, string last, string company)
    {
        await _hubspot.CreateAsync("contacts", new Dictionary<string, string?> { ["email"] = email, ["firstname"] = first, ["lastname"] = last, ["company"] = company });
        var stripe = await Eventually.GetAsync(() => Task.FromResult(
            _stripe.Customers.SingleOrDefault(c => (string?)c["email"] == email)), $"{email} in Stripe", TimeSpan.FromSeconds(30));
        return (string)stripe["id"]!;
    }

    private async Task<JsonNode> PostAsync(string text)
    {
        using var response = await FlowTemplateRig.PostFlowHookAsync(_hub, Flow, new JsonObject { ["text"] = text }.ToJsonString(), Secret);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return Assert.Single(await FlowTemplateRig.FinishedRunsAsync(_hub, Flow, 1));
    }

    [Fact]
    public async Task ASentence_BecomesADraftInvoiceForTheCustomerItNames_AndBillingIsTold()
    {
        var northwind = await CustomerAsync("ap@northwind.example", "Dana", "Reyes", "Northwind Traders");
        var lookAlike = await CustomerAsync("orders@northwinds.example", "Lou", "Park", "Northwinds Supply");

        var run = await PostAsync("Invoice Northwind $3,200 for brand refresh, due in 14 days");
        Assert.True((string?)run["status"] == "succeeded", $"the run ended {(string?)run["status"]}: {(string?)run["error"]}");

        // Stripe: one draft, for Northwind (not the look-alike), USD 3,200.00, due 14 days from today where the template counts days.
        var invoice = Assert.Single(_stripe.Invoices);
        Assert.Equal(northwind, (string?)invoice["customer"]);
        Assert.NotEqual(lookAlike, (string?)invoice["customer"]);
        Assert.Equal("draft", (string?)invoice["status"]);
        Assert.Equal("usd", (string?)invoice["currency"]);
        Assert.Equal("brand refresh", (string?)invoice["description"]);
        var item = Assert.Single(_stripe.InvoiceItems);
        Assert.Equal((string?)invoice["id"], (string?)item["invoice"]);
        Assert.Equal(320000L, (long)item["amount"]!);
        Assert.Equal("usd", (string?)item["currency"]);
        Assert.Equal(320000L, (long)invoice["amount_due"]!);
        var amsterdam = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");
        var due = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, amsterdam).DateTime).AddDays(14);
        Assert.Equal(due, DateOnly.FromDateTime(DateTimeOffset.FromUnixTimeSeconds((long)invoice["due_date"]!).UtcDateTime));

        // Slack: #billing has the message.
        var message = Assert.Single(_slack.Messages(BillingId));
        Assert.Equal($"Draft invoice for Dana Reyes: 3,200.00 USD, due {due:yyyy-MM-dd}. Review it in Stripe.", message.Text);

        // The hub holds that one invoice, linked to the Stripe draft.
        await Eventually.TrueAsync(_hub.IsQuietAsync, "every delivery to finish");
        var golden = Assert.Single((await _hub.GetJsonAsync($"/api/v1/records/invoice?q={(string)invoice["id"]!}")).AsArray());
        Assert.Equal(3200m, (decimal)golden!["values"]!["amount"]!);
    }

    [Fact]
    public async Task AnAmbiguousSentence_FailsAtTheDraftWithTheParsersReason_AndCreatesNothing()
    {
        await CustomerAsync("ap@northwind.example", "Dana", "Reyes", "Northwind Traders");
        await CustomerAsync("ops@northwindlogistics.example", "Ravi", "Shah", "Northwind Logistics");

        var run = await PostAsync("Invoice Northwind $900 for pallet racking");
        Assert.Equal("failed", (string?)run["status"]);
        Assert.Equal("draft", (string?)run["step"]);
        Assert.Contains("two customers match 'Northwind'", (string?)run["error"], StringComparison.Ordinal);
        Assert.Contains("say which", (string?)run["error"], StringComparison.Ordinal);

        var detail = await _hub.GetJsonAsync($"/api/v1/runs/{(string)run["id"]!}");
        Assert.Equal(["draft"], detail["steps"]!.AsArray().Select(s => (string)s!["id"]!));
        Assert.Empty(_stripe.Invoices);
        Assert.Empty(_stripe.InvoiceItems);
        Assert.Empty(_slack.Messages(BillingId));
        Assert.DoesNotContain(await _hub.Store.QueryDeliveriesAsync(new Concord.Engine.Storage.DeliveryQuery(), default), d => d.Type == "invoice");
    }
}
