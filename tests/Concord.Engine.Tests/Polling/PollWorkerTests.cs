using System.Text.Json.Nodes;
using Concord.Core.Records;
using Concord.Engine.Connectors;
using Concord.Engine.Polling;
using Concord.Engine.Storage;
using Concord.Storage.Sqlite;
using Concord.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Concord.Engine.Tests.Polling;

public sealed class PollWorkerTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private readonly ManualTimeProvider _time = new();
    private SqliteHubStore _store = null!;

    public async Task InitializeAsync()
    {
        _store = new SqliteHubStore(_dir.File("hub.db"), durable: false, _time);
        await _store.InitializeAsync(default);
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        _dir.Dispose();
    }

    /// <summary>A feed of numbered pages of two changes each; the cursor is the last page read.</summary>
    private sealed class PagedFeed(int pages, ManualTimeProvider time) : IPoller
    {
        public List<string?> AskedWith { get; } = [];

        public IReadOnlyList<string> Streams => ["contacts"];

        public TimeSpan Interval => TimeSpan.FromMinutes(1);

        public Task<PollPage> PollAsync(string stream, string? cursor, CancellationToken cancellationToken)
        {
            AskedWith.Add(cursor);
            var page = cursor is null ? 1 : int.Parse(cursor, System.Globalization.CultureInfo.InvariantCulture) + 1;
            if (page > pages)
            {
                return Task.FromResult(new PollPage([], cursor!, More: false));
            }

            var changes = Enumerable.Range(0, 2).Select(i =>
            {
                var id = $"c{page}-{i}";
                return new InboundChange("chg_" + id, new Change("crm", "customer", id, "evt_" + id, time.GetUtcNow(),
                    new Dictionary<string, JsonNode?> { ["email"] = id + "@example.com" }), "{}", time.GetUtcNow(), "poll");
            }).ToList();
            return Task.FromResult(new PollPage(changes, page.ToString(System.Globalization.CultureInfo.InvariantCulture), More: page < pages));
        }
    }

    private async Task<List<string>> InboxAsync()
    {
        var seen = new List<string>();
        await _store.ProcessInboxAsync(1000, (tx, batch) =>
        {
            foreach (var p in batch)
            {
                seen.Add(p.Inbound.Change.EventId);
                tx.CompleteChange(p.Sequence, "no-op", null, null);
            }
        }, default);
        return seen;
    }

    [Fact]
    public async Task ReadsEveryPage_AndSavesTheCursorWithEach()
    {
        var feed = new PagedFeed(3, _time);
        var worker = new PollWorker("crm", feed, _store, (changes, cursor, ct) => _store.AppendPolledAsync(changes, cursor, (_, _) => { }, ct), _time, NullLogger.Instance);

        await worker.PollOnceAsync(default);

        Assert.Equal([null, "1", "2"], feed.AskedWith);
        Assert.Equal("3", await _store.GetCursorAsync("crm", "contacts", default));
        Assert.Equal(6, (await InboxAsync()).Count);
    }

    [Fact]
    public async Task AfterAFailedPage_ItResumesAtThatPage_NeitherSkippingNorRepeating()
    {
        var feed = new PagedFeed(3, _time);
        var calls = 0;
        Task Accept(IReadOnlyList<InboundChange> changes, PollCursor cursor, CancellationToken ct) =>
            ++calls == 2
                ? throw new IOException("disk full")
                : _store.AppendPolledAsync(changes, cursor, (_, _) => { }, ct);
        var worker = new PollWorker("crm", feed, _store, Accept, _time, NullLogger.Instance);

        await Assert.ThrowsAsync<IOException>(() => worker.PollOnceAsync(default));
        Assert.Equal("1", await _store.GetCursorAsync("crm", "contacts", default));

        await worker.PollOnceAsync(default);

        Assert.Equal([null, "1", "1", "2"], feed.AskedWith);
        var events = await InboxAsync();
        Assert.Equal(["evt_c1-0", "evt_c1-1", "evt_c2-0", "evt_c2-1", "evt_c3-0", "evt_c3-1"], events);
    }
}
