using System.Text.Json.Nodes;
using Concord.Core.Configuration;
using Concord.Core.Privacy;
using Concord.Core.Schema;
using Concord.Engine.Storage;

namespace Concord.Engine.Flows;

/// <summary>
/// Masks personal data in run inputs and step inputs and outputs before people see them (the run
/// history, the API): any value under a key that names a field declared <c>pii</c> in one of the
/// configured entity types is masked as the transaction log masks it, at any depth. The stored
/// history keeps the values, since the run reads them.
/// </summary>
public sealed class FlowHistoryMask
{
    private readonly Dictionary<string, FieldSchema> _pii = new(StringComparer.Ordinal);

    public FlowHistoryMask(HubConfig config)
    {
        foreach (var field in config.Entities.Values.SelectMany(e => e.Schema.Fields).Where(f => f.Pii))
        {
            _pii.TryAdd(field.Name, field);
        }
    }

    public FlowRun Mask(FlowRun run) => run with { Input = Mask(run.Input) ?? run.Input };

    public FlowStepState Mask(FlowStepState step) => step with { Input = Mask(step.Input), Output = Mask(step.Output) };

    /// <summary>The JSON text with personal values masked; text that is not JSON is returned as it is.</summary>
    public string? Mask(string? json)
    {
        if (json is null || _pii.Count == 0)
        {
            return json;
        }

        try
        {
            return Mask(JsonNode.Parse(json))?.ToJsonString() ?? json;
        }
        catch (System.Text.Json.JsonException)
        {
            return json;
        }
    }

    /// <summary>A copy of <paramref name="node"/> with personal values masked.</summary>
    public JsonNode? Mask(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                var masked = new JsonObject();
                foreach (var (key, value) in obj)
                {
                    masked[key] = _pii.TryGetValue(key, out var field) ? MaskValue(field, value) : Mask(value);
                }

                return masked;

            case JsonArray array:
                return new JsonArray(array.Select(Mask).ToArray());

            default:
                return node?.DeepClone();
        }
    }

    private static JsonNode? MaskValue(FieldSchema field, JsonNode? value) => value switch
    {
        JsonArray items => new JsonArray(items.Select(item => MaskValue(field, item)).ToArray()),
        _ => PiiMask.Mask(field, value),
    };
}
