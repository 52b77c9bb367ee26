using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Concord.Engine.Flows.Steps;

/// <summary>
/// Reads a step's rendered arguments. A value of the wrong shape fails the step for good: the same
/// arguments would fail every attempt, and the message names the step and the argument to fix.
/// </summary>
internal static class StepArgs
{
    /// <summary>The argument as text: strings as they are, numbers and booleans as written in JSON, null when absent or null.</summary>
    public static string? Text(StepRun step, string name) => Text(step.Args[name]);

    /// <inheritdoc cref="Text(StepRun, string)"/>
    public static string? Text(JsonNode? node) => node switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v when v.GetValueKind() is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => v.ToJsonString(),
        JsonValue v when v.TryGetValue<DateTimeOffset>(out var dto) => dto.ToString("O", CultureInfo.InvariantCulture),
        JsonValue v when v.TryGetValue<DateTime>(out var dt) => dt.ToString("O", CultureInfo.InvariantCulture),
        JsonValue v when v.TryGetValue<DateOnly>(out var d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        _ => null,
    };

    /// <summary>The argument as non-empty text, or the step fails.</summary>
    public static string RequiredText(StepRun step, string name) =>
        Text(step, name) is { Length: > 0 } text && !string.IsNullOrWhiteSpace(text)
            ? text
            : throw Invalid(step, name, step.Args[name] is null ? "is required" : "must be non-empty text");

    /// <summary>A positive duration written as configuration durations are (<c>30s</c>, <c>10m</c>, <c>2h</c>, <c>3d</c>).</summary>
    public static TimeSpan? Duration(StepRun step, string name)
    {
        if (step.Args[name] is null)
        {
            return null;
        }

        return Text(step, name) is { } text && Core.Configuration.Duration.TryParse(text, out var value) && value > TimeSpan.Zero
            ? value
            : throw Invalid(step, name, $"must be a duration such as 30s, 10m, 2h or 3d, not {Show(step.Args[name])}");
    }

    /// <summary>The failure for an argument that cannot work; never retried.</summary>
    public static StepFailedException Invalid(StepRun step, string name, string problem) =>
        new($"step '{step.Step.Id}': {name} {problem}", retryable: false);

    /// <summary>A value as it appears in a message: JSON, shortened.</summary>
    public static string Show(JsonNode? node)
    {
        var json = node?.ToJsonString() ?? "null";
        return json.Length <= 80 ? json : json[..77] + "...";
    }

    /// <summary>The arguments without <paramref name="left"/>, as a new object.</summary>
    public static JsonObject Without(JsonObject args, params string[] left)
    {
        var copy = new JsonObject();
        foreach (var (key, value) in args)
        {
            if (!left.Contains(key, StringComparer.Ordinal))
            {
                copy[key] = value?.DeepClone();
            }
        }

        return copy;
    }
}
