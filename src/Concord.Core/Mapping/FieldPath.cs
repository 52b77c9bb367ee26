using System.Globalization;
using System.Text.Json.Nodes;

namespace Concord.Core.Mapping;

/// <summary>How a value changes on its way between the vendor and the canonical record.</summary>
public enum ValueConversion
{
    /// <summary>As it is.</summary>
    None,

    /// <summary>Vendor integer minor units (cents) ↔ canonical decimal amount.</summary>
    Cents,

    /// <summary>Vendor Unix seconds ↔ canonical ISO 8601 date-time.</summary>
    Unix,

    /// <summary>Vendor Unix seconds ↔ canonical date (yyyy-MM-dd).</summary>
    UnixDate,

    /// <summary>Vendor text in upper case (e.g. currency codes) ↔ canonical lower case.</summary>
    Upper,

    /// <summary>The vendor's id of a referenced record; the engine translates it to and from the hub's id.</summary>
    Reference,

    /// <summary>Vendor milliseconds since the epoch (HubSpot dates) ↔ canonical ISO 8601 date-time.</summary>
    UnixMillis,

    /// <summary>Vendor text (e.g. <c>"42"</c>, HubSpot properties) ↔ canonical number.</summary>
    Text,

    /// <summary>Vendor date (<c>2026-01-31</c>) ↔ canonical date-time: the vendor keeps only the day (in UTC).</summary>
    Date,
}

/// <summary>
/// Where a canonical field lives in a vendor object: a dotted path, optionally with a conversion
/// after a bar, e.g. <c>address.line1</c>, <c>amount_due|cents</c>, <c>created|unix</c>,
/// <c>CustomerRef.value|ref</c>. An array element is addressed by index: <c>Line.0.Amount</c>.
/// </summary>
public sealed record FieldPath(IReadOnlyList<string> Segments, ValueConversion Conversion)
{
    private static readonly Dictionary<string, ValueConversion> Conversions = new(StringComparer.Ordinal)
    {
        ["cents"] = ValueConversion.Cents,
        ["unix"] = ValueConversion.Unix,
        ["unix_date"] = ValueConversion.UnixDate,
        ["upper"] = ValueConversion.Upper,
        ["ref"] = ValueConversion.Reference,
        ["millis"] = ValueConversion.UnixMillis,
        ["text"] = ValueConversion.Text,
        ["date"] = ValueConversion.Date,
    };

    public static IReadOnlyCollection<string> ConversionNames => Conversions.Keys;

    public string Path => string.Join('.', Segments);

    /// <summary>Parses a spec; null with <paramref name="error"/> set when it is malformed.</summary>
    public static FieldPath? Parse(string spec, out string? error)
    {
        error = null;
        var bar = spec.IndexOf('|', StringComparison.Ordinal);
        var path = bar < 0 ? spec : spec[..bar];
        var conversion = ValueConversion.None;
        if (bar >= 0 && !Conversions.TryGetValue(spec[(bar + 1)..], out conversion))
        {
            error = $"unknown conversion '{spec[(bar + 1)..]}' (known: {string.Join(", ", Conversions.Keys)})";
            return null;
        }

        var segments = path.Split('.');
        if (segments.Any(s => s.Length == 0))
        {
            error = $"'{spec}' is not a dotted path such as address.line1";
            return null;
        }

        return new FieldPath(segments, conversion);
    }

    /// <summary>The value at this path in a vendor object, converted to canonical form; false when absent.</summary>
    public bool TryRead(JsonNode? vendor, out JsonNode? value) => TryRead(vendor, out value, 100m);

    /// <summary>As <see cref="TryRead(JsonNode?, out JsonNode?)"/>, with the minor units per major unit of the amount's currency.</summary>
    public bool TryRead(JsonNode? vendor, out JsonNode? value, decimal minorPerMajor)
    {
        value = null;
        var node = vendor;
        foreach (var segment in Segments)
        {
            switch (node)
            {
                case JsonObject o when o.TryGetPropertyValue(segment, out var child):
                    node = child;
                    break;
                case JsonArray a when int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < a.Count:
                    node = a[i];
                    break;
                default:
                    return false;
            }
        }

        value = ToCanonical(node, minorPerMajor);
        return true;
    }

    /// <summary>Writes a canonical value at this path in a vendor object, creating objects on the way.</summary>
    public void Write(JsonObject vendor, JsonNode? canonical) => Write(vendor, canonical, 100m);

    /// <summary>As <see cref="Write(JsonObject, JsonNode?)"/>, with the minor units per major unit of the amount's currency.</summary>
    public void Write(JsonObject vendor, JsonNode? canonical, decimal minorPerMajor)
    {
        JsonNode parent = vendor;
        for (var i = 0; i < Segments.Count - 1; i++)
        {
            var segment = Segments[i];
            var nextIsIndex = int.TryParse(Segments[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out _);
            parent = parent switch
            {
                JsonObject o => o[segment] ?? (o[segment] = nextIsIndex ? new JsonArray() : new JsonObject()),
                JsonArray a => ArrayChild(a, int.Parse(segment, CultureInfo.InvariantCulture), nextIsIndex),
                _ => throw new InvalidOperationException($"{Path}: cannot descend into a value"),
            };
        }

        var last = Segments[^1];
        var converted = ToVendor(canonical, minorPerMajor);
        switch (parent)
        {
            case JsonObject o:
                o[last] = converted;
                break;
            case JsonArray a:
                var index = int.Parse(last, CultureInfo.InvariantCulture);
                while (a.Count <= index)
                {
                    a.Add(null);
                }

                a[index] = converted;
                break;
        }
    }

    private static JsonNode ArrayChild(JsonArray array, int index, bool nextIsIndex)
    {
        while (array.Count <= index)
        {
            array.Add(null);
        }

        return array[index] ??= nextIsIndex ? new JsonArray() : new JsonObject();
    }

    private JsonNode? ToCanonical(JsonNode? node, decimal minorPerMajor)
    {
        if (node is null)
        {
            return null;
        }

        switch (Conversion)
        {
            case ValueConversion.Cents when node is JsonValue v && v.TryGetValue<long>(out var cents):
                return JsonValue.Create(cents / minorPerMajor);
            case ValueConversion.Unix when node is JsonValue v && v.TryGetValue<long>(out var s):
                return JsonValue.Create(DateTimeOffset.FromUnixTimeSeconds(s).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
            case ValueConversion.UnixDate when node is JsonValue v && v.TryGetValue<long>(out var s):
                return JsonValue.Create(DateTimeOffset.FromUnixTimeSeconds(s).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            case ValueConversion.UnixMillis when node is JsonValue v && Millis(v) is { } ms:
                return JsonValue.Create(DateTimeOffset.FromUnixTimeMilliseconds(ms).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            case ValueConversion.Upper when node is JsonValue v && v.TryGetValue<string>(out var text):
                return JsonValue.Create(text.ToLowerInvariant());
            case ValueConversion.Text when node is JsonValue v && v.TryGetValue<string>(out var text):
                if (text.Length == 0)
                {
                    return null;
                }

                return decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var number) ? JsonValue.Create(number) : JsonValue.Create(text);
            default:
                return node.DeepClone();
        }
    }

    private JsonNode? ToVendor(JsonNode? node, decimal minorPerMajor)
    {
        if (node is null)
        {
            return null;
        }

        switch (Conversion)
        {
            case ValueConversion.Cents when node is JsonValue v && v.TryGetValue<decimal>(out var amount):
                return JsonValue.Create((long)decimal.Round(amount * minorPerMajor, MidpointRounding.AwayFromZero));
            case ValueConversion.Unix or ValueConversion.UnixDate when node is JsonValue v && v.TryGetValue<string>(out var text) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at):
                return JsonValue.Create(at.ToUnixTimeSeconds());
            case ValueConversion.UnixMillis when node is JsonValue v && v.TryGetValue<string>(out var text) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at):
                return JsonValue.Create(at.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));
            case ValueConversion.Upper when node is JsonValue v && v.TryGetValue<string>(out var text):
                return JsonValue.Create(text.ToUpperInvariant());
            case ValueConversion.Text when node is JsonValue v:
                return JsonValue.Create(v.TryGetValue<string>(out var s) ? s : v.ToJsonString());
            case ValueConversion.Date when node is JsonValue v && v.TryGetValue<string>(out var text) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at):
                return JsonValue.Create(at.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            default:
                return node.DeepClone();
        }
    }

    private static long? Millis(JsonValue value)
    {
        if (value.TryGetValue<long>(out var ms))
        {
            return ms;
        }

        if (value.TryGetValue<string>(out var text))
        {
            if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ms))
            {
                return ms;
            }

            if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            {
                return at.ToUnixTimeMilliseconds();
            }
        }

        return null;
    }
}
