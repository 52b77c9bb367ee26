using System.Globalization;
using System.Text.Json.Nodes;
using Concord.Core.Configuration;
using Concord.Core.Mapping;
using Concord.Engine.Connectors;
using Concord.Engine.Intake;
using Concord.Engine.Storage;
using Microsoft.Extensions.Logging;

namespace Concord.Connectors.QuickBooks;

/// <summary>
/// Reads QuickBooks' change data capture feed (<c>/cdc?changedSince=</c>). The cursor is the latest
/// <c>MetaData.LastUpdatedTime</c> seen. <c>changedSince</c> includes that instant, so the objects at
/// the boundary are read again on the next page: their event ids (<c>Entity:Id:SyncToken</c>) make
/// the re-read a duplicate the hub drops, never a skip. A response of 1,000 objects may be cut
/// short, so another page follows at once. The feed looks back 30 days at most; an older cursor
/// (a hub that was stopped for weeks) is caught up with queries instead, which cannot see deletions.
/// </summary>
public sealed class QuickBooksPoller(SystemConfig system, QuickBooksClient client, ConnectorContext context) : IPoller
{
    /// <summary>The most objects QuickBooks returns in one change data capture response or query page.</summary>
    public const int PageLimit = 1000;

    /// <summary>How far back the change data capture feed reaches.</summary>
    public static readonly TimeSpan LookBack = TimeSpan.FromDays(30);

    private readonly ILogger _logger = context.Loggers.CreateLogger("Concord.QuickBooks." + system.Name);
    private readonly Dictionary<string, FieldMap> _maps = QuickBooksMappings.Entities.ToDictionary(e => e.VendorObject, e => FieldMap.For(e, system), StringComparer.Ordinal);

    public IReadOnlyList<string> Streams { get; } = ["cdc"];

    public TimeSpan Interval { get; } = system.GetSetting("poll_interval") is { } every && Duration.TryParse(every, out var interval) ? interval : TimeSpan.FromMinutes(5);

    public async Task<PollPage> PollAsync(string stream, string? cursor, CancellationToken cancellationToken)
    {
        if (cursor is null)
        {
            // The first run starts from now (or poll_from): history is not backfilled by default.
            var from = system.GetSetting("poll_from") is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
                ? at
                : context.Time.GetUtcNow();
            return new PollPage([], Stamp(from), false);
        }

        var since = DateTimeOffset.Parse(cursor, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        var (objects, more) = since < context.Time.GetUtcNow() - LookBack
            ? await QueryAsync(since, cancellationToken)
            : await ChangeFeedAsync(since, cancellationToken);

        // A full response may be cut per entity type rather than oldest-first across all of them:
        // then only what is older than every type's newest object is certainly complete, so the
        // cursor moves to the oldest of those (re-read objects are duplicates the hub drops).
        var newestPerEntity = objects
            .GroupBy(o => o.Entity, StringComparer.Ordinal)
            .Select(g => g.Select(o => LastUpdated(o.Obj)).Where(t => t is not null).Max())
            .Where(t => t is not null)
            .Select(t => t!.Value)
            .Where(t => t > since) // a type with only the boundary's re-read objects has nothing newer to wait for
            .ToList();
        var next = newestPerEntity.Count == 0 ? since : more ? newestPerEntity.Min() : newestPerEntity.Max();

        if (more && next == since)
        {
            throw new InvalidOperationException(
                $"{system.Name}: {objects.Count} QuickBooks objects changed at the same instant {cursor}; the change feed cannot page past them");
        }

        var changes = new List<InboundChange>(objects.Count);
        foreach (var (entity, obj) in objects)
        {
            if (ToChange(entity, obj) is { } change)
            {
                changes.Add(change);
            }
        }

        return new PollPage(changes, Stamp(next), more);
    }

    private async Task<(List<(string Entity, JsonObject Obj)>, bool More)> ChangeFeedAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        var response = await client.GetAsync("cdc",
            [new("entities", string.Join(',', QuickBooksMappings.Entities.Select(e => e.VendorObject))), new("changedSince", Stamp(since))],
            "read the change feed", cancellationToken);
        var objects = new List<(string, JsonObject)>();
        foreach (var cdc in (response["CDCResponse"] as JsonArray ?? []).OfType<JsonObject>())
        {
            foreach (var query in (cdc["QueryResponse"] as JsonArray ?? []).OfType<JsonObject>())
            {
                Collect(query, objects);
            }
        }

        return (objects, objects.Count >= PageLimit);
    }

    /// <summary>
    /// The catch-up for a cursor beyond the feed's reach: each type's oldest changes since the cursor.
    /// When a type fills a page, only what is older than its last object is certainly complete, so
    /// the page ends there and the rest comes next.
    /// </summary>
    private async Task<(List<(string Entity, JsonObject Obj)>, bool More)> QueryAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        _logger.LogWarning("{System}: the last poll was before {Since}, beyond the 30 days QuickBooks' change feed reaches; catching up with queries (deletions in that time are not seen)",
            system.Name, Stamp(since));
        var objects = new List<(string Entity, JsonObject Obj)>();
        DateTimeOffset? complete = null;
        foreach (var support in QuickBooksMappings.Entities)
        {
            var query = $"SELECT * FROM {support.VendorObject} WHERE MetaData.LastUpdatedTime >= '{Stamp(since)}' ORDERBY MetaData.LastUpdatedTime STARTPOSITION 1 MAXRESULTS {PageLimit}";
            var response = await client.GetAsync("query", [new("query", query)], $"query {support.VendorObject}", cancellationToken);
            var found = new List<(string, JsonObject)>();
            if (response["QueryResponse"] is JsonObject result)
            {
                Collect(result, found);
            }

            if (found.Count >= PageLimit && found.Select(f => LastUpdated(f.Item2)).Max() is { } last && (complete is null || last < complete))
            {
                complete = last;
            }

            objects.AddRange(found);
        }

        if (complete is { } bound)
        {
            objects.RemoveAll(o => LastUpdated(o.Obj) > bound);
        }

        return (objects, complete is not null);
    }

    private static void Collect(JsonObject query, List<(string, JsonObject)> into)
    {
        foreach (var (name, value) in query)
        {
            if (QuickBooksMappings.ByVendorObject(name) is { } support && value is JsonArray list)
            {
                into.AddRange(list.OfType<JsonObject>().Select(o => (support.VendorObject, o)));
            }
        }
    }

    private InboundChange? ToChange(string entity, JsonObject obj)
    {
        var support = QuickBooksMappings.ByVendorObject(entity)!;
        var id = obj["Id"]?.ToString();
        if (id is null)
        {
            return null;
        }

        var at = LastUpdated(obj);
        var deleted = obj["status"]?.ToString() == "Deleted";
        // An inactive customer is QuickBooks' deleted customer.
        var inactive = support == QuickBooksMappings.Customer && obj["Active"] is JsonValue active && active.TryGetValue<bool>(out var isActive) && !isActive;
        var eventId = deleted
            ? $"{entity}:{id}:deleted:{obj["MetaData"]?["LastUpdatedTime"]}"
            : $"{entity}:{id}:{obj["SyncToken"]?.ToString() ?? obj["MetaData"]?["LastUpdatedTime"]?.ToString()}";
        var fields = deleted || inactive ? [] : _maps[entity].FromVendor(obj);
        try
        {
            return context.Intake.FromFields(system.Name, support.Type, id, eventId, at, fields, deleted || inactive, "poll");
        }
        catch (IntakeException ex)
        {
            // A type this system does not send to the hub, or a value the hub's schema refuses.
            _logger.LogDebug("Ignored {Entity} {Id} from {System}: {Error}", entity, id, system.Name, ex.Message);
            return null;
        }
    }

    private static DateTimeOffset? LastUpdated(JsonObject obj) =>
        obj["MetaData"]?["LastUpdatedTime"]?.ToString() is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at
            : null;

    private static string Stamp(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
