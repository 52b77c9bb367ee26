using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Concord.Core.Schema;
using Concord.Engine.Storage;

namespace Concord.Connectors.Slack;

/// <summary>
/// Turns a delivery into the text of one Slack message: a short summary of the record and what
/// changed, or the system's own <c>message</c> template with <c>{field}</c>, <c>{type}</c>,
/// <c>{operation}</c>, <c>{changed}</c>, <c>{title}</c> and <c>{id}</c> placeholders.
/// Personal data (fields marked pii) stays out of the channel unless <c>include_pii</c> is set:
/// a Slack channel is read by more people than the tools the data came from.
/// </summary>
public sealed class SlackMessageTemplate(string? template, bool includePii)
{
    /// <summary>What a withheld personal value is shown as.</summary>
    public const string Hidden = "(hidden)";

    /// <summary>Fields that name a record in a message, best first, per type.</summary>
    private static readonly Dictionary<string, string[]> TitleFields = new(StringComparer.Ordinal)
    {
        ["customer"] = ["name", "email", "company"],
        ["company"] = ["name", "domain"],
        ["deal"] = ["name"],
        ["invoice"] = ["number"],
        ["payment"] = ["invoice_number", "method"],
        ["subscription"] = ["plan"],
        ["project"] = ["name"],
        ["task"] = ["title"],
        ["ticket"] = ["subject"],
    };

    public string Render(Delivery delivery)
    {
        var fields = ParseObject(delivery.Payload);
        var changed = ParseChanged(delivery.Changed);
        var schema = CanonicalSchemas.TryGet(delivery.Type, out var s) ? s : null;
        var deleted = delivery.Operation == "delete";
        var title = Title(delivery, fields, schema);
        var changes = deleted ? "deleted" : Changes(fields, changed, schema);
        if (template is not null)
        {
            return Fill(template, delivery, fields, schema, title, changes);
        }

        var label = Label(delivery.Type);
        if (deleted)
        {
            return $"{label} {title} was deleted";
        }

        var text = new StringBuilder(delivery.Version == 1 ? $"New {delivery.Type.Replace('_', ' ')} {title}" : $"{label} {title}");
        if (changes.Length > 0)
        {
            text.Append(": ").Append(changes);
        }

        // The amount gives a money change its scale even when the amount itself did not change.
        if (Value(fields, schema, "amount") is { } amount && !changed.Contains("amount") && !title.EndsWith(amount, StringComparison.Ordinal))
        {
            text.Append(" (amount ").Append(amount).Append(')');
        }

        return text.ToString();
    }

    private string Fill(string text, Delivery delivery, JsonObject fields, EntitySchema? schema, string title, string changes)
    {
        var result = new StringBuilder(text.Length + 64);
        var i = 0;
        while (i < text.Length)
        {
            var open = text.IndexOf('{', i);
            var close = open < 0 ? -1 : text.IndexOf('}', open + 1);
            if (open < 0 || close < 0)
            {
                result.Append(text, i, text.Length - i);
                break;
            }

            result.Append(text, i, open - i);
            var name = text[(open + 1)..close].Trim();
            result.Append(name switch
            {
                "type" => delivery.Type,
                "operation" => delivery.Operation,
                "changed" => changes,
                "title" => title,
                "id" => delivery.RecordId,
                _ => Value(fields, schema, name) ?? "",
            });
            i = close + 1;
        }

        return result.ToString();
    }

    private string Title(Delivery delivery, JsonObject fields, EntitySchema? schema)
    {
        foreach (var name in TitleFields.GetValueOrDefault(delivery.Type, ["name", "title", "number"]))
        {
            if (!IsPii(schema, name) && Value(fields, schema, name) is { Length: > 0 } value)
            {
                return value;
            }
        }

        // A payment often has nothing but its amount to go by; that reads better than an id.
        return Value(fields, schema, "amount") is { Length: > 0 } amount ? "of " + amount : delivery.RecordId;
    }

    /// <summary>"status → paid, amount → 1,200.00 usd"; a withheld field is named without its value.</summary>
    private string Changes(JsonObject fields, IReadOnlyList<string> changed, EntitySchema? schema)
    {
        var parts = new List<string>(changed.Count);
        foreach (var name in changed)
        {
            if (name == "currency" && changed.Contains("amount"))
            {
                continue;
            }

            var value = Value(fields, schema, name);
            parts.Add(value is null ? $"{name} cleared" : $"{name} → {value}");
        }

        return string.Join(", ", parts);
    }

    /// <summary>A field's value as text for people: money with its currency, pii withheld, null when absent.</summary>
    private string? Value(JsonObject fields, EntitySchema? schema, string name)
    {
        if (!fields.TryGetPropertyValue(name, out var node) || node is null)
        {
            return null;
        }

        if (IsPii(schema, name))
        {
            return Hidden;
        }

        if (node is not JsonValue value)
        {
            return node.ToJsonString();
        }

        FieldSchema? field = null;
        schema?.TryGetField(name, out field);
        if (field?.Type == FieldType.Money && value.TryGetValue<decimal>(out var money))
        {
            var currency = fields["currency"] is JsonValue c && c.TryGetValue<string>(out var code) ? " " + code : "";
            return money.ToString("N2", CultureInfo.InvariantCulture) + currency;
        }

        return value.GetValueKind() switch
        {
            JsonValueKind.String => value.GetValue<string>(),
            JsonValueKind.True => "yes",
            JsonValueKind.False => "no",
            _ => value.ToJsonString(),
        };
    }

    /// <summary>
    /// Pii by the shipped schema. A field the shipped schema does not know (a custom field) counts
    /// as personal too: the connector cannot see how concord.yaml flags it, so it errs on the side
    /// of keeping it out of the channel.
    /// </summary>
    private bool IsPii(EntitySchema? schema, string name) =>
        !includePii && (schema is null || !schema.TryGetField(name, out var field) || field.Pii);

    private static string Label(string type) =>
        type.Length == 0 ? type : char.ToUpperInvariant(type[0]) + type[1..].Replace('_', ' ');

    private static JsonObject ParseObject(string json) =>
        JsonNode.Parse(json.Length == 0 ? "{}" : json) as JsonObject ?? [];

    private static List<string> ParseChanged(string json) =>
        json.Length == 0 ? [] : JsonSerializer.Deserialize<List<string>>(json) ?? [];
}
