using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Concord.Core.Records;
using Concord.Engine.Storage;
using Concord.Sandboxes.HubSpot;
using Concord.Sandboxes.QuickBooks;
using Concord.Sandboxes.Stripe;
using Concord.Testing;

namespace Concord.Acceptance.Tests;

/// <summary>
/// The story Concord exists for. Acme Corp is in HubSpot three times (three reps: "Acme Corp",
/// "ACME Corporation", "Acme Corp." with a typo in its domain) and in Stripe twice (finance and
/// operations each set it up), and both Stripe customers pay $2,000 a month for the same plan;
/// the invoices reach QuickBooks for one of them. After the first sync the hub holds one golden
/// customer linked to all five source records, raises a double-billing alert naming both
/// subscriptions, and the customer's 360 lists every invoice and payment with its ids in each
/// system. Undoing a merge restores that record exactly.
/// </summary>
public sealed class AcmeScenarioTests : IAsyncLifetime
{
    private readonly VendorStack _stack = new();
    private HubHarness _hub = null!;

    private HubSpotSandbox _hubspot => _stack.HubSpot;

    private StripeSandbox _stripe => _stack.Stripe;

    private QuickBooksSandbox _books => _stack.QuickBooks;

    public async Task InitializeAsync()
    {
        await _stack.StartAsync();
        _hub = await _stack.StartHubAsync($$"""
            version: 1
            {{_stack.HubAndSystemsYaml("customer_object: companies", slack: false)}}
            entities:
              customer:
                owner: hubspot
                fill_in: true
                matching: { model: company }
              subscription: { owner: stripe }
              invoice: { owner: stripe }
              payment: { owner: stripe }
            syncs:
              - { system: hubspot, type: customer, direction: pull }
              - { system: stripe, type: customer, direction: pull }
              - { system: quickbooks, type: customer, direction: push }
              - { system: stripe, type: subscription, direction: pull }
              - { system: stripe, type: invoice, direction: pull }
              - { system: quickbooks, type: invoice, direction: push }
              - { system: stripe, type: payment, direction: pull }
              - { system: quickbooks, type: payment, direction: push }
            """);
    }

    public async Task DisposeAsync()
    {
        await _hub.DisposeAsync();
        await _stack.DisposeAsync();
    }

    private Task<HubSpotRecord> CompanyAsync(string name, string domain, string? phone) =>
        _hubspot.CreateAsync("companies", new Dictionary<string, string?> { ["name"] = name, ["domain"] = domain, ["phone"] = phone, ["city"] = "Springfield" });

    [Fact]
    public async Task AcmeIsFoundOnDayOne_BilledTwiceIsAnAlert_AndEveryMergeCanBeUndone()
    {
        // Three sales reps, three HubSpot companies.
        var h1 = await CompanyAsync("Acme Corp", "acme.com", "+1 217 555 0100");
        var h2 = await CompanyAsync("ACME Corporation", "acme.com", null);
        var h3 = await CompanyAsync("Acme Corp.", "acmee.com", "(217) 555-0100");

        await Eventually.TrueAsync(async () =>
        {
            var found = (await _hub.GetJsonAsync("/api/v1/records/customer?q=acme")).AsArray();
            return found.Count == 1 && Links(found[0]!).Count(l => l.StartsWith("hubspot:", StringComparison.Ordinal)) == 3;
        }, "the three HubSpot companies as one customer", TimeSpan.FromSeconds(60));

        // Finance and operations each made Acme a Stripe customer, each on $2,000 a month.
        var finance = await _stripe.CreateCustomerAsync(new JsonObject { ["name"] = "Acme Corp", ["email"] = "finance@acme.com" });
        var operations = await _stripe.CreateCustomerAsync(new JsonObject { ["name"] = "ACME Corporation", ["email"] = "ops@acme.com" });
        var sub1 = await _stripe.CreateSubscriptionAsync((string)finance["id"]!, "price_acme_pro_monthly", 200000, "usd", "month");
        var sub2 = await _stripe.CreateSubscriptionAsync((string)operations["id"]!, "price_acme_pro_monthly", 200000, "usd", "month");

        // Invoices and a payment for one of them, which reach QuickBooks.
        var invoice1 = await _stripe.CreateInvoiceAsync((string)finance["id"]!, 200000, "usd", "Acme Pro, month 1");
        await _stripe.FinalizeInvoiceAsync((string)invoice1["id"]!);
        await _stripe.PayInvoiceAsync((string)invoice1["id"]!);
        var invoice2 = await _stripe.CreateInvoiceAsync((string)finance["id"]!, 200000, "usd", "Acme Pro, month 2");
        await _stripe.FinalizeInvoiceAsync((string)invoice2["id"]!);

        // One golden customer, linked to all five source records.
        var sources = new[] { "hubspot:" + h1.Id, "hubspot:" + h2.Id, "hubspot:" + h3.Id, "stripe:" + (string)finance["id"]!, "stripe:" + (string)operations["id"]! };
        var golden = await Eventually.GetAsync(async () =>
        {
            var found = await _hub.GetJsonAsync("/api/v1/records/customer?q=acme");
            return found.AsArray().Count == 1 && Links(found[0]!).IsSupersetOf(sources) ? (string?)found[0]!["id"] : null;
        }, "one golden Acme with all five source records", TimeSpan.FromSeconds(60));

        // Billed twice: an alert naming both subscriptions.
        var subscriptions = new[] { (string)sub1["id"]!, (string)sub2["id"]! };
        var alert = await Eventually.GetAsync(async () =>
            (await _hub.GetJsonAsync("/api/v1/findings?kind=double-billing")).AsArray().SingleOrDefault(), "a double-billing alert", TimeSpan.FromSeconds(30));
        Assert.Equal("alert", (string?)alert!["severity"]);
        var named = new[] { (string)alert["record_id"]!, (string)alert["other_record_id"]! };
        var namedLinks = new List<string>();
        foreach (var id in named)
        {
            namedLinks.AddRange(Links(await _hub.GetJsonAsync($"/api/v1/records/subscription/{id}")));
        }

        Assert.Equal(subscriptions.Select(s => "stripe:" + s).Order(), namedLinks.Where(l => l.StartsWith("stripe:", StringComparison.Ordinal)).Order());

        // The customer 360: both invoices and the payment, each with its id in Stripe and in QuickBooks.
        var invoices = new[] { (string)invoice1["id"]!, (string)invoice2["id"]! };
        await Eventually.TrueAsync(async () =>
        {
            var related = await _hub.GetJsonAsync($"/api/v1/records/customer/{golden}/related");
            return Systems(related, "invoice", "stripe").Order().SequenceEqual(invoices.Order())
                && Systems(related, "invoice", "quickbooks").Count == 2
                && Systems(related, "payment", "stripe").Count >= 1 && Systems(related, "payment", "quickbooks").Count == Systems(related, "payment", "stripe").Count
                && Systems(related, "subscription", "stripe").Order().SequenceEqual(subscriptions.Order());
        }, "the 360 lists every invoice and payment with its ids in Stripe and QuickBooks, and both subscriptions", TimeSpan.FromSeconds(60));
        Assert.Equal(2, _books.Invoices.Count);

        // Undo the last merge: that record comes back exactly as it was, with its own link and subscription.
        var merges = (await _hub.Store.GetMergesAsync(golden!, default)).Where(m => m.UndoneAt is null).OrderBy(m => m.MergedAt).ToList();
        Assert.Equal(4, merges.Count);
        var last = merges[^1];
        using var undo = await _hub.Http.PostAsync($"{_hub.Url}/api/v1/merges/{last.Id}/undo", null);
        Assert.Equal(HttpStatusCode.OK, undo.StatusCode);

        var restored = (await _hub.Store.GetRecordAsync(last.AbsorbedId, default))!;
        var snapshot = JsonSerializer.Deserialize<GoldenRecord>(last.Absorbed, JsonText.Options)!;
        Assert.Equal(JsonSerializer.Serialize(snapshot, JsonText.Options), JsonSerializer.Serialize(restored, JsonText.Options));
        Assert.Equal(last.AbsorbedLinks.Select(l => l.ExternalId).Order(), (await _hub.Store.GetLinksAsync(last.AbsorbedId, default)).Select(l => l.ExternalId).Order());

        // Operations' customer, the last to be merged, is on its own again: its subscription goes
        // with it, no one is billed twice, and Stripe no longer holds the golden customer twice.
        Assert.Equal(["stripe:" + (string)operations["id"]!], last.AbsorbedLinks.Select(l => $"{l.System}:{l.ExternalId}"));
        var itsSubscription = Assert.Single(await _hub.Store.FindReferencingAsync(last.AbsorbedId, 10, default));
        Assert.Contains("stripe:" + (string)sub2["id"]!, Links(await _hub.GetJsonAsync($"/api/v1/records/subscription/{itsSubscription.Id}")));
        Assert.Empty((await _hub.GetJsonAsync("/api/v1/findings?kind=double-billing")).AsArray());
        Assert.DoesNotContain((await _hub.GetJsonAsync("/api/v1/findings?kind=duplicate-in-system")).AsArray(), f => (string?)f!["system"] == "stripe");
    }

    private static HashSet<string> Links(JsonNode record) =>
        record["links"]!.AsArray().Select(l => $"{(string)l!["system"]!}:{(string)l["external_id"]!}").ToHashSet(StringComparer.Ordinal);

    /// <summary>The ids in <paramref name="system"/> of the related records of <paramref name="type"/>.</summary>
    private static List<string> Systems(JsonNode related, string type, string system) =>
        (related[type]?.AsArray() ?? []).SelectMany(r => r!["links"]!.AsArray())
            .Where(l => (string?)l!["system"] == system).Select(l => (string)l!["external_id"]!).ToList();
}
