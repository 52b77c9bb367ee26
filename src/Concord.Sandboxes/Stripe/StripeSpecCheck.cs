using System.Text.Json;
using System.Text.Json.Nodes;

namespace Concord.Sandboxes.Stripe;

/// <summary>
/// Checks a form body against the request schema of Stripe's own OpenAPI specification, as Stripe
/// does: an unknown parameter (at any depth the schema describes) is refused with
/// <c>parameter_unknown</c>, a missing required one with <c>parameter_missing</c>. This checks the
/// bodies Prism cannot parse (bracket arrays), and every other body the sandbox receives.
/// </summary>
public sealed class StripeSpecCheck
{
    private readonly JsonObject _paths;

    public StripeSpecCheck(string specPath)
    {
        using var stream = File.OpenRead(specPath);
        _paths = (JsonNode.Parse(stream) as JsonObject)?["paths"] as JsonObject ?? throw new InvalidDataException($"{specPath} has no paths");
    }

    /// <summary>Whether the specification has this operation at all.</summary>
    public bool Knows(string method, string template) => Operation(method, template) is not null;

    /// <summary>The first problem with the parameters as (code, param, message), or null when they fit.</summary>
    public (string Code, string Param, string Message)? Check(string method, string template, JsonObject parameters)
    {
        if (Operation(method, template)?["requestBody"]?["content"]?["application/x-www-form-urlencoded"]?["schema"] is not JsonObject schema)
        {
            return null;
        }

        foreach (var required in (schema["required"] as JsonArray ?? []).Select(r => r?.GetValue<string>()).OfType<string>())
        {
            if (!parameters.ContainsKey(required))
            {
                return ("parameter_missing", required, $"Missing required param: {required}.");
            }
        }

        return Unknown(schema, parameters, null);
    }

    private JsonObject? Operation(string method, string template) => _paths[template]?[method.ToLowerInvariant()] as JsonObject;

    private static (string, string, string)? Unknown(JsonObject schema, JsonNode? value, string? prefix)
    {
        switch (value)
        {
            case JsonObject obj:
                if (ObjectVariant(schema) is not { } described)
                {
                    return null;
                }

                var properties = described["properties"] as JsonObject;
                var open = described["additionalProperties"] is JsonNode extra && extra.GetValueKind() != JsonValueKind.False;
                foreach (var (key, child) in obj)
                {
                    var name = prefix is null ? key : $"{prefix}[{key}]";
                    if (properties?[key] is JsonObject childSchema)
                    {
                        if (Unknown(childSchema, child, name) is { } problem)
                        {
                            return problem;
                        }
                    }
                    else if (!open)
                    {
                        return ("parameter_unknown", name, $"Received unknown parameter: {name}");
                    }
                }

                return null;
            case JsonArray array:
                if (ArrayItems(schema) is not { } items)
                {
                    return null;
                }

                for (var i = 0; i < array.Count; i++)
                {
                    if (Unknown(items, array[i], $"{prefix}[{i}]") is { } problem)
                    {
                        return problem;
                    }
                }

                return null;
            default:
                return null;
        }
    }

    private static JsonObject? ObjectVariant(JsonObject schema) =>
        schema["properties"] is not null || schema["additionalProperties"] is not null
            ? schema
            : (schema["anyOf"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(s => s["properties"] is not null || s["additionalProperties"] is not null);

    private static JsonObject? ArrayItems(JsonObject schema) =>
        schema["items"] as JsonObject ?? (schema["anyOf"] as JsonArray ?? []).OfType<JsonObject>().Select(s => s["items"] as JsonObject).FirstOrDefault(i => i is not null);
}
