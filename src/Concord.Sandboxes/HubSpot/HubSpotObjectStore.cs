using System.Globalization;
using System.Text.Json.Nodes;

namespace Concord.Sandboxes.HubSpot;

/// <summary>One CRM object as the HubSpot sandbox holds it; every property value is a string, as in HubSpot.</summary>
public sealed class HubSpotRecord
{
    public required string Id { get; init; }

    /// <summary><c>contacts</c>, <c>companies</c> or <c>deals</c>.</summary>
    public required string Object { get; init; }

    public Dictionary<string, string?> Properties { get; } = new(StringComparer.Ordinal);

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; set; }

    public bool Archived { get; set; }

    public string? this[string property] => Properties.GetValueOrDefault(property);

    public static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>The object as the API answers it; <paramref name="only"/> limits the properties, as the <c>properties</c> parameter does.</summary>
    public JsonObject ToJson(IReadOnlyCollection<string>? only = null)
    {
        var props = new JsonObject();
        foreach (var (k, v) in Properties.Where(p => only is null || only.Contains(p.Key) || p.Key is "hs_object_id" or "createdate" or "lastmodifieddate" or "hs_lastmodifieddate"))
        {
            props[k] = v;
        }

        return new JsonObject
        {
            ["id"] = Id,
            ["properties"] = props,
            ["createdAt"] = Iso(CreatedAt),
            ["updatedAt"] = Iso(UpdatedAt),
            ["archived"] = Archived,
        };
    }
}

/// <summary>The sandbox's records, unique properties and associations, behind one lock.</summary>
public sealed class HubSpotObjectStore
{
    private readonly object _lock = new();
    private readonly Dictionary<string, HubSpotRecord> _records = new(StringComparer.Ordinal);
    private readonly HashSet<(string From, string FromId, string To, string ToId)> _associations = [];
    private long _nextId = 1001;

    public static string ModifiedProperty(string obj) => obj == "contacts" ? "lastmodifieddate" : "hs_lastmodifieddate";

    /// <summary>Properties that must be unique and that batch upsert may use as <c>idProperty</c>.</summary>
    public static bool IsUnique(string obj, string property) =>
        property == "hs_object_id" || (obj == "contacts" && property == "email") || property == "concord_id";

    public T Locked<T>(Func<T> action)
    {
        lock (_lock)
        {
            return action();
        }
    }

    public IReadOnlyList<HubSpotRecord> All(string obj, bool archived = false) => Locked(() =>
        _records.Values.Where(r => r.Object == obj && r.Archived == archived).OrderBy(r => long.Parse(r.Id, CultureInfo.InvariantCulture)).ToList());

    public HubSpotRecord? Get(string obj, string id) => Locked(() =>
        _records.TryGetValue(id, out var r) && r.Object == obj && !r.Archived ? r : null);

    /// <summary>The live record whose unique property has this value (emails compare case-insensitively).</summary>
    public HubSpotRecord? FindUnique(string obj, string property, string value) => Locked(() =>
        _records.Values.FirstOrDefault(r => r.Object == obj && !r.Archived && string.Equals(r[property], value, property == "email" ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal)));

    public HubSpotRecord Create(string obj, IReadOnlyDictionary<string, string?> properties, DateTimeOffset now) => Locked(() =>
    {
        var id = (_nextId++).ToString(CultureInfo.InvariantCulture);
        var record = new HubSpotRecord { Id = id, Object = obj, CreatedAt = now, UpdatedAt = now };
        record.Properties["hs_object_id"] = id;
        record.Properties["createdate"] = HubSpotRecord.Iso(now);
        Apply(record, properties, now);
        _records[id] = record;
        return record;
    });

    public void Update(HubSpotRecord record, IReadOnlyDictionary<string, string?> properties, DateTimeOffset now) => Locked(() =>
    {
        Apply(record, properties, now);
        return record;
    });

    public bool Archive(string obj, string id, DateTimeOffset now) => Locked(() =>
    {
        if (!_records.TryGetValue(id, out var r) || r.Object != obj || r.Archived)
        {
            return false;
        }

        r.Archived = true;
        r.UpdatedAt = now;
        return true;
    });

    public void Associate(string from, string fromId, string to, string toId) => Locked(() =>
    {
        _associations.Add((from, fromId, to, toId));
        _associations.Add((to, toId, from, fromId));
        return true;
    });

    public IReadOnlyList<string> Associated(string from, string fromId, string to) => Locked(() =>
        _associations.Where(a => a.From == from && a.FromId == fromId && a.To == to).Select(a => a.ToId).Order(StringComparer.Ordinal).ToList());

    private static void Apply(HubSpotRecord record, IReadOnlyDictionary<string, string?> properties, DateTimeOffset now)
    {
        foreach (var (k, v) in properties)
        {
            // HubSpot clears a property set to "".
            record.Properties[k] = string.IsNullOrEmpty(v) ? null : v;
        }

        record.UpdatedAt = now;
        record.Properties[ModifiedProperty(record.Object)] = HubSpotRecord.Iso(now);
    }
}
