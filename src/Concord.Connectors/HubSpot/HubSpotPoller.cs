using System.Globalization;
using System.Text.Json.Nodes;
using Concord.Core.Configuration;
using Concord.Core.Mapping;
using Concord.Engine.Connectors;
using Concord.Engine.Storage;

namespace Concord.Connectors.HubSpot;

/// <summary>
/// Reads contacts, companies and deals changed since the cursor with CRM search: the last-modified
/// property GTE the cursor's time, ascending. Each page starts a new query at the newest time it
/// read (the window slides every page) instead of paging deeper with <c>after</c>: a record edited
/// while the feed is read moves to the end of the order, and offset paging would then skip the
/// record that slid into its place; sliding also keeps every query far below search's 10,000-result
/// cap. Records at the cursor's time that were already read are stepped over by id, so a resumed
/// cursor neither skips nor repeats. Search has its own limit (about 4 calls a second per token),
/// so calls are spaced at least <see cref="SearchSpacing"/> apart. Search returns no associations:
/// the ones a type's reference fields read (a deal's contact) are fetched for each page (see
/// <see cref="HubSpotAssociations"/>).
/// </summary>
public sealed class HubSpotPoller(SystemConfig system, HubSpotLayout layout, HubSpotClient client, HubSpotChanges changes, TimeProvider time, TimeSpan interval, DateTimeOffset? pollFrom, int pageSize = 100) : IPoller
{
    /// <summary>The most results one search may reach with <c>after</c>.</summary>
    public const int SearchWindow = 10_000;

    public static readonly TimeSpan SearchSpacing = TimeSpan.FromMilliseconds(250);

    private readonly Dictionary<string, FieldMap> _maps = layout.Maps(system);
    private readonly HubSpotAssociations _associations = new(client);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private DateTimeOffset _lastSearch = DateTimeOffset.MinValue;

    public IReadOnlyList<string> Streams { get; } = layout.Objects.Select(o => o.Object).ToArray();

    public TimeSpan Interval => interval;

    public async Task<PollPage> PollAsync(string stream, string? cursor, CancellationToken cancellationToken)
    {
        var obj = layout.ForObject(stream) ?? throw new ArgumentException($"unknown HubSpot stream '{stream}'", nameof(stream));
        var at = cursor is null
            ? new HubSpotCursor((pollFrom ?? time.GetUtcNow()).ToUnixTimeMilliseconds(), 0, [])
            : HubSpotCursor.Parse(cursor);
        if (at.Offset + pageSize > SearchWindow)
        {
            throw new InvalidOperationException($"more than {SearchWindow} HubSpot {stream} share the modification time {at.Since}: search cannot page past them");
        }

        var (results, limit) = await SearchAsync(obj, at, cancellationToken);
        await _associations.AddAsync(obj, _maps[obj.Type], results.OfType<JsonObject>().ToList(), cancellationToken);
        var seen = at.Seen.ToHashSet(StringComparer.Ordinal);
        var list = new List<InboundChange>();
        var read = new List<(string Id, long Modified)>();
        foreach (var item in results.OfType<JsonObject>())
        {
            if (item["id"]?.ToString() is not { } id || Modified(item, obj) is not { } modified)
            {
                continue;
            }

            read.Add((id, modified));
            if (modified == at.Since && seen.Contains(id))
            {
                continue;
            }

            var fields = HubSpotRecords.ToCanonical(_maps[obj.Type], item);
            if (changes.Build(obj.Type, id, $"hs-{obj.Singular}-{id}-{modified.ToString(CultureInfo.InvariantCulture)}", DateTimeOffset.FromUnixTimeMilliseconds(modified), fields, deleted: false, "poll") is { } change)
            {
                // A polled object is whole (every property the hub asks for): its shape is learned.
                list.Add(change with { VendorObject = item });
            }
        }

        return new PollPage(list, Next(at, read).ToString(), More: results.Count >= limit);
    }

    private static HubSpotCursor Next(HubSpotCursor at, List<(string Id, long Modified)> read)
    {
        if (read.Count == 0)
        {
            return at;
        }

        var newest = read.Max(r => r.Modified);
        var atNewest = read.Where(r => r.Modified == newest).Select(r => r.Id);
        if (newest == at.Since)
        {
            // The whole page shares the cursor's time: step over it with after next time.
            return new HubSpotCursor(at.Since, at.Offset + read.Count, at.Seen.Concat(atNewest).Distinct().TakeLast(200).ToList());
        }

        return new HubSpotCursor(newest, 0, atNewest.ToList());
    }

    private async Task<(JsonArray Results, int Limit)> SearchAsync(HubSpotObject obj, HubSpotCursor at, CancellationToken ct)
    {
        // Already-read records at the cursor's time come back first; ask for enough to get past them.
        var limit = Math.Min(200, pageSize + (at.Offset == 0 ? at.Seen.Count : 0));
        var body = new JsonObject
        {
            ["filterGroups"] = new JsonArray(new JsonObject
            {
                ["filters"] = new JsonArray(new JsonObject
                {
                    ["propertyName"] = obj.ModifiedProperty,
                    ["operator"] = "GTE",
                    ["value"] = at.Since.ToString(CultureInfo.InvariantCulture),
                }),
            }),
            // The spec's form of a sort: a property name, ascending ("-name" would be descending).
            ["sorts"] = new JsonArray(obj.ModifiedProperty),
            ["properties"] = new JsonArray(Properties(obj).Select(p => (JsonNode)JsonValue.Create(p)).ToArray()),
            ["limit"] = limit,

            // The v3 spec requires after; "0" is the first result.
            ["after"] = at.Offset.ToString(CultureInfo.InvariantCulture),
        };

        // One search at a time, each starting SearchSpacing after the previous one finished: spacing
        // from the finish keeps the calls apart as HubSpot sees them, whatever the network adds.
        await _gate.WaitAsync(ct);
        try
        {
            var wait = _lastSearch + SearchSpacing - time.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, time, ct);
            }

            var response = await client.PostAsync($"{HubSpotClient.ObjectsPath(obj.Object)}/search", body, $"search {obj.Object}", ct);
            return (response.Json?["results"] as JsonArray ?? [], limit);
        }
        finally
        {
            _lastSearch = time.GetUtcNow();
            _gate.Release();
        }
    }

    /// <summary>The properties to ask for: every mapped one, plus the modification time.</summary>
    private IEnumerable<string> Properties(HubSpotObject obj) =>
        _maps[obj.Type].Paths.Values.Where(p => p.Segments.Count == 2 && p.Segments[0] == "properties").Select(p => p.Segments[1])
            .Append(obj.ModifiedProperty).Distinct(StringComparer.Ordinal);

    private static long? Modified(JsonObject item, HubSpotObject obj)
    {
        var text = item["properties"]?[obj.ModifiedProperty]?.ToString() ?? item["updatedAt"]?.ToString();
        if (text is null)
        {
            return null;
        }

        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var ms))
        {
            return ms;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at.ToUnixTimeMilliseconds() : null;
    }
}
