using System.Globalization;
using System.Text.Json.Nodes;

namespace Concord.Sandboxes.HubSpot;

/// <summary>
/// CRM search as HubSpot runs it: filter groups (OR of ANDs) with EQ, NEQ, GT, GTE, LT and LTE,
/// one sort, <c>limit</c> up to 200 and an <c>after</c> offset that may not reach the result window
/// (10,000 in HubSpot). Date properties compare as instants whether given as ISO text or Unix ms.
/// </summary>
public static class HubSpotSearch
{
    /// <summary>The page, or the reason HubSpot would answer 400.</summary>
    public static (IReadOnlyList<HubSpotRecord> Page, int Total, int? Next, string? Error) Run(IReadOnlyList<HubSpotRecord> records, JsonObject request, int window)
    {
        var limit = request["limit"] is JsonValue l && l.TryGetValue<int>(out var li) ? li : 10;
        if (limit is < 1 or > 200)
        {
            return ([], 0, null, $"limit must be between 1 and 200, was {limit}");
        }

        var after = request["after"]?.ToString() is { } a ? (int.TryParse(a, NumberStyles.None, CultureInfo.InvariantCulture, out var ai) ? ai : -1) : 0;
        if (after < 0)
        {
            return ([], 0, null, $"after must be a non-negative offset, was '{request["after"]}'");
        }

        if (after >= window)
        {
            return ([], 0, null, $"Search results are limited to {window} total results. Refine the query to see more.");
        }

        var groups = request["filterGroups"] as JsonArray ?? [];
        var matching = records.Where(r => groups.Count == 0 || groups.OfType<JsonObject>().Any(g => (g["filters"] as JsonArray ?? []).OfType<JsonObject>().All(f => Matches(r, f))));
        if (request["sorts"] is JsonArray { Count: > 0 } sorts)
        {
            var sort = sorts[0];
            var (property, descending) = sort is JsonObject so
                ? (so["propertyName"]?.ToString() ?? "hs_object_id", so["direction"]?.ToString() == "DESCENDING")
                : (sort!.ToString().TrimStart('-'), sort.ToString().StartsWith('-'));
            var ordered = descending
                ? matching.OrderByDescending(r => Key(r[property]), Comparer<IComparable?>.Default)
                : matching.OrderBy(r => Key(r[property]), Comparer<IComparable?>.Default);
            matching = ordered.ThenBy(r => long.Parse(r.Id, CultureInfo.InvariantCulture));
        }
        else
        {
            matching = matching.OrderBy(r => long.Parse(r.Id, CultureInfo.InvariantCulture));
        }

        var all = matching.ToList();
        var page = all.Skip(after).Take(limit).ToList();
        return (page, all.Count, after + limit < all.Count ? after + limit : null, null);
    }

    private static bool Matches(HubSpotRecord record, JsonObject filter)
    {
        var property = filter["propertyName"]?.ToString() ?? "";
        var op = filter["operator"]?.ToString() ?? "EQ";
        var have = Key(record[property]);
        var want = Key(filter["value"]?.ToString());
        if (op is "HAS_PROPERTY")
        {
            return have is not null;
        }

        if (have is null || want is null || have.GetType() != want.GetType())
        {
            return op == "NEQ";
        }

        var c = have.CompareTo(want);
        return op switch
        {
            "EQ" => c == 0,
            "NEQ" => c != 0,
            "GT" => c > 0,
            "GTE" => c >= 0,
            "LT" => c < 0,
            "LTE" => c <= 0,
            _ => false,
        };
    }

    /// <summary>A comparable value: an instant for dates and ms, a number for numbers, else the text (case-insensitive, as HubSpot).</summary>
    private static IComparable? Key(string? value)
    {
        if (value is null)
        {
            return null;
        }

        if (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var ms) && value.Length >= 12)
        {
            return DateTimeOffset.FromUnixTimeMilliseconds(ms);
        }

        if (value.Length >= 10 && value[4] == '-' && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            return at;
        }

        if (decimal.TryParse(value, NumberStyles.Number, CultureInfo.InvariantCulture, out var number))
        {
            return number;
        }

        return value.ToLowerInvariant();
    }
}
