using Concord.Engine.Storage;

namespace Concord.Connectors.Tests.HubSpot;

/// <summary>Search polling: pages, cursors that resume exactly, ties at one time, and the result window.</summary>
public sealed class HubSpotPollerTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 11, 1, 9, 0, 0, TimeSpan.Zero);
    private HubSpotKit _kit = null!;

    public async Task InitializeAsync() => _kit = await HubSpotKit.StartAsync();

    public async Task DisposeAsync() => await _kit.DisposeAsync();

    private void Contacts(int count, Func<int, DateTimeOffset> at)
    {
        for (var i = 0; i < count; i++)
        {
            _kit.Sandbox.Store.Create("contacts", new Dictionary<string, string?> { ["email"] = $"p{i}@example.com", ["firstname"] = $"P{i}" }, at(i));
        }
    }

    /// <summary>Reads the feed to its end from <paramref name="cursor"/>, as the hub does; every page's cursor is returned.</summary>
    private static async Task<(List<InboundChange> Changes, List<string> Cursors)> DrainAsync(Connectors.HubSpot.HubSpotPoller poller, string? cursor, int maxPages = 50)
    {
        var changes = new List<InboundChange>();
        var cursors = new List<string>();
        for (var i = 0; i < maxPages; i++)
        {
            var page = await poller.PollAsync("contacts", cursor, default);
            changes.AddRange(page.Changes);
            cursor = page.Cursor;
            cursors.Add(cursor);
            if (!page.More)
            {
                return (changes, cursors);
            }
        }

        throw new InvalidOperationException("the feed never ended");
    }

    [Fact]
    public async Task TheFeed_IsReadInPages_AndASavedCursorResumesWithoutSkippingOrRepeating()
    {
        Contacts(7, i => Start.AddSeconds(i));
        var poller = _kit.Poller(Start, pageSize: 3);

        var (all, cursors) = await DrainAsync(poller, null);
        Assert.Equal(Enumerable.Range(0, 7).Select(i => $"p{i}@example.com"), all.Select(c => (string?)c.Change.Fields["email"]));
        Assert.Equal(7, all.Select(c => c.Change.EventId).Distinct().Count());
        Assert.All(all, c => Assert.Equal("poll", c.Via));
        Assert.Equal("P0", (string?)all[0].Change.Fields["name"]);

        // Resuming from the first page's cursor reads exactly what followed it.
        var (rest, _) = await DrainAsync(poller, cursors[0]);
        Assert.Equal(all.Skip(3).Select(c => c.Change.EventId), rest.Select(c => c.Change.EventId));

        // At the end nothing is read again, and a later edit is read once.
        Assert.Empty((await DrainAsync(poller, cursors[^1])).Changes);
        var edited = _kit.Sandbox.All("contacts")[2];
        _kit.Sandbox.Store.Update(edited, new Dictionary<string, string?> { ["city"] = "Tromsø" }, Start.AddMinutes(5));
        var after = Assert.Single((await DrainAsync(poller, cursors[^1])).Changes);
        Assert.Equal(edited.Id, after.Change.ExternalId);
        Assert.Equal("Tromsø", (string?)after.Change.Fields["city"]);
    }

    [Fact]
    public async Task RecordsSharingOneModificationTime_AreAllRead_OnceEach()
    {
        Contacts(8, i => i < 6 ? Start : Start.AddSeconds(1));
        var poller = _kit.Poller(Start, pageSize: 2);
        var (all, _) = await DrainAsync(poller, null);
        Assert.Equal(8, all.Count);
        Assert.Equal(8, all.Select(c => c.Change.ExternalId).Distinct().Count());
    }

    [Fact]
    public async Task MoreRecordsThanSearchsResultWindow_AreAllRead_BecauseTheWindowSlides()
    {
        _kit.Sandbox.SearchWindow = 5;
        Contacts(13, i => Start.AddSeconds(i));
        var poller = _kit.Poller(Start, pageSize: 3);
        var (all, _) = await DrainAsync(poller, null);
        Assert.Equal(13, all.Select(c => c.Change.ExternalId).Distinct().Count());
        Assert.Equal(13, all.Count);

        // The sandbox enforces the window: paging past it is refused as HubSpot refuses it.
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, _kit.Sandbox.Url + "/crm/v3/objects/contacts/search")
        {
            Content = new StringContent("""{"limit":3,"after":"6"}""", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new("Bearer", HubSpotKit.Token);
        using var response = await http.SendAsync(request);
        Assert.Equal(400, (int)response.StatusCode);
    }

    [Fact]
    public async Task ADealsContact_IsReadFromItsAssociations_InBatchesHubSpotAccepts()
    {
        // Search answers without associations; more deals than one batch read takes, half with a contact.
        var contact = _kit.Sandbox.Store.Create("contacts", new Dictionary<string, string?> { ["email"] = "ann@example.com" }, Start);
        var other = _kit.Sandbox.Store.Create("contacts", new Dictionary<string, string?> { ["email"] = "bo@example.com" }, Start);
        var deals = new List<string>();
        for (var i = 0; i < 150; i++)
        {
            var deal = _kit.Sandbox.Store.Create("deals", new Dictionary<string, string?> { ["dealname"] = $"Deal {i}", ["dealstage"] = "appointmentscheduled" }, Start.AddSeconds(1));
            deals.Add(deal.Id);
            if (i % 2 == 0)
            {
                _kit.Sandbox.Store.Associate("deals", deal.Id, "contacts", i % 4 == 0 ? contact.Id : other.Id);
            }
        }

        var poller = _kit.Poller(Start, pageSize: 150);
        var page = await poller.PollAsync("deals", null, default);
        var read = page.Changes.ToDictionary(c => c.Change.ExternalId!, c => c.Change.Fields);
        Assert.Equal(150, read.Count);
        for (var i = 0; i < 150; i++)
        {
            Assert.Equal(i % 2 != 0 ? null : i % 4 == 0 ? contact.Id : other.Id, (string?)read[deals[i]].GetValueOrDefault("customer"));
        }

        Assert.Equal(2, _kit.Sandbox.Requests.Count(r => r.PathAndQuery.StartsWith("/crm/v4/associations/deals/contacts/batch/read", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task TheFirstPoll_StartsFromNow_NotFromAllHistory()
    {
        Contacts(3, i => DateTimeOffset.UtcNow.AddDays(-1));
        var poller = (Connectors.HubSpot.HubSpotPoller)_kit.Parts.Poller!;
        var page = await poller.PollAsync("contacts", null, default);
        Assert.Empty(page.Changes);
        Assert.Equal(["contacts", "companies", "deals"], poller.Streams);
    }

    [Fact]
    public async Task SearchCalls_AreSpacedForHubSpotsSearchLimit()
    {
        Contacts(9, i => Start.AddSeconds(i));
        var poller = _kit.Poller(Start, pageSize: 2);
        await DrainAsync(poller, null);
        var searches = _kit.Sandbox.Requests.Where(r => r.PathAndQuery.EndsWith("/search", StringComparison.Ordinal)).ToList();
        Assert.True(searches.Count >= 5);
        for (var i = 1; i < searches.Count; i++)
        {
            Assert.True(searches[i].At - searches[i - 1].At >= TimeSpan.FromMilliseconds(240), $"search {i} came {(searches[i].At - searches[i - 1].At).TotalMilliseconds} ms after the one before");
        }
    }
}
