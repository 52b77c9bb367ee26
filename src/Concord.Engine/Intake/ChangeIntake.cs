using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Concord.Core.Configuration;
using Concord.Core.Privacy;
using Concord.Core.Records;
using Concord.Core.Schema;
using Concord.Core.Sync;
using Concord.Engine.Storage;

namespace Concord.Engine.Intake;

/// <summary>
/// The accept stage's checks: parses a batch of changes, validates every one against the
/// configuration and schema, and reports every problem at once with its JSON path. A batch is
/// accepted whole or not at all.
/// </summary>
public sealed class ChangeIntake(SyncPlan plan, TimeProvider time)
{
    /// <summary>Changes accepted in one request, at most.</summary>
    public const int MaxBatch = 1000;

    private static readonly string[] ChangeKeys = ["type", "external_id", "event_id", "occurred_at", "fields", "deleted", "record_id"];

    /// <summary>Parses <c>{"changes": [...]}</c>, a list of changes, or one change.</summary>
    public IReadOnlyList<InboundChange> ParseBatch(string system, ReadOnlyMemory<byte> body, string via)
    {
        RequireSystem(system);
        using var doc = Parse(body);
        var root = doc.RootElement;
        JsonElement list;
        string prefix;
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("changes", out var changes))
        {
            list = changes;
            prefix = "changes";
            foreach (var p in root.EnumerateObject().Where(p => p.Name != "changes"))
            {
                throw new IntakeException(400, "Malformed request", p.Name, "unknown property; a batch is {\"changes\": [...]}");
            }
        }
        else if (root.ValueKind == JsonValueKind.Array)
        {
            list = root;
            prefix = "";
        }
        else if (root.ValueKind == JsonValueKind.Object)
        {
            var single = new List<IntakeError>();
            return [ValidateOne(system, root, "$", via, single) ?? throw new IntakeException(Status(single), "Invalid change", single)];
        }
        else
        {
            throw new IntakeException(400, "Malformed request", "$", "the body must be a JSON object {\"changes\": [...]} or a list of changes");
        }

        if (list.ValueKind != JsonValueKind.Array)
        {
            throw new IntakeException(400, "Malformed request", prefix, "must be a list of changes");
        }

        var count = list.GetArrayLength();
        if (count == 0)
        {
            throw new IntakeException(400, "Malformed request", prefix.Length == 0 ? "$" : prefix, "the list of changes is empty");
        }

        if (count > MaxBatch)
        {
            throw new IntakeException(413, "Batch too large", prefix.Length == 0 ? "$" : prefix, $"{count} changes in one request; send at most {MaxBatch}");
        }

        var errors = new List<IntakeError>();
        var result = new List<InboundChange>(count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var i = 0;
        foreach (var item in list.EnumerateArray())
        {
            var path = $"{prefix}[{i++}]";
            if (ValidateOne(system, item, path, via, errors) is { } change)
            {
                if (!seen.Add(change.Change.EventId))
                {
                    errors.Add(new IntakeError($"{path}.event_id", $"'{change.Change.EventId}' appears twice in this batch"));
                }

                result.Add(change);
            }
        }

        return errors.Count > 0 ? throw new IntakeException(Status(errors), "Invalid changes", errors) : result;
    }

    /// <summary>
    /// Builds a change from fields a connector already extracted (e.g. a mapped webhook payload);
    /// <paramref name="recordId"/> is the hub record the system says its record was made from, when it keeps that id.
    /// </summary>
    public InboundChange FromFields(string system, string type, string? externalId, string? eventId, DateTimeOffset? occurredAt, JsonObject fields, bool deleted, string via, string? recordId = null)
    {
        var obj = new JsonObject
        {
            ["record_id"] = recordId,
            ["type"] = type,
            ["external_id"] = externalId,
            ["event_id"] = eventId,
            ["occurred_at"] = occurredAt?.ToString("O", CultureInfo.InvariantCulture),
            ["fields"] = fields.DeepClone(),
            ["deleted"] = deleted,
        };
        using var doc = JsonDocument.Parse(obj.ToJsonString());
        var errors = new List<IntakeError>();
        return ValidateOne(system, doc.RootElement, "$", via, errors) ?? throw new IntakeException(400, "Invalid change", errors);
    }

    /// <summary>422 when the request is well-formed but the configuration does not allow it; 400 otherwise.</summary>
    private static int Status(List<IntakeError> errors) =>
        errors.All(e => e.Message.Contains("does not contribute", StringComparison.Ordinal) || e.Message.Contains("does not sync", StringComparison.Ordinal)) ? 422 : 400;

    private void RequireSystem(string system)
    {
        if (!plan.Config.Systems.ContainsKey(system))
        {
            var guess = Suggestions.Closest(system, plan.Config.Systems.Keys);
            throw new IntakeException(404, "Unknown system", "system", $"no system named '{system}' is configured" + (guess is null ? "" : $"; did you mean '{guess}'?"));
        }
    }

    private static JsonDocument Parse(ReadOnlyMemory<byte> body)
    {
        try
        {
            return JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 32 });
        }
        catch (JsonException ex)
        {
            var where = ex.LineNumber is { } line ? $"line {line + 1}, column {(ex.BytePositionInLine ?? 0) + 1}" : "body";
            throw new IntakeException(400, "Malformed JSON", where, FirstSentence(ex.Message));
        }
    }

    /// <summary>The parser's message without its internals ("Path: …", "LineNumber: …", advice about reader options).</summary>
    public static string FirstSentence(string message)
    {
        foreach (var marker in new[] { " Path:", " LineNumber:", " Change the reader options" })
        {
            var cut = message.IndexOf(marker, StringComparison.Ordinal);
            if (cut > 0)
            {
                message = message[..cut];
            }
        }

        return message.TrimEnd(' ', '.') + ".";
    }

    private InboundChange? ValidateOne(string system, JsonElement item, string path, string via, List<IntakeError> errors)
    {
        var before = errors.Count;
        if (item.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new IntakeError(path, "must be an object with type, external_id, event_id, occurred_at and fields"));
            return null;
        }

        foreach (var p in item.EnumerateObject().Where(p => !ChangeKeys.Contains(p.Name)))
        {
            var guess = Suggestions.Closest(p.Name, ChangeKeys);
            errors.Add(new IntakeError($"{path}.{p.Name}", "unknown property" + (guess is null ? $"; a change has {string.Join(", ", ChangeKeys)}" : $"; did you mean '{guess}'?")));
        }

        var type = item.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : null;
        if (type is null)
        {
            errors.Add(new IntakeError($"{path}.type", "required: the entity type, e.g. \"customer\""));
            return null;
        }

        if (!plan.Config.Entities.TryGetValue(type, out var entity))
        {
            var guess = Suggestions.Closest(type, plan.Config.Entities.Keys);
            errors.Add(new IntakeError($"{path}.type", $"unknown entity type '{type}'" + (guess is null ? $"; configured types: {string.Join(", ", plan.Config.Entities.Keys)}" : $"; did you mean '{guess}'?")));
            return null;
        }

        var rule = plan.ContributorRule(system, type);
        if (rule is null)
        {
            errors.Add(new IntakeError($"{path}.type", $"system '{system}' does not contribute {type}: it has no pull or two-way sync rule for it"));
            return null;
        }

        var externalId = ReadId(item, "external_id", $"{path}.external_id", errors);
        var eventId = ReadId(item, "event_id", $"{path}.event_id", errors) ?? Ids.New("evt", time);
        var recordId = ReadId(item, "record_id", $"{path}.record_id", errors);
        var occurredAt = time.GetUtcNow();
        if (item.TryGetProperty("occurred_at", out var o) && o.ValueKind != JsonValueKind.Null)
        {
            if (o.ValueKind != JsonValueKind.String || !DateTimeOffset.TryParse(o.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out occurredAt))
            {
                errors.Add(new IntakeError($"{path}.occurred_at", "must be an ISO 8601 time such as 2026-11-22T09:30:00Z"));
            }
        }

        var deleted = false;
        if (item.TryGetProperty("deleted", out var del) && del.ValueKind != JsonValueKind.Null)
        {
            if (del.ValueKind is JsonValueKind.True or JsonValueKind.False)
            {
                deleted = del.GetBoolean();
            }
            else
            {
                errors.Add(new IntakeError($"{path}.deleted", "must be true or false"));
            }
        }

        if (deleted && externalId is null)
        {
            errors.Add(new IntakeError($"{path}.external_id", "a deletion must name the record it deletes"));
        }

        var fields = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        var logged = new JsonObject();
        if (item.TryGetProperty("fields", out var f) && f.ValueKind != JsonValueKind.Null)
        {
            if (f.ValueKind != JsonValueKind.Object)
            {
                errors.Add(new IntakeError($"{path}.fields", "must be an object of field names to values"));
            }
            else
            {
                foreach (var p in f.EnumerateObject())
                {
                    var fieldPath = $"{path}.fields.{p.Name}";
                    if (!entity.Schema.TryGetField(p.Name, out var field))
                    {
                        var guess = entity.Schema.Suggest(p.Name);
                        errors.Add(new IntakeError(fieldPath, $"'{p.Name}' is not a field of {type}" + (guess is null ? "" : $"; did you mean '{guess}'?")));
                        continue;
                    }

                    if (!rule.Covers(p.Name))
                    {
                        errors.Add(new IntakeError(fieldPath, $"system '{system}' does not sync {type}.{p.Name} (see its sync rule at {rule.At})"));
                        continue;
                    }

                    if (FieldValues.TryNormalize(field, p.Value, out var value, out var error))
                    {
                        fields[p.Name] = value;
                        logged[p.Name] = PiiMask.Mask(field, value);
                    }
                    else
                    {
                        errors.Add(new IntakeError(fieldPath, error!));
                    }
                }
            }
        }
        else if (!deleted)
        {
            errors.Add(new IntakeError($"{path}.fields", "required: the fields that changed (or \"deleted\": true)"));
        }

        if (errors.Count > before)
        {
            return null;
        }

        var change = new Change(system, type, externalId, eventId, occurredAt, fields, deleted, recordId);
        var payload = new JsonObject
        {
            ["type"] = type,
            ["external_id"] = externalId,
            ["event_id"] = eventId,
            ["occurred_at"] = occurredAt.ToString("O", CultureInfo.InvariantCulture),
        };
        if (recordId is not null)
        {
            payload["record_id"] = recordId;
        }

        if (deleted)
        {
            payload["deleted"] = true;
        }
        else
        {
            payload["fields"] = logged;
        }

        return new InboundChange(Ids.New("chg", time), change, payload.ToJsonString(), time.GetUtcNow(), via);
    }

    private static string? ReadId(JsonElement item, string name, string path, List<IntakeError> errors)
    {
        if (!item.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        var text = v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Number => v.GetRawText(),
            _ => null,
        };
        if (string.IsNullOrWhiteSpace(text) || text.Length > 255)
        {
            errors.Add(new IntakeError(path, "must be a non-empty string of at most 255 characters"));
            return null;
        }

        return text;
    }
}
