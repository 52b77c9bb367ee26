using System.Globalization;
using System.Text.Json.Nodes;
using Concord.Core.Configuration;
using Concord.Core.Mapping;
using Concord.Engine.Connectors;

namespace Concord.Connectors.HubSpot;

/// <summary>
/// Lists a system's contacts, companies and deals for verification with the CRM objects list
/// (<c>GET /crm/v3/objects/{object}</c> with <c>limit</c>, <c>after</c> and the mapped
/// <c>properties</c>), which pages through every record, unlike search and its 10,000-result window.
/// Associations the reference fields read are fetched per page, as the poller does.
/// </summary>
public sealed class HubSpotRecordReader(SystemConfig system, HubSpotLayout layout, HubSpotClient client) : IRecordReader
{
    private readonly Dictionary<string, FieldMap> _maps = layout.Maps(system);
    private readonly HubSpotAssociations _associations = new(client);

    public bool CanRead(string type) => layout.ForType(type) is not null;

    public async Task<RecordPage> ReadAsync(string type, string? cursor, int pageSize, CancellationToken cancellationToken)
    {
        var obj = layout.ForType(type) ?? throw new ArgumentException($"the hubspot connector does not list {type} records", nameof(type));
        var map = _maps[type];
        var properties = map.Paths.Values.Where(p => p.Segments.Count == 2 && p.Segments[0] == "properties").Select(p => p.Segments[1]).Distinct(StringComparer.Ordinal);
        var path = $"{HubSpotClient.ObjectsPath(obj.Object)}?limit={Math.Clamp(pageSize, 1, 100).ToString(CultureInfo.InvariantCulture)}"
            + $"&properties={Uri.EscapeDataString(string.Join(",", properties))}&archived=false"
            + (cursor is null ? "" : "&after=" + Uri.EscapeDataString(cursor));
        var answer = await client.GetAsync(path, $"list {obj.Object}", cancellationToken);
        var items = (answer.Json?["results"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        await _associations.AddAsync(obj, map, items, cancellationToken);
        var records = items.Where(i => i["id"] is not null).Select(i => new SystemRecord(i["id"]!.ToString(), HubSpotRecords.ToCanonical(map, i))).ToList();
        var next = answer.Json?["paging"]?["next"]?["after"]?.ToString();
        return new RecordPage(records, string.IsNullOrEmpty(next) ? null : next);
    }

    public JsonObject Expected(string type, JsonObject canonical)
    {
        var map = _maps[type];
        var references = map.ReferenceFields.Where(f => canonical[f] is JsonValue).ToDictionary(f => f, f => canonical[f]!.GetValue<string>(), StringComparer.Ordinal);
        var (properties, _) = HubSpotRecords.ToVendor(map, canonical, references);
        var expected = HubSpotRecords.ToCanonical(map, new JsonObject { ["properties"] = properties });
        foreach (var (field, id) in references)
        {
            expected[field] = id;
        }

        return expected;
    }
}
