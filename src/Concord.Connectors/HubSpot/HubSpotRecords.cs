using System.Text.Json.Nodes;
using Concord.Core.Mapping;

namespace Concord.Connectors.HubSpot;

/// <summary>
/// Converts between canonical fields and HubSpot objects beyond what the field map does on its own:
/// a contact's full name (HubSpot has only first and last name), date-only close dates, and empty
/// strings, which is how HubSpot clears a property.
/// </summary>
public static class HubSpotRecords
{
    /// <summary>The canonical fields of a HubSpot object (<c>{id, properties, …}</c>).</summary>
    public static JsonObject ToCanonical(FieldMap map, JsonNode vendor)
    {
        var fields = map.FromVendor(vendor);
        if (map.Type == "customer" && !fields.ContainsKey("name"))
        {
            var first = Text(fields["first_name"]);
            var last = Text(fields["last_name"]);
            var name = string.Join(" ", new[] { first, last }.Where(s => !string.IsNullOrWhiteSpace(s)));
            if (name.Length > 0)
            {
                fields["name"] = name;
            }
        }

        // closedate is a date-time property; the canonical close date is the day.
        if (map.Type == "deal" && Text(fields["close_date"]) is { Length: > 10 } close && close[10] == 'T')
        {
            fields["close_date"] = close[..10];
        }

        // HubSpot answers an unset property with null or "": neither says anything about the record.
        foreach (var key in fields.Where(f => f.Value is null || Text(f.Value) == "").Select(f => f.Key).ToList())
        {
            fields.Remove(key);
        }

        return fields;
    }

    /// <summary>
    /// The <c>properties</c> object for canonical fields, and the associations the reference fields
    /// ask for (object name → HubSpot id).
    /// </summary>
    public static (JsonObject Properties, IReadOnlyList<(string Object, string Id)> Associations) ToVendor(FieldMap map, JsonObject canonical, IReadOnlyDictionary<string, string> references)
    {
        var vendor = map.ToVendor(canonical, references);
        var properties = vendor["properties"] as JsonObject ?? [];
        vendor.Remove("properties");
        foreach (var key in properties.Where(p => p.Value is null).Select(p => p.Key).ToList())
        {
            properties[key] = "";
        }

        // A name without its parts: split at the last space, as most people write "First Last".
        if (map.Type == "customer" && Text(canonical["name"]) is { Length: > 0 } name
            && !canonical.ContainsKey("first_name") && !canonical.ContainsKey("last_name")
            && map.Paths.ContainsKey("first_name") && map.Paths.ContainsKey("last_name"))
        {
            var space = name.Trim().LastIndexOf(' ');
            map.Paths["first_name"].Write(vendor, space < 0 ? name.Trim() : name.Trim()[..space]);
            map.Paths["last_name"].Write(vendor, space < 0 ? "" : name.Trim()[(space + 1)..]);
            foreach (var (key, value) in (vendor["properties"] as JsonObject ?? []).ToList())
            {
                properties[key] = value?.DeepClone();
            }

            vendor.Remove("properties");
        }

        var associations = new List<(string, string)>();
        if (vendor["associations"] is JsonObject assoc)
        {
            foreach (var (obj, id) in assoc)
            {
                if (Text(id) is { Length: > 0 } value)
                {
                    associations.Add((obj, value));
                }
            }
        }

        return (properties, associations);
    }

    private static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
