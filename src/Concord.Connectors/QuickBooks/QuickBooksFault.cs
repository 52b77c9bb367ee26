using System.Text.Json;

namespace Concord.Connectors.QuickBooks;

/// <summary>
/// The first error of a QuickBooks Fault body: <c>{"Fault":{"Error":[{"Message","Detail","code","element"}],"type"}}</c>.
/// Authentication faults come in lower case (<c>fault.error</c>), so names are matched ignoring case.
/// </summary>
public sealed record QuickBooksFault(string Type, string? Code, string? Message, string? Detail, string? Element)
{
    /// <summary>Code 5010: the SyncToken sent is not the object's current one.</summary>
    public const string StaleObject = "5010";

    public string Summary => $"{Type} {Code}: {Message}" + (Detail is { Length: > 0 } && Detail != Message ? $" ({Detail})" : "");

    public static QuickBooksFault? Parse(string body)
    {
        if (body.Length == 0 || body[0] != '{')
        {
            return null;
        }

        try
        {
            using var doc = JsonDocument.Parse(body);
            if (Property(doc.RootElement, "Fault") is not { ValueKind: JsonValueKind.Object } fault)
            {
                return null;
            }

            var type = Text(fault, "type") ?? "Fault";
            if (Property(fault, "Error") is { ValueKind: JsonValueKind.Array } errors && errors.GetArrayLength() > 0)
            {
                var e = errors[0];
                return new QuickBooksFault(type, Text(e, "code"), Text(e, "Message"), Text(e, "Detail"), Text(e, "element"));
            }

            return new QuickBooksFault(type, null, null, null, null);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static JsonElement? Property(JsonElement obj, string name)
    {
        foreach (var p in obj.EnumerateObject())
        {
            if (string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return p.Value;
            }
        }

        return null;
    }

    private static string? Text(JsonElement obj, string name) => Property(obj, name) is { } v && v.ValueKind is JsonValueKind.String or JsonValueKind.Number
        ? (v.ValueKind == JsonValueKind.String ? v.GetString() : v.GetRawText())
        : null;
}
