using System.Text.Json.Nodes;
using Concord.Connectors.HubSpot;
using Concord.Core.Configuration;

namespace Concord.Connectors.Tests.HubSpot;

/// <summary>
/// <c>customer_object: companies</c> against the sandbox: the hub's customers are written to, read
/// from and archived on HubSpot companies, without an email, and deals associate with them.
/// </summary>
public sealed class HubSpotCustomerCompaniesTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 11, 1, 9, 0, 0, TimeSpan.Zero);
    private HubSpotKit _kit = null!;

    public async Task InitializeAsync() => _kit = await HubSpotKit.StartAsync(yaml: HubSpotKit.CompaniesYaml);

    public async Task DisposeAsync() => await _kit.DisposeAsync();

    [Fact]
    public async Task ANewCustomerWithoutEmail_IsUpsertedAsACompanyByTheHubsId_AndARetryCreatesNothingTwice()
    {
        var delivery = HubSpotKit.Delivery("customer", "rec_acme", """
            {"name":"Acme Corp","company_domain":"acme.test","phone":"+4722334455","address_line1":"1 Main St","city":"Oslo",
             "region":"Oslo","postal_code":"0150","country":"NO","created_at":"2026-01-02T03:04:05Z"}
            """);
        var first = await _kit.Outbound.SendAsync(delivery, default);
        var again = await _kit.Outbound.SendAsync(delivery, default);

        var company = Assert.Single(_kit.Sandbox.All("companies"));
        Assert.Empty(_kit.Sandbox.All("contacts"));
        Assert.Equal(company.Id, first.ExternalId);
        Assert.Equal(company.Id, again.ExternalId);
        Assert.Equal("rec_acme", company["concord_id"]);
        Assert.Equal("Acme Corp", company["name"]);
        Assert.Equal("acme.test", company["domain"]);
        Assert.Equal("1 Main St", company["address"]);
        Assert.Equal("Oslo", company["state"]);
        Assert.Equal("0150", company["zip"]);
        Assert.Null(company["email"]);
        Assert.StartsWith("2026-01-02T03:04:05", company["createdate"], StringComparison.Ordinal);
        Assert.Contains(_kit.Sandbox.Requests, r => r.Method == "POST" && r.PathAndQuery == "/crm/v3/objects/companies/batch/upsert");
    }

    [Fact]
    public async Task AKnownCustomer_IsPatchedOnItsCompany_AndADeleteArchivesIt()
    {
        var company = _kit.Sandbox.Store.Create("companies", new Dictionary<string, string?> { ["name"] = "Bolt AS", ["domain"] = "bolt.test" }, DateTimeOffset.UtcNow);
        var result = await _kit.Outbound.SendAsync(HubSpotKit.Delivery("customer", "rec_bolt", """{"name":"Bolt Group AS","city":null}""", company.Id), default);
        Assert.Equal(company.Id, result.ExternalId);
        Assert.Equal("Bolt Group AS", _kit.Sandbox.Get("companies", company.Id)!["name"]);
        Assert.Equal("bolt.test", _kit.Sandbox.Get("companies", company.Id)!["domain"]);
        Assert.Contains(_kit.Sandbox.Requests, r => r.Method == "PATCH" && r.PathAndQuery == $"/crm/v3/objects/companies/{company.Id}");

        await _kit.Outbound.SendAsync(HubSpotKit.Delivery("customer", "rec_bolt", "{}", company.Id, operation: "delete"), default);
        Assert.Null(_kit.Sandbox.Get("companies", company.Id));
        Assert.Contains(_kit.Sandbox.Requests, r => r.Method == "DELETE" && r.PathAndQuery == $"/crm/v3/objects/companies/{company.Id}");
    }

    [Fact]
    public async Task ADeal_IsAssociatedWithItsCustomersCompany()
    {
        var company = _kit.Sandbox.Store.Create("companies", new Dictionary<string, string?> { ["name"] = "Cyco" }, DateTimeOffset.UtcNow);
        _kit.Links["rec_cyco"] = company.Id;
        var result = await _kit.Outbound.SendAsync(HubSpotKit.Delivery("deal", "rec_deal", """{"name":"Cyco renewal","amount":100,"currency":"usd","stage":"closedwon","customer":"rec_cyco"}"""), default);

        var deal = Assert.Single(_kit.Sandbox.All("deals"));
        Assert.Equal(deal.Id, result.ExternalId);
        Assert.Equal([company.Id], _kit.Sandbox.Store.Associated("deals", deal.Id, "companies"));
        Assert.Empty(_kit.Sandbox.Store.Associated("deals", deal.Id, "contacts"));
    }

    [Fact]
    public async Task TheCompanyType_IsNotSyncedByThisSystem()
    {
        var ex = await Assert.ThrowsAsync<Engine.Connectors.DeliveryFailedException>(() =>
            _kit.Outbound.SendAsync(HubSpotKit.Delivery("company", "rec_x", """{"name":"X","domain":"x.test"}"""), default));
        Assert.False(ex.Retryable);
        Assert.Empty(_kit.Sandbox.All("companies"));
    }

    [Fact]
    public void CompanyWebhooks_BecomeCustomerChanges_AndContactEventsAreNotTheirs()
    {
        var domain = _kit.Sandbox.Event("companies", "propertyChange", "2002");
        domain["propertyName"] = "domain";
        domain["propertyValue"] = "acme.test";
        var name = _kit.Sandbox.Event("companies", "propertyChange", "2002");
        name["propertyName"] = "name";
        name["propertyValue"] = "Acme Corp";
        var contact = _kit.Sandbox.Event("contacts", "propertyChange", "1001");
        contact["propertyName"] = "city";
        contact["propertyValue"] = "Bergen";
        var deleted = _kit.Sandbox.Event("companies", "deletion", "2003");
        var body = new JsonArray(domain, name, contact, deleted).ToJsonString();

        var changes = _kit.Inbound.Receive(HubSpotKit.Webhook(body));
        Assert.Equal(3, changes.Count);
        Assert.All(changes, c => Assert.Equal("customer", c.Change.Type));
        Assert.Equal("acme.test", (string?)changes[0].Change.Fields["company_domain"]);
        Assert.Equal("2002", changes[0].Change.ExternalId);
        Assert.Equal("Acme Corp", (string?)changes[1].Change.Fields["name"]);
        Assert.True(changes[2].Change.Deleted);
        Assert.Equal("2003", changes[2].Change.ExternalId);
        Assert.Empty(_kit.PollRequests);

        _kit.Inbound.Receive(HubSpotKit.Webhook(new JsonArray(_kit.Sandbox.Event("companies", "creation", "2004")).ToJsonString()));
        Assert.Equal(["hubspot"], _kit.PollRequests);
    }

    [Fact]
    public async Task ThePoller_ReadsCompaniesAsCustomersWithoutEmail_AndNoContacts()
    {
        _kit.Sandbox.Store.Create("contacts", new Dictionary<string, string?> { ["email"] = "ann@example.com" }, Start.AddSeconds(1));
        _kit.Sandbox.Store.Create("companies", new Dictionary<string, string?>
        {
            ["name"] = "Acme Corp", ["domain"] = "acme.test", ["state"] = "CA", ["zip"] = "94107", ["lifecyclestage"] = "customer",
        }, Start.AddSeconds(2));
        var poller = _kit.Poller(Start, pageSize: 10);
        Assert.Equal(["companies", "deals"], poller.Streams);

        var page = await poller.PollAsync("companies", null, default);
        var change = Assert.Single(page.Changes).Change;
        Assert.Equal("customer", change.Type);
        Assert.Equal("Acme Corp", (string?)change.Fields["name"]);
        Assert.Equal("acme.test", (string?)change.Fields["company_domain"]);
        Assert.Equal("CA", (string?)change.Fields["region"]);
        Assert.Equal("94107", (string?)change.Fields["postal_code"]);
        Assert.Equal("customer", (string?)change.Fields["lifecycle_stage"]);
        Assert.True(change.Fields.ContainsKey("created_at"));
        Assert.False(change.Fields.ContainsKey("email"));
        await Assert.ThrowsAsync<ArgumentException>(() => poller.PollAsync("contacts", null, default));
    }

    [Fact]
    public async Task TheVerifier_ReadsACompany()
    {
        var result = await _kit.Parts.Verifier!.VerifyAsync(default);
        Assert.True(result.Ok, result.Message);
        Assert.Contains(_kit.Sandbox.Requests, r => r.Method == "GET" && r.PathAndQuery == "/crm/v3/objects/companies?limit=1");
        Assert.DoesNotContain(_kit.Sandbox.Requests, r => r.PathAndQuery.StartsWith("/crm/v3/objects/contacts", StringComparison.Ordinal));
    }

    [Fact]
    public void FieldOverrides_StillApplyToCustomersOnCompanies()
    {
        var system = new SystemConfig { Name = "hubspot", Kind = "hubspot" };
        system.Settings["customer_object"] = new SettingValue("companies", default);
        system.FieldOverrides["customer"] =
        [
            new FieldOverride("tax_id", "properties.vat_number", default),
            new FieldOverride("notes", null, default),
        ];
        var layout = HubSpotLayout.Of(system);
        var map = layout.Maps(system)["customer"];
        var (props, _) = HubSpotRecords.ToVendor(map, new JsonObject { ["name"] = "Acme", ["tax_id"] = "NO123", ["notes"] = "vip" }, new Dictionary<string, string>());
        Assert.Equal("NO123", (string?)props["vat_number"]);
        Assert.Equal("Acme", (string?)props["name"]);
        Assert.False(props.ContainsKey("description"));
        Assert.False(props.ContainsKey("firstname"));
        Assert.Equal(["customer", "deal"], layout.Entities.Select(e => e.Type));
        Assert.Equal("associations.companies|ref", layout.Entities.Single(e => e.Type == "deal").Fields["customer"]);
    }
}
