using System.Text.Json.Nodes;
using Concord.Core.Records;

namespace Concord.Server.Dashboard.Records;

/// <summary>How the customer pages write a record's values: masked for viewers, and a name a person recognises.</summary>
public static class RecordText
{
    /// <summary>The fields that name a record, in the order they are tried: a person, a company, an invoice, a ticket.</summary>
    private static readonly string[] NameFields = ["name", "company", "email", "number", "subject", "title", "customer_email"];

    /// <summary>A JSON value as text: strings without quotes, anything else as JSON.</summary>
    public static string Plain(JsonNode? value) => value switch
    {
        null => "",
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => value.ToJsonString(),
    };

    /// <summary>One field's value as this user may read it.</summary>
    public static string Value(DashboardMask mask, string type, string field, JsonNode? value) => Plain(mask.Field(type, field, value));

    /// <summary>What to call a record: its name (or first and last name), else what identifies it, else its id; masked for viewers.</summary>
    public static string Name(DashboardMask mask, GoldenRecord record)
    {
        var first = record.BestValueOf("first_name");
        var last = record.BestValueOf("last_name");
        if (record.BestValueOf("name") is null && (first is not null || last is not null))
        {
            return (Value(mask, record.Type, "first_name", first) + " " + Value(mask, record.Type, "last_name", last)).Trim();
        }

        foreach (var field in NameFields)
        {
            if (record.BestValueOf(field) is { } value && Plain(value).Length > 0)
            {
                return Value(mask, record.Type, field, value);
            }
        }

        return record.Id;
    }

    /// <summary>
    /// A finding's message as this user may read it. Messages quote the values that made them (the email two records
    /// share), so for a viewer every personal value of the records involved is replaced by its masked form, also when
    /// the message quotes it lower-cased or as bare digits.
    /// </summary>
    public static string Message(DashboardMask mask, string message, params GoldenRecord?[] records)
    {
        if (mask.Clear)
        {
            return message;
        }

        foreach (var record in records)
        {
            foreach (var field in record is null ? [] : record.Fields.Keys.Union(record.Observations.Keys))
            {
                var plain = Plain(record!.BestValueOf(field));
                var masked = Value(mask, record.Type, field, record.BestValueOf(field));
                if (plain.Length < 3 || plain == masked)
                {
                    continue;
                }

                message = message.Replace(plain.Trim(), masked, StringComparison.OrdinalIgnoreCase);
                var digits = new string([.. plain.Where(char.IsAsciiDigit)]);
                if (digits.Length >= 5)
                {
                    message = message.Replace(digits, masked, StringComparison.Ordinal);
                }
            }
        }

        return message;
    }

    /// <summary>The dashboard address of a record's page.</summary>
    public static string Href(string type, string id) => $"{DashboardSetup.Path}/records/{Uri.EscapeDataString(type)}/{Uri.EscapeDataString(id)}";
}
