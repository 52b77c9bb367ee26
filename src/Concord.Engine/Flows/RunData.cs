using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Concord.Core.Configuration;
using Concord.Core.Flows.Model;
using Concord.Core.Records;
using Concord.Core.Schema;
using Concord.Engine.Storage;

namespace Concord.Engine.Flows;

/// <summary>
/// The data a run's templates and conditions read: what triggered it (stored as the run's input, so a
/// resumed run reads exactly what the first attempt read), the outputs of its steps so far under
/// <c>steps</c>, and the run itself under <c>run</c>.
/// </summary>
public static class RunData
{
    /// <summary>Top-level names the engine fills; trigger data never takes them over.</summary>
    private static readonly HashSet<string> Reserved = new(StringComparer.Ordinal) { "trigger", "steps", "run", "input", "before", "record", "body" };

    /// <summary>
    /// A record trigger's data: <c>record</c> and <c>&lt;type&gt;</c> (the record), each reference field's
    /// record under the field's name, <c>trigger</c> and <c>before</c> (old values of the changed fields).
    /// </summary>
    public static JsonObject ForRecord(RecordTrigger trigger, FlowRecordEvent change, EntityTypeConfig? type, Func<string, GoldenRecord?> load)
    {
        var record = change.Record;
        var data = new JsonObject { ["record"] = RecordObject(record) };
        if (!Reserved.Contains(record.Type))
        {
            data[record.Type] = RecordObject(record);
        }

        foreach (var field in type?.Schema.Fields.Where(f => f.Type == FieldType.Reference) ?? [])
        {
            if (Reserved.Contains(field.Name) || field.Name == record.Type || record.BestValueOf(field.Name) is not JsonValue v || !v.TryGetValue<string>(out var id))
            {
                continue;
            }

            if (load(id) is { } referenced && (field.RefersTo is null || referenced.Type == field.RefersTo))
            {
                data[field.Name] = RecordObject(referenced);
            }
        }

        data["trigger"] = new JsonObject
        {
            ["kind"] = "record",
            ["on"] = trigger.On.ToString().ToLowerInvariant(),
            ["type"] = record.Type,
            ["record_id"] = record.Id,
            ["version"] = record.Version,
            ["event"] = change.Kind,
            ["source"] = change.Source,
            ["changed"] = new JsonArray(change.Changed.Select(c => (JsonNode?)JsonValue.Create(c.Field)).ToArray()),
            ["at"] = Iso(record.UpdatedAt),
        };
        var before = new JsonObject();
        foreach (var c in change.Changed)
        {
            before[c.Field] = c.Old?.DeepClone();
        }

        data["before"] = before;
        return data;
    }

    /// <summary>A webhook's data: <c>body</c> (the parsed JSON, or <c>{ text }</c> when it is not JSON) and <c>trigger</c>.</summary>
    public static JsonObject ForWebhook(ReadOnlyMemory<byte> body, string? delivery, DateTimeOffset at)
    {
        JsonNode? parsed;
        try
        {
            parsed = body.Length == 0 ? new JsonObject() : JsonNode.Parse(body.Span, documentOptions: new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException)
        {
            parsed = new JsonObject { ["text"] = Encoding.UTF8.GetString(body.Span) };
        }

        return new JsonObject
        {
            ["body"] = parsed,
            ["trigger"] = new JsonObject { ["kind"] = "webhook", ["at"] = Iso(at), ["delivery"] = delivery },
        };
    }

    /// <summary>A schedule's data: <c>trigger</c> with the slot the run is for.</summary>
    public static JsonObject ForSchedule(DateTimeOffset slot, TimeZoneInfo zone) => new()
    {
        ["trigger"] = new JsonObject { ["kind"] = "schedule", ["at"] = Iso(slot), ["timezone"] = zone.Id },
    };

    /// <summary>A run started by hand: the input's keys at the top level, the input as <c>input</c>, and <c>trigger</c>.</summary>
    public static JsonObject ForManual(JsonObject input, string by, DateTimeOffset at)
    {
        var data = new JsonObject();
        foreach (var (key, value) in input)
        {
            if (key is not ("trigger" or "steps" or "run" or "input"))
            {
                data[key] = value?.DeepClone();
            }
        }

        data["input"] = input.DeepClone();
        data["trigger"] = new JsonObject { ["kind"] = "manual", ["at"] = Iso(at), ["by"] = by };
        return data;
    }

    /// <summary>What a step reads: the trigger data, <c>steps</c> (outputs by step id) and <c>run</c>.</summary>
    public static JsonObject ForStep(FlowRun run, JsonObject trigger, JsonObject steps)
    {
        var data = (JsonObject)trigger.DeepClone();
        data["steps"] = steps.DeepClone();
        data["run"] = new JsonObject { ["id"] = run.Id, ["flow"] = run.Flow, ["depth"] = run.Depth };
        return data;
    }

    /// <summary>A record as flows read it: <c>id</c> and every field (the golden value, or while there is none the latest observed one).</summary>
    public static JsonObject RecordObject(GoldenRecord record)
    {
        var obj = new JsonObject { ["id"] = record.Id };
        foreach (var field in record.Fields.Keys.Union(record.Observations.Keys).Order(StringComparer.Ordinal))
        {
            if (field != "id")
            {
                obj[field] = record.BestValueOf(field)?.DeepClone();
            }
        }

        return obj;
    }

    /// <summary>A moment as runs write it: UTC, ISO 8601.</summary>
    public static string Iso(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    /// <summary>The stored input of a run, as an object (an empty one when it is not).</summary>
    public static JsonObject Parse(string? json) => json is null ? [] : JsonNode.Parse(json) as JsonObject ?? [];
}
