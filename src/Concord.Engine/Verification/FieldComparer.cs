using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Concord.Core.Privacy;
using Concord.Core.Schema;
using Concord.Engine.Storage;

namespace Concord.Engine.Verification;

/// <summary>
/// Compares the fields the hub sends a system with the ones the system holds. Values are compared in
/// a canonical text form, so what is only formatting is not drift: an unset value, null and an empty
/// text are the same; numbers compare by value (10, 10.0 and "10"); text ignores surrounding spaces,
/// and email addresses, domains and currency codes their case (vendors lower-case them).
/// </summary>
public static class FieldComparer
{
    /// <summary>The canonical text of a value; null for "no value".</summary>
    public static string? Canonical(JsonNode? value, FieldSchema? field)
    {
        switch (value)
        {
            case null:
                return null;
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                var text = v.GetValue<string>().Trim();
                if (text.Length == 0)
                {
                    return null;
                }

                if (decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var parsed))
                {
                    return Number(parsed);
                }

                return field?.Type is FieldType.Email or FieldType.Currency or FieldType.Domain ? text.ToLowerInvariant() : text;
            case JsonValue v when v.GetValueKind() == JsonValueKind.Number:
                return v.TryGetValue<decimal>(out var d) ? Number(d) : v.ToJsonString();
            case JsonValue v when v.GetValueKind() == JsonValueKind.Null:
                return null;
            default:
                return value.ToJsonString();
        }
    }

    /// <summary>
    /// A hash of the compared fields' canonical values, so two sides are compared field by field only
    /// when their hashes differ.
    /// </summary>
    public static string Hash(IEnumerable<KeyValuePair<string, string?>> fields)
    {
        var text = new StringBuilder();
        foreach (var (name, value) in fields.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            text.Append(name).Append('\u001f').Append(value is null ? "\u0000" : value).Append('\u001e');
        }

        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>
    /// The fields that differ between what the hub sends (<paramref name="expected"/>, the values as
    /// the system would hold them) and what it holds (<paramref name="actual"/>), over
    /// <paramref name="compared"/>; values of personal fields masked.
    /// </summary>
    public static IReadOnlyList<FieldDrift> Differences(IReadOnlyCollection<string> compared, JsonObject expected, JsonObject actual, EntitySchema? schema)
    {
        var hub = new Dictionary<string, string?>(StringComparer.Ordinal);
        var system = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var name in compared)
        {
            var field = Field(schema, name);
            hub[name] = Canonical(expected[name], field);
            system[name] = Canonical(actual[name], field);
        }

        if (Hash(hub) == Hash(system))
        {
            return [];
        }

        var result = new List<FieldDrift>();
        foreach (var name in compared.Order(StringComparer.Ordinal))
        {
            if (hub[name] != system[name])
            {
                var field = Field(schema, name);
                result.Add(new FieldDrift(name, PiiMask.Mask(field, expected[name]), PiiMask.Mask(field, actual[name])));
            }
        }

        return result;
    }

    private static FieldSchema? Field(EntitySchema? schema, string name) => schema is not null && schema.TryGetField(name, out var f) ? f : null;

    private static string Number(decimal value) => (value / 1.0000000000000000000000000000m).ToString(CultureInfo.InvariantCulture);
}
