using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Concord.Core.Configuration;
using Concord.Engine.Connectors;
using Concord.Engine.Intake;

namespace Concord.Connectors.Webhook;

/// <summary>
/// Turns a raw JSON payload (an object, or a list of objects) into changes with the system's
/// <c>mapping:</c> from <c>concord.yaml</c>: dot paths pick the values, transforms tidy them.
/// </summary>
public sealed class PayloadMapper(InboundMapping mapping)
{
    /// <summary>All changes of the request as <c>{"changes": [...]}</c>, ready for <see cref="ChangeIntake.ParseBatch"/>.</summary>
    public byte[] ToChangeBatch(InboundRequest request) => Map(request).Batch;

    /// <summary>
    /// The changes as <see cref="ToChangeBatch"/> has them, and each payload object they were mapped from, in the
    /// same order (for the shape learner: only names and kinds are read of it).
    /// </summary>
    public (byte[] Batch, IReadOnlyList<JsonObject> Payloads) Map(InboundRequest request)
    {
        using var doc = Parse(request.Body);
        var root = doc.RootElement;
        var changes = new JsonArray();
        var payloads = new List<JsonObject>();
        if (root.ValueKind == JsonValueKind.Array)
        {
            var i = 0;
            foreach (var item in root.EnumerateArray())
            {
                changes.Add(MapOne(item, request, i++));
                payloads.Add(JsonObject.Create(item.Clone())!);
            }
        }
        else
        {
            changes.Add(MapOne(root, request, 0));
            payloads.Add(JsonObject.Create(root.Clone())!);
        }

        return (JsonSerializer.SerializeToUtf8Bytes(new JsonObject { ["changes"] = changes }), payloads);
    }

    private JsonObject MapOne(JsonElement item, InboundRequest request, int index)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            throw new IntakeException(400, "Malformed payload", index == 0 ? "$" : $"[{index}]", "each payload must be a JSON object");
        }

        var fields = new JsonObject();
        foreach (var f in mapping.Fields)
        {
            if (Select(item, f.Path) is not { } value)
            {
                continue;
            }

            fields[f.Field] = Transform(value, f.Transforms);
        }

        var change = new JsonObject { ["type"] = mapping.Type, ["fields"] = fields };
        if (mapping.ExternalId is { } idPath && Select(item, idPath) is { } id && id.ValueKind is JsonValueKind.String or JsonValueKind.Number)
        {
            change["external_id"] = id.ValueKind == JsonValueKind.String ? id.GetString() : id.GetRawText();
        }

        var eventId = mapping.EventId is { } evPath && Select(item, evPath) is { ValueKind: JsonValueKind.String or JsonValueKind.Number } ev
            ? (ev.ValueKind == JsonValueKind.String ? ev.GetString() : ev.GetRawText())
            : mapping.EventIdHeader is { } header ? request.Header(header) : null;
        if (eventId is not null)
        {
            change["event_id"] = index == 0 ? eventId : $"{eventId}#{index}";
        }

        return change;
    }

    private static JsonDocument Parse(ReadOnlyMemory<byte> body)
    {
        try
        {
            return JsonDocument.Parse(body);
        }
        catch (JsonException ex)
        {
            throw new IntakeException(400, "Malformed JSON", ex.LineNumber is { } l ? $"line {l + 1}, column {(ex.BytePositionInLine ?? 0) + 1}" : "body",
                ChangeIntake.FirstSentence(ex.Message));
        }
    }

    private static JsonElement? Select(JsonElement item, string path)
    {
        var current = item;
        foreach (var part in path.Split('.'))
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(part, out current))
            {
                return null;
            }
        }

        return current;
    }

    private static JsonNode? Transform(JsonElement value, IReadOnlyList<string> transforms)
    {
        if (value.ValueKind != JsonValueKind.String || transforms.Count == 0)
        {
            return JsonNode.Parse(value.GetRawText());
        }

        var text = value.GetString()!;
        foreach (var t in transforms)
        {
            text = t switch
            {
                "trim" => text.Trim(),
                "lower" => text.ToLowerInvariant(),
                "upper" => text.ToUpperInvariant(),
                "collapse_spaces" => CollapseSpaces(text),
                "digits" => new string(text.Where(char.IsAsciiDigit).ToArray()),
                _ => text,
            };
        }

        return JsonValue.Create(text);
    }

    private static string CollapseSpaces(string text)
    {
        var sb = new StringBuilder(text.Length);
        var space = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                space = true;
                continue;
            }

            if (space && sb.Length > 0)
            {
                sb.Append(' ');
            }

            space = false;
            sb.Append(c);
        }

        return sb.ToString();
    }
}
