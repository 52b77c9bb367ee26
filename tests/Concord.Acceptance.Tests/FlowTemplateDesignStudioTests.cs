using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Concord.Sandboxes.HubSpot;
using Concord.Sandboxes.QuickBooks;
using Concord.Sandboxes.Slack;
using Concord.Sandboxes.Smtp;
using Concord.Sandboxes.Stripe;
using Concord.Testing;

namespace Concord.Acceptance.Tests;

/// <summary>
/// The design-studio template, exactly as shipped, against the HubSpot, Stripe, QuickBooks and Slack
/// sandboxes, a mail server and a client portal on loopback: a won deal becomes a draft Stripe
/// invoice, its pay-now link is emailed to the client once it is finalized, its payment is posted to
/// QuickBooks once, and a signed contract reaches the portal and makes the client a customer.
/// </summary>
public sealed class FlowTemplateDesignStudioTests : IAsyncLifetime
{
    private const string StudioId = "C0STUDIO01";
    private const string EsignSecret = "esign-webhook-secret";
    private const string PortalPath = "/api/documents";

    private readonly VendorStack _stack = new();
    private readonly SmtpSandbox _mail = new();
    private RecordingSink _portal = null!;
    private HubHarness _hub = null!;

    private HubSpotSandbox _hubspot => _stack.HubSpot;

    private StripeSandbox _stripe => _stack.Stripe;

    private QuickBooksSandbox _books => _stack.QuickBooks;

    private SlackSandbox _slack => _stack.Slack;

    public async Task InitializeAsync()
    {
        await _stack.StartAsync();
        await _mail.StartAsync();
        _portal = await RecordingSink.StartAsync();
        _slack.AddChannel(new SlackChannel(StudioId, "studio"));
        _hub = await FlowTemplateRig.StartAsync(_stack, "design-studio",
            flowSecrets: new Dictionary<string, string> { ["ESIGN_WEBHOOK_SECRET"] = EsignSecret },
            extraSystems: new Dictionary<string, string> { ["mail"] = $"settings: {{ host: {_mail.Host}, port: {_mail.Port}, security: none }}" },
            replace: new Dictionary<string, string> { ["https://portal.studio.example/api/documents"] = _portal.Url + PortalPath });
    }

    public async Task DisposeAsync()
    {
        await _hub.DisposeAsync();
        await _portal.DisposeAsync();
        await _mail.DisposeAsync();
        await _stack.DisposeAsync();
    }

    /// <summary>A client in HubSpot, once the hub has made them a Stripe and a QuickBooks customer.</summary>
    private async Task<(HubSpotRecord Contact, string Stripe, string Books)> ClientAsync(string email, string first, string last)
    {
        var contact = await _hubspot.CreateContactAsync(email, first, last);
        var stripe = await Eventually.GetAsync(() => Task.FromResult(
            _stripe.Customers.SingleOrDefault(c => (string?)c["email"] == email)), $"{email} in Stripe", TimeSpan.FromSeconds(30));
        var books = await Eventually.GetAsync(() => Task.FromResult(
            _books.Customers.SingleOrDefault(c => (string?)c["PrimaryEmailAddr"]?["Address"] == email)), $"{email} in QuickBooks", TimeSpan.FromSeconds(30));
        return (contact, (string)stripe["id"]!, (string)books["Id"]!);
    }

    [Fact]
    public async Task AWonDeal_IsDraftedInStripe_ItsLinkMailedWhenFinalized_AndItsPaymentBookedOnce()
    {
        var (contact, stripeCustomer, booksCustomer) = await ClientAsync("mia@lumen.example", "Mia", "Chen");

        // The studio's sales lead makes the deal from Mia's contact page, and the hub reads it with its client.
        var deal = await _hubspot.CreateAsync("deals",
            new Dictionary<string, string?> { ["dealname"] = "Lumen brand refresh", ["amount"] = "4800", ["dealstage"] = "presentationscheduled" },
            new Dictionary<string, string> { ["contacts"] = contact.Id });
        await Eventually.TrueAsync(async () =>
        {
            var found = (await _hub.GetJsonAsync($"/api/v1/records/deal?q={deal.Id}")).AsArray();
            return found.Count == 1 && found[0]!["values"]?["customer"] is not null;
        }, "the deal in the hub with its client", TimeSpan.FromSeconds(30));
        Assert.Empty(await FlowTemplateRig.RunsAsync(_hub, "won-deal-to-draft-invoice"));

        // Won: a draft Stripe invoice for Mia, for the deal's amount and name, due in 14 days; a note in #studio.
        await _hubspot.UpdateAsync("deals", deal.Id, new Dictionary<string, string?> { ["dealstage"] = "closedwon" });
        var won = Assert.Single(await FlowTemplateRig.FinishedRunsAsync(_hub, "won-deal-to-draft-invoice", 1));
        Assert.True((string?)won["status"] == "succeeded", $"the run ended {(string?)won["status"]}: {(string?)won["error"]}");
        var draft = Assert.Single(_stripe.Invoices);
        Assert.Equal(stripeCustomer, (string?)draft["customer"]);
        Assert.Equal("draft", (string?)draft["status"]);
        Assert.Equal("eur", (string?)draft["currency"]);
        Assert.Equal(480000L, (long)draft["amount_due"]!);
        Assert.Equal("Lumen brand refresh", (string?)draft["description"]);
        Assert.Equal("send_invoice", (string?)draft["collection_method"]);
        var due = DateOnly.FromDateTime(DateTimeOffset.FromUnixTimeSeconds((long)draft["due_date"]!).UtcDateTime);
        Assert.Equal(DateOnly.FromDateTime(DateTime.UtcNow).AddDays(14), due);
        var item = Assert.Single(_stripe.InvoiceItems);
        Assert.Equal((string?)draft["id"], (string?)item["invoice"]);
        Assert.Equal(480000L, (long)item["amount"]!);
        Assert.Equal("Draft invoice for Mia Chen: 4,800.00 EUR for Lumen brand refresh. Review and send it in Stripe.", Assert.Single(_slack.Messages(StudioId)).Text);
        Assert.Empty(_mail.Messages);

        // The studio finalizes the invoice in Stripe: Mia receives the hosted pay-now link by email.
        var finalized = await _stripe.FinalizeInvoiceAsync((string)draft["id"]!);
        var link = (string)finalized["hosted_invoice_url"]!;
        // (Stripe's first word on the new draft, a link not yet there, started a run its condition skipped.)
        var mailed = await FlowTemplateRig.FinishedRunsAsync(_hub, "pay-now-link-to-client", 2);
        Assert.Equal("skipped", (string?)mailed[0]["status"]);
        Assert.True((string?)mailed[1]["status"] == "succeeded", $"the run ended {(string?)mailed[1]["status"]}: {(string?)mailed[1]["error"]}");
        var email = Assert.Single(_mail.Messages);
        Assert.Equal(["mia@lumen.example"], email.Recipients);
        Assert.Equal($"Invoice {(string?)finalized["number"]}: 4,800.00 EUR", email.Subject);
        Assert.Contains("Hello Mia,", email.Text, StringComparison.Ordinal);
        Assert.Contains($"Pay it online: {link}", email.Text, StringComparison.Ordinal);
        Assert.Contains($"due {due.ToString("d MMMM yyyy", CultureInfo.InvariantCulture)}", email.Text, StringComparison.Ordinal);

        // Mia pays: exactly one QuickBooks payment, for the invoice's amount, for her.
        await _stripe.PayInvoiceAsync((string)draft["id"]!);
        // (Finalizing changed the status too, to open: that run was skipped by the flow's condition.)
        var books = await FlowTemplateRig.FinishedRunsAsync(_hub, "paid-invoice-to-books", 2);
        Assert.Equal("skipped", (string?)books[0]["status"]);
        Assert.True((string?)books[1]["status"] == "succeeded", $"the run ended {(string?)books[1]["status"]}: {(string?)books[1]["error"]}");
        await Eventually.TrueAsync(_hub.IsQuietAsync, "every delivery to finish", TimeSpan.FromSeconds(30));
        var payment = Assert.Single(_books.Payments);
        Assert.Equal(4800m, (decimal)payment["TotalAmt"]!);
        Assert.Equal(booksCustomer, (string?)payment["CustomerRef"]?["value"]);

        // The books hold the invoice once, and the payment settles it.
        var invoice = Assert.Single(_books.Invoices);
        Assert.Equal(4800m, (decimal)invoice["TotalAmt"]!);
        Assert.Equal((string?)invoice["Id"], (string?)payment["Line"]?[0]?["LinkedTxn"]?[0]?["TxnId"]);

        // Nothing was sent twice along the way.
        Assert.Single(_stripe.Invoices);
        Assert.Single(_mail.Messages);
        Assert.Single(_slack.Messages(StudioId));
        Assert.Equal(2, (await FlowTemplateRig.RunsAsync(_hub, "paid-invoice-to-books")).Count);
    }

    [Fact]
    public async Task ASignedContract_ReachesThePortalOnce_AndMakesTheClientACustomer_WhileAnUnsignedOneStartsNothing()
    {
        var (contact, _, _) = await ClientAsync("noor@atlas.example", "Noor", "Haddad");
        var body = new JsonObject
        {
            ["event"] = "envelope.completed",
            ["signer"] = new JsonObject { ["email"] = "noor@atlas.example", ["name"] = "Noor Haddad" },
            ["document"] = new JsonObject { ["name"] = "Atlas retainer 2027", ["url"] = "https://esign.example/docs/env_7f3a/signed.pdf" },
            ["completed_at"] = "2026-11-20T14:03:00Z",
        }.ToJsonString();

        // Unsigned, or signed with another secret: 401, and no run.
        using (var unsigned = await FlowTemplateRig.PostFlowHookAsync(_hub, "signed-contract-to-portal", body, secret: null))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, unsigned.StatusCode);
        }

        using (var forged = await FlowTemplateRig.PostFlowHookAsync(_hub, "signed-contract-to-portal", body, "not-the-secret"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        }

        Assert.Empty(await FlowTemplateRig.RunsAsync(_hub, "signed-contract-to-portal"));
        Assert.Empty(_portal.Requests);

        using (var signed = await FlowTemplateRig.PostFlowHookAsync(_hub, "signed-contract-to-portal", body, EsignSecret))
        {
            Assert.Equal(HttpStatusCode.Accepted, signed.StatusCode);
        }

        var run = Assert.Single(await FlowTemplateRig.FinishedRunsAsync(_hub, "signed-contract-to-portal", 1));
        Assert.True((string?)run["status"] == "succeeded", $"the run ended {(string?)run["status"]}: {(string?)run["error"]}");

        // The portal has the document once, with an idempotency key.
        var posted = Assert.Single(_portal.Requests);
        Assert.Equal(PortalPath, posted.Headers["X-Path"]);
        Assert.False(string.IsNullOrEmpty(posted.IdempotencyKey));
        Assert.Equal("noor@atlas.example", (string?)posted.Body["client_email"]);
        Assert.Equal("Atlas retainer 2027", (string?)posted.Body["title"]);
        Assert.Equal("https://esign.example/docs/env_7f3a/signed.pdf", (string?)posted.Body["url"]);
        Assert.Equal("2026-11-20T14:03:00Z", (string?)posted.Body["signed_at"]);

        // HubSpot: the client is a customer now.
        await Eventually.TrueAsync(() => _hubspot.Get("contacts", contact.Id)!["lifecyclestage"] == "customer",
            "the contact's lifecycle stage in HubSpot to be customer", TimeSpan.FromSeconds(30));
    }
}
