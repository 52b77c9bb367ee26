using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Concord.Core.Schema;

/// <summary>
/// Checks an incoming JSON value against its field type and brings it to one canonical JSON form
/// (numbers as numbers, times in UTC ISO 8601, currencies upper-case), so that equal values compare equal.
/// Strings are kept as the system wrote them: matching normalises separately and never writes back.
/// </summary>
public static class FieldValues
{
    public static bool TryNormalize(FieldSchema field, JsonElement value, out JsonNode? result, out string? error)
    {
        result = null;
        error = null;
        if (value.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        switch (field.Type)
        {
            case FieldType.Integer:
                if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var l))
                {
                    result = JsonValue.Create(l);
                    return true;
                }

                if (value.ValueKind == JsonValueKind.String && long.TryParse(value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out l))
                {
                    result = JsonValue.Create(l);
                    return true;
                }

                error = $"must be a whole number, not {Describe(value)}";
                return false;

            case FieldType.Number or FieldType.Money:
                if (value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var d))
                {
                    result = JsonValue.Create(d);
                    return true;
                }

                // No thousands separators: "1,50" is a European 1.50 as often as it is 150, so it is refused.
                if (value.ValueKind == JsonValueKind.String
                    && decimal.TryParse(value.GetString(), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite,
                        CultureInfo.InvariantCulture, out d))
                {
                    result = JsonValue.Create(d);
                    return true;
                }

                error = $"must be a number such as 1250.50 (a point for decimals, no thousands separators), not {Describe(value)}";
                return false;

            case FieldType.Boolean:
                if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
                {
                    result = JsonValue.Create(value.GetBoolean());
                    return true;
                }

                error = $"must be true or false, not {Describe(value)}";
                return false;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            error = $"must be a string, not {Describe(value)}";
            return false;
        }

        var text = value.GetString()!;
        switch (field.Type)
        {
            case FieldType.Date:
                if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                {
                    result = JsonValue.Create(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                    return true;
                }

                error = $"must be a date written yyyy-MM-dd, not \"{Clip(text)}\"";
                return false;

            case FieldType.DateTime:
                if (text.Length >= 10 && text[4] == '-' && text[7] == '-' && char.IsAsciiDigit(text[0])
                    && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var dt))
                {
                    result = JsonValue.Create(dt.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture));
                    return true;
                }

                error = $"must be an ISO 8601 time such as 2026-11-22T09:30:00Z, not \"{Clip(text)}\"";
                return false;

            case FieldType.Currency:
                if (text.Length == 3 && text.All(char.IsAsciiLetter))
                {
                    result = JsonValue.Create(text.ToUpperInvariant());
                    return true;
                }

                error = $"must be a three-letter ISO 4217 currency code, not \"{Clip(text)}\"";
                return false;

            case FieldType.Email:
                var trimmed = text.Trim();
                var at = trimmed.IndexOf('@', StringComparison.Ordinal);
                if (text.Length == 0 || (at > 0 && at == trimmed.LastIndexOf('@') && at < trimmed.Length - 1 && !trimmed.Any(char.IsWhiteSpace)))
                {
                    result = JsonValue.Create(text);
                    return true;
                }

                error = $"must be an email address, not \"{Clip(text)}\"";
                return false;

            default:
                if (text.Length > 65_536)
                {
                    error = "is longer than 65,536 characters";
                    return false;
                }

                result = JsonValue.Create(text);
                return true;
        }
    }

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => $"\"{Clip(value.GetString()!)}\"",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "a list",
        _ => value.GetRawText(),
    };

    private static string Clip(string s) => s.Length > 40 ? s[..40] + "…" : s;
}
