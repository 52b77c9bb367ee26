using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Concord.Connectors.Stripe;

/// <summary>
/// Encodes a request for Stripe's API: <c>application/x-www-form-urlencoded</c> with bracket
/// notation for nesting (<c>metadata[plan]=gold</c>, <c>items[0][price]=price_1</c>). A null value
/// is sent as an empty string, which is how Stripe unsets a field; booleans are <c>true</c>/<c>false</c>.
/// Keys keep their order, so the same object always encodes to the same body (an idempotent retry
/// must send the same parameters).
/// </summary>
public static class StripeFormEncoder
{
    public static string Encode(JsonObject parameters)
    {
        var pairs = new List<(string Key, string Value)>();
        foreach (var (key, value) in parameters)
        {
            Flatten(key, value, pairs);
        }

        var sb = new StringBuilder();
        foreach (var (key, value) in pairs)
        {
            if (sb.Length > 0)
            {
                sb.Append('&');
            }

            sb.Append(Escape(key)).Append('=').Append(Escape(value));
        }

        return sb.ToString();
    }

    private static void Flatten(string prefix, JsonNode? node, List<(string, string)> pairs)
    {
        switch (node)
        {
            case null:
                pairs.Add((prefix, ""));
                break;
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    Flatten($"{prefix}[{key}]", value, pairs);
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    Flatten($"{prefix}[{i.ToString(CultureInfo.InvariantCulture)}]", array[i], pairs);
                }

                break;
            case JsonValue value:
                pairs.Add((prefix, Scalar(value)));
                break;
        }
    }

    private static string Scalar(JsonValue value) => value.GetValueKind() switch
    {
        System.Text.Json.JsonValueKind.True => "true",
        System.Text.Json.JsonValueKind.False => "false",
        System.Text.Json.JsonValueKind.Number => value.ToJsonString(),
        _ => value.GetValue<string>(),
    };

    /// <summary>Form encoding: unreserved characters as they are, space as '+', the rest as %XX of UTF-8.</summary>
    private static string Escape(string text) => Uri.EscapeDataString(text).Replace("%20", "+", StringComparison.Ordinal);
}
