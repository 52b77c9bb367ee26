using System.Globalization;
using System.Text.Json.Nodes;

namespace Concord.Sandboxes.Stripe;

/// <summary>
/// Reads a form body the way Stripe does: bracket notation nests (<c>address[city]=Paris</c>),
/// numeric keys and <c>[]</c> make arrays (<c>items[0][price]=p</c>, <c>expand[]=x</c>). Values stay strings.
/// </summary>
public static class StripeFormDecoder
{
    public static JsonObject Decode(string body)
    {
        var root = new JsonObject();
        foreach (var pair in body.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Unescape(eq < 0 ? pair : pair[..eq]);
            var value = eq < 0 ? "" : Unescape(pair[(eq + 1)..]);
            Put(root, Segments(key), value);
        }

        return (JsonObject)Arrays(root)!;
    }

    private static string Unescape(string text) => Uri.UnescapeDataString(text.Replace('+', ' '));

    private static List<string> Segments(string key)
    {
        var open = key.IndexOf('[', StringComparison.Ordinal);
        if (open < 0)
        {
            return [key];
        }

        var segments = new List<string> { key[..open] };
        while (open >= 0 && open < key.Length)
        {
            var close = key.IndexOf(']', open);
            if (close < 0)
            {
                break;
            }

            segments.Add(key[(open + 1)..close]);
            open = close + 1 < key.Length && key[close + 1] == '[' ? close + 1 : -1;
        }

        return segments;
    }

    private static void Put(JsonObject node, List<string> segments, string value)
    {
        for (var i = 0; i < segments.Count - 1; i++)
        {
            var segment = segments[i].Length == 0 ? node.Count.ToString(CultureInfo.InvariantCulture) : segments[i];
            if (node[segment] is not JsonObject child)
            {
                child = new JsonObject();
                node[segment] = child;
            }

            node = child;
        }

        var last = segments[^1].Length == 0 ? node.Count.ToString(CultureInfo.InvariantCulture) : segments[^1];
        node[last] = value;
    }

    /// <summary>Objects keyed 0..n-1 become arrays.</summary>
    private static JsonNode? Arrays(JsonNode? node)
    {
        if (node is not JsonObject obj)
        {
            return node;
        }

        var keys = obj.Select(p => p.Key).ToList();
        foreach (var key in keys)
        {
            var converted = Arrays(obj[key]);
            if (!ReferenceEquals(converted, obj[key]))
            {
                obj[key] = null;
                obj[key] = converted;
            }
        }

        if (keys.Count > 0 && keys.Select((k, i) => k == i.ToString(CultureInfo.InvariantCulture)).All(x => x))
        {
            var array = new JsonArray();
            foreach (var key in keys)
            {
                var child = obj[key];
                obj.Remove(key);
                array.Add(child);
            }

            return array;
        }

        return obj;
    }
}
