using System.Text.Json.Nodes;
using Concord.Engine.Connectors;

namespace Concord.Connectors.Tests.QuickBooks;

public sealed class QuickBooksOutboundTests : IAsyncLifetime
{
    private QuickBooksRig _rig = null!;

    public async Task InitializeAsync() => _rig = await QuickBooksRig.StartAsync();

    public async Task DisposeAsync() => await _rig.DisposeAsync();

    [Fact]
    public async Task Create_ThenUpdate_ThenDelete_ChangesTheCustomerInQuickBooks()
    {
        var created = await _rig.Outbound.SendAsync(QuickBooksRig.Delivery("customer", new JsonObject { ["name"] = "Ann Lee", ["email"] = "ann@example.com", ["city"] = "Austin" }), default);
        var id = Assert.IsType<string>(created.ExternalId);
        var stored = _rig.Sandbox.Get("Customer", id)!;
        Assert.Equal("Ann Lee", stored["DisplayName"]!.ToString());
        Assert.Equal("Austin", stored["BillAddr"]!["City"]!.ToString());

        await _rig.Outbound.SendAsync(QuickBooksRig.Delivery("customer", new JsonObject { ["name"] = "Ann Lee", ["phone"] = "+1 555 0100" }, id), default);
        stored = _rig.Sandbox.Get("Customer", id)!;
        Assert.Equal("+1 555 0100", stored["PrimaryPhone"]!["FreeFormNumber"]!.ToString());
        Assert.Equal("Austin", stored["BillAddr"]!["City"]!.ToString()); // sparse: what was not sent stays
        Assert.Equal("1", stored["SyncToken"]!.ToString());

        await _rig.Outbound.SendAsync(QuickBooksRig.Delivery("customer", [], id, "delete"), default);
        Assert.False(_rig.Sandbox.Get("Customer", id)!["Active"]!.GetValue<bool>());
        Assert.Single(_rig.Sandbox.Customers);
        Assert.All(_rig.Sandbox.Requests.Where(r => r.PathAndQuery.StartsWith("/v3/", StringComparison.Ordinal)),
            r => Assert.Contains("minorversion=75", r.PathAndQuery, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ARepeatedAttempt_WithTheSameIdempotencyKey_CreatesNothingTwice()
    {
        var delivery = QuickBooksRig.Delivery("customer", new JsonObject { ["name"] = "Bo", ["email"] = "bo@example.com" }, key: new string('k', 80));
        var first = await _rig.Outbound.SendAsync(delivery, default);
        var second = await _rig.Outbound.SendAsync(delivery, default);
        Assert.Equal(first.ExternalId, second.ExternalId);
        Assert.Single(_rig.Sandbox.Customers);
        var requestIds = _rig.Sandbox.Requests.Where(r => r.Method == "POST" && r.PathAndQuery.Contains("/customer?", StringComparison.Ordinal))
            .Select(r => System.Web.HttpUtility.ParseQueryString(r.PathAndQuery.Split('?')[1])["requestid"]!).ToList();
        Assert.Equal(2, requestIds.Count);
        Assert.Equal(requestIds[0], requestIds[1]);
        Assert.True(requestIds[0].Length <= 50, "an 80-character key is hashed to QuickBooks' 50");
    }

    [Fact]
    public async Task AStaleSyncToken_IsReReadAndTheUpdateSentOnce_More()
    {
        var created = await _rig.Outbound.SendAsync(QuickBooksRig.Delivery("customer", new JsonObject { ["name"] = "Cy" }), default);
        // A person edits it in QuickBooks: the connector's remembered SyncToken is now stale.
        await _rig.Sandbox.UpdateCustomerAsync(created.ExternalId!, new JsonObject { ["Notes"] = "called" });

        await _rig.Outbound.SendAsync(QuickBooksRig.Delivery("customer", new JsonObject { ["name"] = "Cy Young" }, created.ExternalId), default);

        var stored = _rig.Sandbox.Get("Customer", created.ExternalId!)!;
        Assert.Equal("Cy Young", stored["DisplayName"]!.ToString());
        Assert.Equal("called", stored["Notes"]!.ToString());
        Assert.Equal("2", stored["SyncToken"]!.ToString());
        Assert.Contains(_rig.Sandbox.Requests, r => r.Method == "GET" && r.PathAndQuery.Contains($"/customer/{created.ExternalId}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Invoice_GetsOneSalesLine_ForItsAmount_AndItsCustomersQuickBooksId()
    {
        var customer = await _rig.Sandbox.CreateCustomerAsync("Dee");
        _rig.Links.Ids["rec_dee"] = customer["Id"]!.ToString();
        var result = await _rig.Outbound.SendAsync(QuickBooksRig.Delivery("invoice", new JsonObject
        {
            ["number"] = "INV-7", ["customer"] = "rec_dee", ["amount"] = 120.5m, ["amount_due"] = 99m, ["due_date"] = "2026-12-01", ["description"] = "Consulting",
        }), default);

        var invoice = _rig.Sandbox.Get("Invoice", result.ExternalId!)!;
        Assert.Equal(customer["Id"]!.ToString(), invoice["CustomerRef"]!["value"]!.ToString());
        Assert.Equal(120.5m, invoice["TotalAmt"]!.GetValue<decimal>());
        Assert.Equal(120.5m, invoice["Balance"]!.GetValue<decimal>()); // computed by QuickBooks, not sent
        Assert.Equal("1", invoice["Line"]![0]!["SalesItemLineDetail"]!["ItemRef"]!["value"]!.ToString());
        Assert.Equal("Consulting", invoice["PrivateNote"]!.ToString());

        await _rig.Outbound.SendAsync(QuickBooksRig.Delivery("invoice", [], result.ExternalId, "delete"), default);
        Assert.Null(_rig.Sandbox.Get("Invoice", result.ExternalId!));
    }

    [Fact]
    public async Task Payment_ForAnInvoice_LinksItAndReducesTheBalance()
    {
        var customer = await _rig.Sandbox.CreateCustomerAsync("Eve");
        var invoice = await _rig.Sandbox.CreateInvoiceAsync(customer["Id"]!.ToString(), 100m);
        _rig.Links.Ids["rec_eve"] = customer["Id"]!.ToString();
        _rig.Links.Ids["rec_inv"] = invoice["Id"]!.ToString();
        var result = await _rig.Outbound.SendAsync(QuickBooksRig.Delivery("payment", new JsonObject { ["amount"] = 40m, ["customer"] = "rec_eve", ["invoice"] = "rec_inv" }), default);

        var payment = _rig.Sandbox.Get("Payment", result.ExternalId!)!;
        Assert.Equal("Invoice", payment["Line"]![0]!["LinkedTxn"]![0]!["TxnType"]!.ToString());
        Assert.Equal(60m, _rig.Sandbox.Get("Invoice", invoice["Id"]!.ToString())!["Balance"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task AnInvoiceForACustomerNotInQuickBooksYet_IsDeferred()
    {
        var ex = await Assert.ThrowsAsync<DeliveryFailedException>(() =>
            _rig.Outbound.SendAsync(QuickBooksRig.Delivery("invoice", new JsonObject { ["customer"] = "rec_unknown", ["amount"] = 5m }), default));
        Assert.True(ex.IsDeferred);
        Assert.Contains("rec_unknown", ex.Message, StringComparison.Ordinal);
        Assert.Empty(_rig.Sandbox.Invoices);
    }

    [Fact]
    public async Task ADuplicateDisplayName_IsNotRetryable_AndSaysSo()
    {
        await _rig.Sandbox.CreateCustomerAsync("Fay");
        var ex = await Assert.ThrowsAsync<DeliveryFailedException>(() => _rig.Outbound.SendAsync(QuickBooksRig.Delivery("customer", new JsonObject { ["name"] = "Fay" }), default));
        Assert.False(ex.Retryable);
        Assert.Equal(400, ex.StatusCode);
        Assert.Contains("already has this name", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A429_HoldsTheSystem_ForQuickBooksMinute()
    {
        await _rig.Verifier.VerifyAsync(default);
        _rig.Sandbox.Throttle(1, TimeSpan.FromSeconds(60));
        var ex = await Assert.ThrowsAsync<DeliveryFailedException>(() => _rig.Outbound.SendAsync(QuickBooksRig.Delivery("customer", new JsonObject { ["name"] = "Gil" }), default));
        Assert.True(ex.Retryable);
        Assert.True(ex.HoldsSystem);
        Assert.Equal(TimeSpan.FromSeconds(60), ex.RetryAfter);
        Assert.Contains("ThrottleExceeded", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnOutage_IsRetryable_AndCreatesNothing()
    {
        // Take a token first, so the outage meets the API call rather than the token endpoint.
        await _rig.Verifier.VerifyAsync(default);
        _rig.Sandbox.Down = true;
        var ex = await Assert.ThrowsAsync<DeliveryFailedException>(() => _rig.Outbound.SendAsync(QuickBooksRig.Delivery("customer", new JsonObject { ["name"] = "Hal" }), default));
        Assert.True(ex.Retryable);
        Assert.Equal(503, ex.StatusCode);
        Assert.False(ex.HoldsSystem);
        _rig.Sandbox.Down = false;
        Assert.Empty(_rig.Sandbox.Customers);
    }

    [Fact]
    public async Task ACompanyWhoseSubscriptionLapsed_RefusesWritesForGood_UntilItIsRenewed()
    {
        _rig.Sandbox.SubscriptionLapsed = true;
        var delivery = QuickBooksRig.Delivery("customer", new JsonObject { ["name"] = "Ivy" });
        var ex = await Assert.ThrowsAsync<DeliveryFailedException>(() => _rig.Outbound.SendAsync(delivery, default));
        Assert.False(ex.Retryable);
        Assert.Equal(400, ex.StatusCode);
        Assert.Contains("6190", ex.Message, StringComparison.Ordinal);
        Assert.Empty(_rig.Sandbox.Customers);

        _rig.Sandbox.SubscriptionLapsed = false;
        await _rig.Outbound.SendAsync(delivery, default);
        Assert.Equal("Ivy", (string?)Assert.Single(_rig.Sandbox.Customers)["DisplayName"]);
    }
}
