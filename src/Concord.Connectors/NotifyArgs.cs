using System.Text.Json;
using System.Text.Json.Nodes;
using Concord.Engine.Connectors;

namespace Concord.Connectors;

/// <summary>
/// Reads a flow notification's arguments. An argument missing or of the wrong shape fails for good:
/// sending the same notification again cannot fix it, and the message names the system and argument.
/// </summary>
internal static class NotifyArgs
{
    /// <summary>The argument as text (numbers and booleans as written), null when absent, null or empty.</summary>
    public static string? Text(Notification notification, string system, string name) => notification.Args[name] switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => s.Length == 0 ? null : s,
        JsonValue v when v.GetValueKind() is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => v.ToJsonString(),
        _ => throw Invalid(system, $"{name} must be text"),
    };

    public static string RequiredText(Notification notification, string system, string name) =>
        Text(notification, system, name) is { } text && !string.IsNullOrWhiteSpace(text) ? text : throw Invalid(system, $"needs {name}");

    /// <summary>
    /// Text or a list of texts, each split on commas outside quotes (<c>to: "a@x.com, \"Doe, Jane\" &lt;j@x.com&gt;"</c>
    /// or <c>to: [a@x.com, b@x.com]</c>).
    /// </summary>
    public static List<string> List(Notification notification, string system, string name)
    {
        var items = notification.Args[name] switch
        {
            null => [],
            JsonArray list => list.Select(item => item is JsonValue v && v.TryGetValue<string>(out var s) ? s : throw Invalid(system, $"{name} must be text or a list of texts")).ToList(),
            _ => [Text(notification, system, name) ?? ""],
        };
        return items.SelectMany(SplitOutsideQuotes).ToList();
    }

    private static IEnumerable<string> SplitOutsideQuotes(string text)
    {
        var start = 0;
        var quoted = false;
        for (var i = 0; i <= text.Length; i++)
        {
            if (i < text.Length && text[i] == '"' && (i == 0 || text[i - 1] != '\\'))
            {
                quoted = !quoted;
            }
            else if (i == text.Length || (text[i] == ',' && !quoted))
            {
                var part = text[start..i].Trim();
                if (part.Length > 0)
                {
                    yield return part;
                }

                start = i + 1;
            }
        }
    }

    /// <summary>A notification that can never be sent as written.</summary>
    public static DeliveryFailedException Invalid(string system, string problem) =>
        new($"notify through '{system}': {problem}", statusCode: null, body: null, retryable: false);
}
