using System.Net;
using System.Text.Json.Nodes;
using Concord.Sandboxes.QuickBooks;
using Concord.Testing;

namespace Concord.Connectors.Tests.QuickBooks;

/// <summary>QuickBooks through a real hub: a person's change in QuickBooks reaches the hub, and a change posted to the hub reaches QuickBooks.</summary>
public sealed class QuickBooksHubTests : IAsyncLifetime
{
    private QuickBooksSandbox _qbo = null!;
    private HubHarness _hub = null!;

    public async Task InitializeAsync()
    {
        _qbo = new QuickBooksSandbox("qbo");
        await _qbo.StartAsync();
        _hub = await HubHarness.StartAsync(QuickBooksRig.Yaml(_qbo), QuickBooksRig.Secrets);
        _qbo.HubUrl = _hub.Url;
        // The first poll sets the feed's starting point; changes after it are read.
        await Eventually.TrueAsync(() => _hub.Hub.Runtime.Pollers["qbo"].LastPolledAt is not null, "the first poll");
    }

    public async Task DisposeAsync()
    {
        await _hub.DisposeAsync();
        await _qbo.DisposeAsync();
    }

    [Fact]
    public async Task ACustomerAddedInQuickBooks_ReachesTheHub_AndOnePostedToTheHub_ReachesQuickBooks()
    {
        await Task.Delay(20);
        var ann = await _qbo.CreateCustomerAsync("Ann Lee", "ann@example.com", new JsonObject { ["BillAddr"] = new JsonObject { ["City"] = "Austin" } });
        var record = await Eventually.GetAsync(async () =>
        {
            var list = (await _hub.GetJsonAsync("/api/v1/records/customer?q=ann@example.com")).AsArray();
            return list.FirstOrDefault(r => r?["values"]?["email"]?.ToString() == "ann@example.com");
        }, "ann in the hub");
        Assert.Equal("Austin", record!["values"]!["city"]!.ToString());
        Assert.Contains(record["links"]!.AsArray(), l => l!["system"]!.ToString() == "qbo" && l["external_id"]!.ToString() == ann["Id"]!.ToString());

        var posted = await _hub.PostChangesAsync("crm", """{"type":"customer","external_id":"crm-2","event_id":"crm-e2","fields":{"name":"Bo Diaz","email":"bo@example.com","phone":"+1 555 0101"}}""");
        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        var bo = await Eventually.GetAsync(() => Task.FromResult(_qbo.Customers.FirstOrDefault(c => c["PrimaryEmailAddr"]?["Address"]?.ToString() == "bo@example.com")), "bo in QuickBooks");
        Assert.Equal("Bo Diaz", bo["DisplayName"]!.ToString());
        Assert.Equal("+1 555 0101", bo["PrimaryPhone"]!["FreeFormNumber"]!.ToString());
        Assert.Equal(2, _qbo.Customers.Count);
        Assert.True(_qbo.WebhooksSent >= 1);
    }

    [Fact]
    public async Task AnInvoicePostedToTheHub_WaitsForItsCustomer_ThenNamesItsQuickBooksId()
    {
        var response = await _hub.PostChangesAsync("crm", """
            {"changes":[
              {"type":"customer","external_id":"crm-9","event_id":"crm-e9","fields":{"name":"Cy Park","email":"cy@example.com"}},
              {"type":"invoice","external_id":"crm-inv-1","event_id":"crm-e10","fields":{"number":"INV-100","customer":"crm-9","amount":250.0}}
            ]}
            """);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var invoice = await Eventually.GetAsync(() => Task.FromResult(_qbo.Invoices.FirstOrDefault(i => i["DocNumber"]?.ToString() == "INV-100")), "the invoice in QuickBooks");
        var cy = Assert.Single(_qbo.Customers);
        Assert.Equal(cy["Id"]!.ToString(), invoice["CustomerRef"]!["value"]!.ToString());
        Assert.Equal(250m, invoice["TotalAmt"]!.GetValue<decimal>());
    }
}
