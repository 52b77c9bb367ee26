using System.Text.Json.Nodes;

namespace Concord.Connectors.Tests.QuickBooks;

public sealed class ReviewTests : IAsyncLifetime
{
    private QuickBooksRig _rig = null!;

    public async Task InitializeAsync() => _rig = await QuickBooksRig.StartAsync();

    public async Task DisposeAsync() => await _rig.DisposeAsync();

    [Fact]
    public async Task An_update_that_does_not_change_the_amount_keeps_the_invoices_own_lines()
    {
        var customer = await _rig.Sandbox.CreateCustomerAsync("Ivy");
        _rig.Links.Ids["rec_ivy"] = customer["Id"]!.ToString();
        var invoice = await _rig.Sandbox.CreateInvoiceAsync(customer["Id"]!.ToString(), 100m);
        var id = invoice["Id"]!.ToString();
        await _rig.Sandbox.UpdateInvoiceAsync(id, new JsonObject
        {
            ["Line"] = new JsonArray(
                new JsonObject { ["Amount"] = 60m, ["Description"] = "Design", ["DetailType"] = "SalesItemLineDetail", ["SalesItemLineDetail"] = new JsonObject { ["ItemRef"] = new JsonObject { ["value"] = "1" } } },
                new JsonObject { ["Amount"] = 40m, ["Description"] = "Build", ["DetailType"] = "SalesItemLineDetail", ["SalesItemLineDetail"] = new JsonObject { ["ItemRef"] = new JsonObject { ["value"] = "1" } } }),
        });

        // The hub delivers the record's whole state; only the description changed.
        var delivery = QuickBooksRig.Delivery("invoice", new JsonObject { ["customer"] = "rec_ivy", ["amount"] = 100m, ["description"] = "note" }, id) with { Changed = """["description"]""" };
        await _rig.Outbound.SendAsync(delivery, default);

        var lines = (_rig.Sandbox.Get("Invoice", id)!["Line"] as JsonArray)!.OfType<JsonObject>().Where(l => (string?)l["DetailType"] == "SalesItemLineDetail").ToList();
        Assert.Equal(2, lines.Count);
    }
}
