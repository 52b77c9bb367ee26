using System.Text.Json.Nodes;
using Concord.Core.Mapping;

namespace Concord.Connectors.HubSpot;

/// <summary>
/// Reads the associations a type's reference fields are mapped to (a deal's <c>customer</c> is
/// <c>associations.contacts</c>). CRM search answers with properties only, so after each page the
/// associations of the records read are fetched with the v4 batch read, one call per associated
/// object type, and written into each record as <c>associations.{object}</c> = the associated
/// record's id, where the field map reads them. A record associated with several (a deal with two
/// contacts) refers to the first HubSpot lists.
/// </summary>
public sealed class HubSpotAssociations(HubSpotClient client)
{
    /// <summary>The most ids one batch read takes (HubSpot refuses more since January 2025).</summary>
    public const int BatchLimit = 100;

    /// <summary>The objects <paramref name="map"/>'s reference fields are associations with.</summary>
    public static IReadOnlyList<string> Targets(FieldMap map) =>
        map.Paths.Values
            .Where(p => p.Conversion == ValueConversion.Reference && p.Segments.Count == 2 && p.Segments[0] == "associations")
            .Select(p => p.Segments[1]).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>Adds to each of <paramref name="records"/> (HubSpot objects of <paramref name="obj"/>) the associations its map reads.</summary>
    public async Task AddAsync(HubSpotObject obj, FieldMap map, IReadOnlyList<JsonObject> records, CancellationToken cancellationToken)
    {
        var targets = Targets(map);
        var byId = records.Where(r => Id(r["id"]) is not null).GroupBy(r => Id(r["id"])!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        if (targets.Count == 0 || byId.Count == 0)
        {
            return;
        }

        foreach (var target in targets)
        {
            foreach (var ids in byId.Keys.Chunk(BatchLimit))
            {
                var body = new JsonObject { ["inputs"] = new JsonArray(ids.Select(id => (JsonNode)new JsonObject { ["id"] = id }).ToArray()) };

                // HubSpot answers 207 when some of the records have no such association: those are simply not listed.
                var response = await client.PostAsync($"/crm/v4/associations/{obj.Object}/{target}/batch/read", body, $"read {obj.Object} associated {target}", cancellationToken);
                foreach (var result in (response.Json?["results"] as JsonArray ?? []).OfType<JsonObject>())
                {
                    if (Id(result["from"]?["id"]) is not { } from || !byId.TryGetValue(from, out var owners)
                        || (result["to"] as JsonArray ?? []).OfType<JsonObject>().Select(t => Id(t["toObjectId"])).FirstOrDefault(id => id is not null) is not { } to)
                    {
                        continue;
                    }

                    foreach (var record in owners)
                    {
                        if (record["associations"] is not JsonObject associations)
                        {
                            associations = [];
                            record["associations"] = associations;
                        }

                        associations[target] = to;
                    }
                }
            }
        }
    }

    /// <summary>An id as text: HubSpot writes object ids as strings in some answers and as numbers in others.</summary>
    private static string? Id(JsonNode? node) => node is JsonValue v
        ? (v.TryGetValue<string>(out var s) ? s : v.ToJsonString())
        : null;
}
