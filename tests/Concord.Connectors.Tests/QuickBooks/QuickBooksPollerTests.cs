using System.Globalization;
using System.Text.Json.Nodes;
using Concord.Testing;

namespace Concord.Connectors.Tests.QuickBooks;

public sealed class QuickBooksPollerTests : IAsyncLifetime
{
    private QuickBooksRig _rig = null!;

    public async Task InitializeAsync() => _rig = await QuickBooksRig.StartAsync();

    public async Task DisposeAsync() => await _rig.DisposeAsync();

    private static string Iso(DateTimeOffset at) => at.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    [Fact]
    public async Task TheFirstPoll_StartsFromNow_WithoutBackfilling()
    {
        await _rig.Sandbox.CreateCustomerAsync("Old One");
        await Task.Delay(20);
        var page = await _rig.Poller.PollAsync("cdc", null, default);
        Assert.Empty(page.Changes);
        Assert.False(page.More);
        var next = await _rig.Poller.PollAsync("cdc", page.Cursor, default);
        Assert.DoesNotContain(next.Changes, c => c.Change.ExternalId == "1");
    }

    [Fact]
    public async Task Pages_ContinueFromTheLastTimestamp_AndAResumedCursor_NeitherSkipsNorRepeats()
    {
        var start = Iso(DateTimeOffset.UtcNow.AddSeconds(-1));
        var ids = new List<string>();
        for (var i = 0; i < 1003; i++)
        {
            ids.Add((await _rig.Sandbox.CreateCustomerAsync($"Customer {i}", $"c{i}@example.com"))["Id"]!.ToString());
        }

        var seen = new Dictionary<string, string>(); // event id -> external id
        var cursor = start;
        var pages = 0;
        var cursors = new List<string>();
        while (true)
        {
            var page = await _rig.Poller.PollAsync("cdc", cursor, default);
            pages++;
            foreach (var c in page.Changes)
            {
                seen.TryAdd(c.Change.EventId, c.Change.ExternalId!);
            }

            cursors.Add(page.Cursor);
            cursor = page.Cursor;
            if (!page.More)
            {
                break;
            }

            Assert.True(pages < 10, "paging ends");
        }

        Assert.Equal(ids.Order(), seen.Values.Order());
        Assert.Equal(2, pages); // 1,000 objects, then the rest from the last one's timestamp
        Assert.Equal("customer", (await _rig.Poller.PollAsync("cdc", start, default)).Changes[0].Change.Type);

        // Resuming from a saved middle cursor: everything after it comes, under the same event ids.
        var resumed = await _rig.Poller.PollAsync("cdc", cursors[0], default);
        Assert.All(resumed.Changes, c => Assert.True(seen.ContainsKey(c.Change.EventId), $"{c.Change.EventId} is one of the events read before"));
        Assert.Contains(resumed.Changes, c => c.Change.ExternalId == ids[1002]);
        Assert.DoesNotContain(resumed.Changes, c => c.Change.ExternalId == ids[0]);
    }

    [Fact]
    public async Task AFullResponseCutPerEntityType_DoesNotSkipTheTypeThatWasCut()
    {
        _rig.Sandbox.CdcCutsPerEntity = true;
        var start = Iso(DateTimeOffset.UtcNow.AddSeconds(-1));
        var payer = (await _rig.Sandbox.CreateCustomerAsync("Payer", "payer@example.com"))["Id"]!.ToString();
        var invoices = new List<string>();
        for (var i = 0; i < 600; i++)
        {
            invoices.Add((await _rig.Sandbox.CreateInvoiceAsync(payer, 10 + i))["Id"]!.ToString());
        }

        for (var i = 0; i < 600; i++)
        {
            await _rig.Sandbox.CreateCustomerAsync($"Later {i}", $"later{i}@example.com");
        }

        // Customers come first and fill most of the first response: the newest customer is far
        // newer than the last invoice that fitted, and the invoices after it must still be read.
        var seen = new HashSet<string>();
        var cursor = start;
        for (var pages = 0; ; pages++)
        {
            Assert.True(pages < 10, "paging ends");
            var page = await _rig.Poller.PollAsync("cdc", cursor, default);
            seen.UnionWith(page.Changes.Where(c => c.Change.Type == "invoice").Select(c => c.Change.ExternalId!));
            cursor = page.Cursor;
            if (!page.More)
            {
                break;
            }
        }

        Assert.Equal(invoices.Order(), seen.Order());
    }

    [Fact]
    public async Task Changes_CarryTheFields_AndAnInactiveCustomerOrDeletedInvoice_IsADeletion()
    {
        var start = Iso(DateTimeOffset.UtcNow.AddSeconds(-1));
        var ann = await _rig.Sandbox.CreateCustomerAsync("Ann", "ann@example.com", new JsonObject { ["BillAddr"] = new JsonObject { ["City"] = "Austin" } });
        var invoice = await _rig.Sandbox.CreateInvoiceAsync(ann["Id"]!.ToString(), 75m, "INV-1");
        await _rig.Sandbox.DeleteInvoiceAsync(invoice["Id"]!.ToString());
        await _rig.Sandbox.DeactivateCustomerAsync(ann["Id"]!.ToString());

        var page = await _rig.Poller.PollAsync("cdc", start, default);

        var customer = Assert.Single(page.Changes, c => c.Change.Type == "customer");
        Assert.True(customer.Change.Deleted);
        var gone = Assert.Single(page.Changes, c => c.Change.Type == "invoice");
        Assert.True(gone.Change.Deleted);
        Assert.Equal(invoice["Id"]!.ToString(), gone.Change.ExternalId);
        Assert.All(page.Changes, c => Assert.Equal("poll", c.Via));
    }

    [Fact]
    public async Task AnInvoice_ArrivesWithItsCustomersQuickBooksId_AndAmounts()
    {
        var start = Iso(DateTimeOffset.UtcNow.AddSeconds(-1));
        var ann = await _rig.Sandbox.CreateCustomerAsync("Ann", "ann@example.com");
        await _rig.Sandbox.CreateInvoiceAsync(ann["Id"]!.ToString(), 75m, "INV-1");
        var page = await _rig.Poller.PollAsync("cdc", start, default);
        var fields = JsonNode.Parse(Assert.Single(page.Changes, c => c.Change.Type == "invoice").Payload)!["fields"]!;
        Assert.Equal(ann["Id"]!.ToString(), fields["customer"]!.ToString());
        Assert.Equal(75m, fields["amount"]!.GetValue<decimal>());
        Assert.Equal("INV-1", fields["number"]!.ToString());
    }

    [Fact]
    public async Task ACursorOlderThanThirtyDays_IsCaughtUpWithQueries()
    {
        var ann = await _rig.Sandbox.CreateCustomerAsync("Ann", "ann@example.com");
        var page = await _rig.Poller.PollAsync("cdc", Iso(DateTimeOffset.UtcNow.AddDays(-31)), default);
        Assert.Contains(page.Changes, c => c.Change.ExternalId == ann["Id"]!.ToString());
        Assert.Contains(_rig.Sandbox.Requests, r => r.PathAndQuery.Contains("/query?", StringComparison.Ordinal));
        Assert.DoesNotContain(_rig.Sandbox.Requests, r => r.PathAndQuery.Contains("/cdc?", StringComparison.Ordinal));
    }
}
