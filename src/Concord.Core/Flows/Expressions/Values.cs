using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Concord.Core.Flows.Expressions;

/// <summary>
/// The values expressions work with, all plain data: <c>null</c>, <see cref="bool"/>, <see cref="decimal"/>,
/// <see cref="string"/>, <see cref="DateOnly"/> (a date), <see cref="DateTimeOffset"/> (a moment, in UTC),
/// lists (<see cref="IReadOnlyList{T}"/>) and objects (<see cref="IReadOnlyDictionary{TKey,TValue}"/>).
/// Nothing else ever enters evaluation, so no expression can reach a .NET object's members.
/// </summary>
public static class Values
{
    /// <summary>The value of a JSON node.</summary>
    public static object? FromJson(JsonNode? node) => node switch
    {
        null => null,
        JsonObject obj => obj.ToDictionary(pair => pair.Key, pair => FromJson(pair.Value), StringComparer.Ordinal),
        JsonArray array => array.Select(FromJson).ToList(),
        JsonValue value => value.GetValueKind() switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number => Number(value),
            JsonValueKind.String => value.TryGetValue<string>(out var s) ? s : JsonSerializer.Deserialize<string>(value.ToJsonString()),
            _ => null,
        },
        _ => null,
    };

    /// <summary>A JSON number as a decimal; one beyond decimal's range (1e400) is kept as its text rather than failing the flow.</summary>
    private static object Number(JsonValue value)
    {
        if (value.TryGetValue<decimal>(out var exact))
        {
            return exact;
        }

        var text = value.ToJsonString();
        return decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) ? parsed : text;
    }

    /// <summary>A JSON node for a value, e.g. to send a template's typed result to an API.</summary>
    public static JsonNode? ToJson(object? value) => value switch
    {
        null => null,
        bool b => JsonValue.Create(b),
        decimal d => JsonValue.Create(d),
        string s => JsonValue.Create(s),
        DateOnly or DateTimeOffset => JsonValue.Create(ToText(value)),
        IReadOnlyList<object?> list => new JsonArray(list.Select(ToJson).ToArray()),
        IReadOnlyDictionary<string, object?> obj => new JsonObject(obj.Select(pair => KeyValuePair.Create(pair.Key, ToJson(pair.Value)))),
        _ => throw new InvalidOperationException("not an expression value: " + value.GetType().Name),
    };

    /// <summary>How a value reads inside text: null is empty, dates are ISO 8601, lists and objects are JSON.</summary>
    public static string ToText(object? value) => value switch
    {
        null => "",
        bool b => b ? "true" : "false",
        decimal d => d.ToString(CultureInfo.InvariantCulture),
        string s => s,
        DateOnly date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTimeOffset moment => moment.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        _ => ToJson(value)!.ToJsonString(),
    };

    /// <summary>The name of a value's type as messages use it.</summary>
    public static string TypeName(object? value) => value switch
    {
        null => "null",
        bool => "true/false",
        decimal => "number",
        string => "text",
        DateOnly => "date",
        DateTimeOffset => "date-time",
        IReadOnlyList<object?> => "list",
        _ => "object",
    };

    /// <summary>Whether a condition holds: null, false, 0, empty text and empty lists do not.</summary>
    public static bool IsTrue(object? value) => value switch
    {
        null => false,
        bool b => b,
        decimal d => d != 0,
        string s => s.Length > 0,
        IReadOnlyList<object?> list => list.Count > 0,
        IReadOnlyDictionary<string, object?> obj => obj.Count > 0,
        _ => true,
    };

    /// <summary>Equality as <c>==</c> sees it: same type and value; a date and text holding that date are equal.</summary>
    public static bool AreEqual(object? left, object? right)
    {
        if (left is null || right is null)
        {
            return left is null && right is null;
        }

        if (TryCompare(left, right, out var order))
        {
            return order == 0;
        }

        return (left, right) switch
        {
            (bool a, bool b) => a == b,
            (IReadOnlyList<object?> a, IReadOnlyList<object?> b) => a.Count == b.Count && a.Zip(b).All(pair => AreEqual(pair.First, pair.Second)),
            (IReadOnlyDictionary<string, object?> a, IReadOnlyDictionary<string, object?> b) =>
                a.Count == b.Count && a.All(pair => b.TryGetValue(pair.Key, out var other) && AreEqual(pair.Value, other)),
            _ => false,
        };
    }

    /// <summary>Orders two numbers, two texts (ordinal) or two dates; text is read as a date when compared with one.</summary>
    public static bool TryCompare(object left, object right, out int order)
    {
        order = 0;
        switch (left, right)
        {
            case (decimal a, decimal b):
                order = a.CompareTo(b);
                return true;
            case (string a, string b):
                order = string.CompareOrdinal(a, b);
                return true;
        }

        if (left is DateOnly or DateTimeOffset || right is DateOnly or DateTimeOffset)
        {
            if (left is DateOnly da && right is DateOnly db)
            {
                order = da.CompareTo(db);
                return true;
            }

            if (TryMoment(left, out var ma) && TryMoment(right, out var mb))
            {
                order = ma.CompareTo(mb);
                return true;
            }
        }

        return false;
    }

    /// <summary>Reads a date or date-time from a value: a date, a moment, or ISO 8601 text.</summary>
    public static bool TryDate(object? value, out object date)
    {
        switch (value)
        {
            case DateOnly d:
                date = d;
                return true;
            case DateTimeOffset m:
                date = m.ToUniversalTime();
                return true;
            case string s when s.Length == 10 && DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d):
                date = d;
                return true;
            case string s when s.Length <= 40 && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var m):
                date = m;
                return true;
            default:
                date = default(DateOnly);
                return false;
        }
    }

    private static bool TryMoment(object value, out DateTimeOffset moment)
    {
        moment = default;
        if (!TryDate(value, out var date))
        {
            return false;
        }

        moment = date is DateOnly d ? new DateTimeOffset(d.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : (DateTimeOffset)date;
        return true;
    }
}
