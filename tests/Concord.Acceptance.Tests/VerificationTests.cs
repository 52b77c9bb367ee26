using System.Net;
using System.Text.Json.Nodes;
using Concord.Engine.Storage;
using Concord.Sandboxes.HubSpot;
using Concord.Sandboxes.Stripe;
using Concord.Testing;

namespace Concord.Acceptance.Tests;

/// <summary>
/// "Last verified" through the real hub against the Stripe and HubSpot sandboxes: customers synced
/// from a CRM, then changed, deleted and added in the sandboxes behind the hub's back; each check
/// must report exactly that drift, record by record, and repair must put the owner's values back.
/// </summary>
public sealed class VerificationTests : IAsyncLifetime
{
    private readonly VendorStack _stack = new();
    private HubHarness _hub = null!;

    private StripeSandbox Stripe => _stack.Stripe;

    private HubSpotSandbox HubSpot => _stack.HubSpot;

    public async Task InitializeAsync()
    {
        await _stack.StartAsync();
        var secrets = new Dictionary<string, string>(VendorStack.Secrets) { ["CRM_SECRET"] = "crm-secret" };
        _hub = await _stack.StartHubAsync($$"""
            version: 1
            {{_stack.HubAndSystemsYaml(slack: false)}}
              crm: { kind: webhook, settings: { secret: { env: CRM_SECRET } } }
            entities:
              customer: { owner: crm, identity: [email] }
            syncs:
              - { system: crm, type: customer, direction: pull }
              - { system: stripe, type: customer, direction: push, fields: [name, email, city] }
              - { system: hubspot, type: customer, direction: push, fields: [name, email, city] }
            verify:
              page_size: 2
              systems:
                stripe: { enabled: false }
                hubspot: { enabled: false }
            """, secrets);
    }

    public async Task DisposeAsync()
    {
        await _hub.DisposeAsync();
        await _stack.DisposeAsync();
    }

    private async Task SyncCustomersAsync(params string[] names)
    {
        foreach (var name in names)
        {
            var fields = new JsonObject { ["email"] = $"{name}@acme.example", ["name"] = $"{char.ToUpperInvariant(name[0])}{name[1..]} Lee", ["city"] = "London" };
            var change = new JsonObject { ["type"] = "customer", ["external_id"] = $"crm-{name}", ["fields"] = fields };
            using var posted = await _hub.PostChangesAsync("crm", change.ToJsonString());
            Assert.True(posted.IsSuccessStatusCode, await posted.Content.ReadAsStringAsync());
        }

        await Eventually.TrueAsync(async () => await _hub.IsQuietAsync() && StripeCustomer(names[^1]) is not null && HubSpotContact(names[^1]) is not null, "the customers in Stripe and HubSpot");
    }

    private JsonObject? StripeCustomer(string name) => Stripe.Customers.SingleOrDefault(c => (string?)c["email"] == $"{name}@acme.example" && c["deleted"] is null);

    private HubSpotRecord? HubSpotContact(string name) => HubSpot.Find("contacts", r => r["email"] == $"{name}@acme.example");

    private async Task<JsonObject> VerifyAsync(string system, bool repair = false)
    {
        using var response = await _hub.Http.PostAsync($"{_hub.Url}/api/v1/verify/{system}/customer{(repair ? "?repair=true" : "")}", null);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"verify {system}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    private static List<(string Kind, string ExternalId)> Drift(JsonObject report) =>
        report["drift"]!.AsArray().Select(d => ((string)d!["kind"]!, (string)d["external_id"]!)).OrderBy(d => d.Item1, StringComparer.Ordinal).ToList();

    [Fact]
    public async Task Stripe_ReportsEachDriftedRecord_AndRepairPutsTheOwnersValuesBack()
    {
        await SyncCustomersAsync("ann", "bob", "cat");
        var ann = (string)StripeCustomer("ann")!["id"]!;
        var bob = (string)StripeCustomer("bob")!["id"]!;

        // Behind the hub's back: a field changed, a customer deleted, one added that the hub never sent.
        await Stripe.UpdateCustomerAsync(ann, new JsonObject { ["address"] = new JsonObject { ["city"] = "Paris" } });
        await Stripe.DeleteCustomerAsync(bob);
        var zed = (string)(await Stripe.CreateCustomerAsync(new JsonObject { ["email"] = "zed@elsewhere.example", ["name"] = "Zed" }))["id"]!;

        var first = await VerifyAsync("stripe");
        Assert.Equal("completed", (string?)first["status"]);
        Assert.Equal([("field_differs", ann), ("missing_in_system", bob), ("unknown_to_hub", zed)], Drift(first));
        var differs = first["drift"]!.AsArray().Single(d => (string)d!["kind"]! == "field_differs")!;
        var field = differs["fields"]!.AsArray().Single()!;
        Assert.Equal("city", (string?)field["field"]);
        Assert.Equal("London", (string?)field["hub"]);
        Assert.Equal("Paris", (string?)field["system"]);
        Assert.NotNull((string?)differs["record_id"]);
        Assert.Null((string?)first["drift"]!.AsArray().Single(d => (string)d!["kind"]! == "unknown_to_hub")!["record_id"]);
        var counts = first["verification"]!;
        Assert.Equal(3, (long)counts["hub_count"]!);
        Assert.Equal(3, (long)counts["system_count"]!);
        Assert.Equal(2, (long)counts["compared"]!);
        Assert.Equal(3, (long)counts["drifted"]!);

        // The stored report says the same, record by record.
        var stored = await _hub.GetJsonAsync("/api/v1/verify/stripe/customer");
        Assert.Equal(Drift(first), Drift(stored.AsObject()));

        // Repair: the owner's values go out as ordinary deliveries; the unknown record is only reported.
        var repaired = await VerifyAsync("stripe", repair: true);
        Assert.Equal(2, (int)repaired["repaired"]!);
        await Eventually.TrueAsync(async () => await _hub.IsQuietAsync() && (string?)StripeCustomer("ann")?["address"]?["city"] == "London" && StripeCustomer("bob") is not null,
            "Ann's city and Bob back in Stripe");
        Assert.NotEqual(bob, (string)StripeCustomer("bob")!["id"]!);
        var repairs = await _hub.Store.QueryDeliveriesAsync(new DeliveryQuery(DeliveryStatus.Succeeded, "stripe"), default);
        Assert.Equal(2, repairs.Count(d => d.IdempotencyKey.Contains(".repair-", StringComparison.Ordinal)));

        // Someone removes the stranger in Stripe: the next check is clean, and newer.
        await Stripe.DeleteCustomerAsync(zed);
        var clean = await VerifyAsync("stripe");
        Assert.Empty(clean["drift"]!.AsArray());
        Assert.Equal(0, (long)clean["verification"]!["drifted"]!);
        Assert.Equal(3, (long)clean["verification"]!["compared"]!);
        Assert.True((DateTimeOffset)clean["verification"]!["last_verified_at"]! > (DateTimeOffset)first["verification"]!["last_verified_at"]!);

        var list = (await _hub.GetJsonAsync("/api/v1/verify")).AsArray();
        var row = list.Single(r => (string)r!["system"]! == "stripe" && (string)r["type"]! == "customer")!;
        Assert.Equal((DateTimeOffset)clean["verification"]!["last_verified_at"]!, (DateTimeOffset)row["last_verified_at"]!);
        Assert.Null((string?)list.Single(r => (string)r!["system"]! == "hubspot")!["last_verified_at"]);
    }

    [Fact]
    public async Task HubSpot_ReportsEachDriftedRecord_WithPersonalDataMasked_AndRepairs()
    {
        await SyncCustomersAsync("ann", "bob", "cat");
        var ann = HubSpotContact("ann")!;
        var bob = HubSpotContact("bob")!;

        HubSpot.Store.Update(ann, new Dictionary<string, string?> { ["firstname"] = "Annabel" }, DateTimeOffset.UtcNow);
        HubSpot.Store.Archive("contacts", bob.Id, DateTimeOffset.UtcNow);
        var zed = HubSpot.Store.Create("contacts", new Dictionary<string, string?> { ["email"] = "zed@elsewhere.example", ["firstname"] = "Zed" }, DateTimeOffset.UtcNow);

        var first = await VerifyAsync("hubspot");
        Assert.Equal([("field_differs", ann.Id), ("missing_in_system", bob.Id), ("unknown_to_hub", zed.Id)], Drift(first));
        var field = first["drift"]!.AsArray().Single(d => (string)d!["kind"]! == "field_differs")!["fields"]!.AsArray().Single()!;
        Assert.Equal("name", (string?)field["field"]);

        // A name is personal data: the report shows enough to recognise it, not the name itself.
        Assert.DoesNotContain("Annabel", field.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain("Ann Lee", field.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal("A*** L***", (string?)field["hub"]);

        var repaired = await VerifyAsync("hubspot", repair: true);
        Assert.Equal(2, (int)repaired["repaired"]!);
        await Eventually.TrueAsync(async () => await _hub.IsQuietAsync() && HubSpot.Get("contacts", ann.Id)?["firstname"] == "Ann" && HubSpotContact("bob") is not null,
            "Ann's name and Bob back in HubSpot");

        HubSpot.Store.Archive("contacts", zed.Id, DateTimeOffset.UtcNow);
        var clean = await VerifyAsync("hubspot");
        Assert.Empty(clean["drift"]!.AsArray());
        Assert.Equal(3, (long)clean["verification"]!["hub_count"]!);
        Assert.Equal(3, (long)clean["verification"]!["system_count"]!);
    }

    [Fact]
    public async Task ARecordWithADeliveryUnderWay_IsNotDrift()
    {
        await SyncCustomersAsync("ann", "bob");
        var ann = (string)StripeCustomer("ann")!["id"]!;
        var annId = (await _hub.Store.SearchAsync("customer", "ann@acme.example", 1, default)).Single().Id;

        // A delivery of Ann's record waits (due in an hour); Stripe's value differs meanwhile.
        await _hub.Store.ExecuteAsync(tx =>
        {
            tx.EnqueueDelivery(new Delivery
            {
                System = "stripe", Type = "customer", RecordId = annId, Version = 1, Operation = "upsert", Payload = """{"city":"London"}""", Changed = """["city"]""",
                IdempotencyKey = "waiting-" + annId, CorrelationId = "test", Status = DeliveryStatus.Retrying,
                CreatedAt = DateTimeOffset.UtcNow, NextAttemptAt = DateTimeOffset.UtcNow.AddHours(1),
            });
            return true;
        }, default);
        await Stripe.UpdateCustomerAsync(ann, new JsonObject { ["address"] = new JsonObject { ["city"] = "Paris" } });

        var report = await VerifyAsync("stripe");
        Assert.Empty(report["drift"]!.AsArray());
        Assert.Equal(1, (long)report["verification"]!["compared"]!);
        Assert.Equal(2, (long)report["verification"]!["system_count"]!);
    }

    [Fact]
    public async Task ASystemWhoseCircuitIsOpen_IsNotChecked()
    {
        await SyncCustomersAsync("ann");
        var breaker = _hub.Hub.Runtime.Dispatcher("stripe")!.Breaker;
        for (var i = 0; i < 10; i++)
        {
            breaker.OnFailure();
        }

        var calls = Stripe.Requests.Count;
        using var response = await _hub.Http.PostAsync($"{_hub.Url}/api/v1/verify/stripe/customer", null);
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("circuit is open", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(calls, Stripe.Requests.Count);
        Assert.Null(await _hub.Store.GetVerificationAsync("stripe", "customer", default));
    }

    [Fact]
    public async Task ASyncThatCannotBeChecked_IsNotFound()
    {
        using var response = await _hub.Http.PostAsync($"{_hub.Url}/api/v1/verify/quickbooks/customer", null);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("stripe/customer", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
