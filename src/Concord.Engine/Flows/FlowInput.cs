using System.Text.Json;
using System.Text.Json.Nodes;

namespace Concord.Engine.Flows;

/// <summary>
/// The input a person gives a run they start (over the API or the command line): a JSON object, whose keys
/// the flow's templates read. Anything else is refused with what it was, so the fix is obvious.
/// </summary>
public static class FlowInput
{
    /// <summary>Null for an object; otherwise why <paramref name="input"/> cannot be a run's input.</summary>
    public static string? Problem(JsonNode? input) => input is JsonObject
        ? null
        : $"the run's input must be a JSON object ({{\"name\": value, …}}), not {Kind(input)}";

    private static string Kind(JsonNode? node) => node?.GetValueKind() switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "true or false",
        _ => "null",
    };
}
