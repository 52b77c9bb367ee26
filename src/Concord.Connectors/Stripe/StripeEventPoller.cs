using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Concord.Engine.Connectors;
using Concord.Engine.Storage;

namespace Concord.Connectors.Stripe;

/// <summary>
/// Reads Stripe's event feed (<c>GET /v1/events</c>, kept by Stripe for 30 days) forwards in time.
/// Stripe lists newest first; <c>ending_before=&lt;id&gt;</c> returns the page of events just newer
/// than that event, still newest first. So the cursor is the id of the newest event already
/// handed to the hub: each page is the events right after it, given to the hub oldest first, and
/// the page's newest event becomes the next cursor. The hub stores the cursor with the page's
/// changes in one transaction, so a crash resumes exactly after the last stored page.
/// <para>
/// Cursor forms: <c>evt_…</c> (after that event) or <c>since:&lt;unix&gt;</c> (from that time, when the
/// feed had no event yet on the first run). A first run starts from now: from the newest event
/// there is, without reading history.
/// </para>
/// </summary>
public sealed class StripeEventPoller(StripeClient client, StripeEventReader reader, TimeProvider time, TimeSpan interval, int pageSize = 100) : IPoller
{
    public const string Stream = "events";

    /// <summary>
    /// The events read (at most 20, Stripe's limit for <c>types[]</c>, which takes exact names).
    /// Subscriptions are the <c>customer.subscription.*</c> events.
    /// </summary>
    public static readonly IReadOnlyList<string> EventTypes =
    [
        "customer.created", "customer.updated", "customer.deleted",
        "customer.subscription.created", "customer.subscription.updated", "customer.subscription.deleted",
        "invoice.created", "invoice.updated", "invoice.deleted", "invoice.finalized", "invoice.paid", "invoice.voided",
        "invoice.payment_failed", "invoice.marked_uncollectible",
        "payment_intent.created", "payment_intent.succeeded", "payment_intent.payment_failed", "payment_intent.canceled",
        "payment_intent.processing", "payment_intent.amount_capturable_updated",
    ];

    private const string SincePrefix = "since:";

    private const int MaxWalk = 1000;

    public IReadOnlyList<string> Streams { get; } = [Stream];

    public TimeSpan Interval => interval;

    public async Task<PollPage> PollAsync(string stream, string? cursor, CancellationToken cancellationToken)
    {
        if (cursor is null)
        {
            return await StartAsync(cancellationToken);
        }

        if (cursor.StartsWith(SincePrefix, StringComparison.Ordinal))
        {
            return await FromTimeAsync(cursor, cancellationToken);
        }

        var page = await ListAsync($"ending_before={StripeClient.Escape(cursor)}", pageSize, cancellationToken);
        return Page(page, cursor);
    }

    /// <summary>The first run: the newest event is where reading starts; with none yet, the current time is.</summary>
    private async Task<PollPage> StartAsync(CancellationToken cancellationToken)
    {
        var newest = await ListAsync(null, 1, cancellationToken);
        var start = newest.Data.Count > 0
            ? newest.Data[0]
            : SincePrefix + time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return new PollPage([], start, More: false);
    }

    /// <summary>
    /// Events since a time: Stripe gives the newest page first, so page back (starting_after) to
    /// the oldest page and hand over that one; later pages follow by id. Only a feed that was
    /// empty on the first run is read this way, so the walk is short.
    /// </summary>
    private async Task<PollPage> FromTimeAsync(string cursor, CancellationToken cancellationToken)
    {
        var since = cursor[SincePrefix.Length..];
        var filter = $"created[gte]={StripeClient.Escape(since)}";
        var page = await ListAsync(filter, pageSize, cancellationToken);
        for (var walked = 0; page.HasMore && page.Data.Count > 0; walked++)
        {
            var older = await ListAsync($"{filter}&starting_after={StripeClient.Escape(page.Data[^1])}", pageSize, cancellationToken);

            // A page that does not move further back (an empty one, or a mock answering the same
            // page again) ends the walk, as does a bound far beyond 30 days of a small account's events.
            if (older.Data.Count == 0 || older.Data[^1] == page.Data[^1] || walked >= MaxWalk)
            {
                page = page with { HasMore = false };
                break;
            }

            page = older;
        }

        // After the oldest page, newer events exist exactly when the walk went back at least once.
        var first = await ListAsync(filter, 1, cancellationToken);
        var more = page.Data.Count > 0 && first.Data.Count > 0 && first.Data[0] != page.Data[0];
        return Page(page, cursor) with { More = more };
    }

    private PollPage Page(EventList page, string cursor)
    {
        var changes = new List<InboundChange>(page.Events.Count);

        // Oldest first, as they happened.
        for (var i = page.Events.Count - 1; i >= 0; i--)
        {
            if (reader.Read(page.Events[i], "poll") is { } change)
            {
                changes.Add(change);
            }
        }

        return new PollPage(changes, page.Data.Count > 0 ? page.Data[0] : cursor, page.HasMore);
    }

    private async Task<EventList> ListAsync(string? query, int limit, CancellationToken cancellationToken)
    {
        var path = new StringBuilder("/v1/events?limit=").Append(limit.ToString(CultureInfo.InvariantCulture));
        foreach (var type in EventTypes)
        {
            path.Append("&types[]=").Append(StripeClient.Escape(type));
        }

        if (query is not null)
        {
            path.Append('&').Append(query);
        }

        var answer = await client.GetAsync(path.ToString(), "list events", cancellationToken);
        var events = (answer.Json?["data"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        var ids = events.Select(e => e["id"]?.GetValue<string>()).OfType<string>().ToList();
        var hasMore = answer.Json?["has_more"] is JsonValue h && h.TryGetValue<bool>(out var more) && more;
        return new EventList(events, ids, hasMore);
    }

    private sealed record EventList(IReadOnlyList<JsonObject> Events, IReadOnlyList<string> Data, bool HasMore);
}
