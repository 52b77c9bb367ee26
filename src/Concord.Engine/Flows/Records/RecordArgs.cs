using System.Text.Json.Nodes;
using Concord.Core.Configuration;
using Concord.Core.Flows.Model;
using Concord.Core.Schema;
using Concord.Core.Sync;

namespace Concord.Engine.Flows.Records;

/// <summary>
/// The rendered arguments of a record step, read and checked against the entity schema: values are
/// normalised as inbound values are (<see cref="FieldValues"/>), so a flow cannot write what a system could not.
/// </summary>
internal sealed record RecordArgs(
    EntityTypeConfig? Type,
    IReadOnlyDictionary<string, JsonNode?> Fields,
    IReadOnlyDictionary<string, JsonNode?> Where,
    string? In,
    bool Await,
    bool Required,
    string? RecordId)
{
    public static RecordArgs Read(StepRun step, SyncPlan plan)
    {
        var args = step.Args;
        var action = step.Step.Action;
        var problems = new List<string>();
        var typeName = Text(args, "type", problems);
        EntityTypeConfig? type = null;
        if (typeName is not null && !plan.Config.Entities.TryGetValue(typeName, out type))
        {
            problems.Add($"type: no entity type '{typeName}' is configured");
        }
        else if (typeName is null && action is not (StepAction.Update or StepAction.Set))
        {
            problems.Add("type: required");
        }

        var inSystem = Text(args, "in", problems);
        if (inSystem is not null && action == StepAction.Set)
        {
            problems.Add("in: set writes golden fields only; use update to write to a system");
        }

        var wantsAwait = inSystem is not null;
        switch (args["await"])
        {
            case null:
                break;
            case JsonValue v when v.TryGetValue<string>(out var s) && s is "delivered" or "none":
                wantsAwait = s == "delivered";
                break;
            case JsonValue v when v.TryGetValue<bool>(out var b):
                wantsAwait = b;
                break;
            default:
                problems.Add("await: must be delivered or none");
                break;
        }

        if (wantsAwait && inSystem is null && args["await"] is not null)
        {
            problems.Add("await: needs in: <system>, the system whose delivery to wait for");
        }

        if (inSystem is not null && type is not null && action is not StepAction.Find && !plan.Receivers(type.Name).Any(r => r.System == inSystem))
        {
            problems.Add($"in: system '{inSystem}' does not receive {type.Name}: it has no push or two-way sync rule for it");
        }

        var required = args["required"] is JsonValue r && r.TryGetValue<bool>(out var req) && req;
        var fields = action is StepAction.Find ? new Dictionary<string, JsonNode?>() : Values(type, args, "fields", required: true, problems);
        var where = action switch
        {
            StepAction.Find => Values(type, args, "where", required: true, problems),
            StepAction.FindOrCreate or StepAction.Upsert => MatchValues(type, args, fields, problems),
            _ => new Dictionary<string, JsonNode?>(),
        };

        string? recordId = null;
        if (action is StepAction.Update or StepAction.Set)
        {
            recordId = args["record"] switch
            {
                JsonValue v when v.TryGetValue<string>(out var id) && id.Length > 0 => id,
                JsonObject o when (string?)o["id"] is { Length: > 0 } id => id,
                _ => null,
            };
            if (recordId is null)
            {
                problems.Add("record: required, the golden record's id (e.g. \"{{ steps.contact.id }}\")");
            }
        }

        if (problems.Count > 0)
        {
            throw new StepFailedException(string.Join("; ", problems), retryable: false);
        }

        return new RecordArgs(type, fields, where, inSystem, wantsAwait && inSystem is not null, required, recordId);
    }

    private static string? Text(JsonObject args, string name, List<string> problems)
    {
        switch (args[name])
        {
            case null:
                return null;
            case JsonValue v when v.TryGetValue<string>(out var s) && s.Length > 0:
                return s;
            default:
                problems.Add($"{name}: must be a name");
                return null;
        }
    }

    /// <summary>A mapping of field → value, each checked and normalised against the type's schema.</summary>
    private static Dictionary<string, JsonNode?> Values(EntityTypeConfig? type, JsonObject args, string name, bool required, List<string> problems)
    {
        var result = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        if (args[name] is not JsonObject values)
        {
            if (args[name] is not null || required)
            {
                problems.Add($"{name}: must be a mapping of field names to values");
            }

            return result;
        }

        if (type is null)
        {
            return result;
        }

        foreach (var (field, value) in values)
        {
            if (!type.Schema.TryGetField(field, out var schema))
            {
                var guess = type.Schema.Suggest(field);
                problems.Add($"{name}.{field}: '{field}' is not a field of {type.Name}" + (guess is null ? "" : $"; did you mean '{guess}'?"));
                continue;
            }

            if (Normalise(schema, value, out var normal, out var error))
            {
                result[field] = normal;
            }
            else
            {
                problems.Add($"{name}.{field}: {error}");
            }
        }

        if (required && values.Count == 0)
        {
            problems.Add($"{name}: name at least one field");
        }

        return result;
    }

    /// <summary>The values to find a record by: the <c>match</c> fields (the type's identity keys by default) taken from <c>fields</c>.</summary>
    private static Dictionary<string, JsonNode?> MatchValues(EntityTypeConfig? type, JsonObject args, Dictionary<string, JsonNode?> fields, List<string> problems)
    {
        var result = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        if (type is null)
        {
            return result;
        }

        List<string> match;
        if (args["match"] is JsonArray list)
        {
            match = list.Select(n => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : "").ToList();
            foreach (var field in match.Where(f => !type.Schema.HasField(f)))
            {
                problems.Add($"match: '{field}' is not a field of {type.Name}");
            }
        }
        else if (args["match"] is not null)
        {
            problems.Add("match: must be a list of field names");
            return result;
        }
        else
        {
            match = type.Identity.Select(k => k.Field).Where(fields.ContainsKey).ToList();
            if (match.Count == 0)
            {
                problems.Add($"match: {type.Name} has no identity key among the fields written; name the fields to match on (match: [number])");
            }
        }

        foreach (var field in match.Where(type.Schema.HasField))
        {
            if (fields.TryGetValue(field, out var value) && value is not null)
            {
                result[field] = value;
            }
            else
            {
                problems.Add($"match: '{field}' has no value in fields, so nothing can be matched on it");
            }
        }

        return result;
    }

    public static bool Normalise(FieldSchema field, JsonNode? value, out JsonNode? normal, out string? error)
    {
        using var document = System.Text.Json.JsonDocument.Parse(value?.ToJsonString() ?? "null");
        return FieldValues.TryNormalize(field, document.RootElement, out normal, out error);
    }
}
