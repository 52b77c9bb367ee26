using System.Text.Json.Nodes;
using Concord.Core.Flows.Expressions;
using Concord.Core.Flows.Model;
using Concord.Core.Schema;

namespace Concord.Core.Configuration;

/// <summary>
/// Checks how a flow's steps refer to each other: ids are unique, and <c>steps.&lt;id&gt;</c> in a template or
/// condition names a step that has run by then — one written earlier, and not in the other branch of an
/// <c>if:</c> the reader is in. A later or misspelt id would silently read as null when the flow runs.
/// </summary>
internal static class FlowStepReferences
{
    public static void Check(FlowConfig flow, List<ConfigProblem> problems)
    {
        var seen = new Dictionary<string, FlowStep>(StringComparer.Ordinal);
        foreach (var step in flow.AllSteps())
        {
            if (!seen.TryAdd(step.Id, step))
            {
                problems.Add(new ConfigProblem(step.At, "duplicate-step", $"flow '{flow.Name}': two steps have the id '{step.Id}'",
                    $"templates read a step's output as steps.<id>, so each id is used once in a flow (the first is at line {seen[step.Id].At.Line})"));
            }
        }

        foreach (var condition in new[] { flow.When, flow.LoopUntil }.OfType<FlowCondition>())
        {
            CheckPaths(flow, null, condition.Expression.Paths, [], condition.At, problems);
        }

        CheckSteps(flow, flow.Steps, [], problems);
    }

    /// <summary>Every string in a step's arguments, with its dotted path.</summary>
    public static IEnumerable<(string Path, string Text)> Strings(JsonNode? node, string path)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    foreach (var inner in Strings(value, path.Length == 0 ? key : $"{path}.{key}"))
                    {
                        yield return inner;
                    }
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    foreach (var inner in Strings(array[i], $"{path}.{i.ToString(System.Globalization.CultureInfo.InvariantCulture)}"))
                    {
                        yield return inner;
                    }
                }

                break;
            case JsonValue value when value.TryGetValue<string>(out var text):
                yield return (path, text);
                break;
        }
    }

    /// <summary>Checks <paramref name="steps"/> in order; returns the ids visible after them.</summary>
    private static List<string> CheckSteps(FlowConfig flow, List<FlowStep> steps, List<string> visible, List<ConfigProblem> problems)
    {
        var now = new List<string>(visible);
        foreach (var step in steps)
        {
            if (step.When is { } when)
            {
                CheckPaths(flow, step, when.Expression.Paths, now, when.At, problems);
            }

            foreach (var (path, text) in Strings(step.Args, ""))
            {
                var at = step.ArgSpans.GetValueOrDefault(path, step.At);
                CheckPaths(flow, step, PathsOf(text), now, at, problems);
            }

            if (step.Action == StepAction.If)
            {
                var afterThen = CheckSteps(flow, step.Then, now, problems);
                var afterElse = CheckSteps(flow, step.Else, now, problems);
                now = [.. afterThen.Union(afterElse)];
            }

            now.Add(step.Id);
        }

        return now;
    }

    private static IReadOnlyList<string> PathsOf(string template)
    {
        try
        {
            return Template.Parse(template).Paths;
        }
        catch (ExpressionException)
        {
            // Reported when the file was read.
            return [];
        }
    }

    private static void CheckPaths(FlowConfig flow, FlowStep? step, IEnumerable<string> paths, List<string> visible, SourceSpan at, List<ConfigProblem> problems)
    {
        foreach (var path in paths.Where(p => p.StartsWith("steps.", StringComparison.Ordinal)))
        {
            var id = path["steps.".Length..];
            var end = id.IndexOfAny(['.', '[']);
            id = end < 0 ? id : id[..end];
            if (visible.Contains(id, StringComparer.Ordinal))
            {
                continue;
            }

            var where = step is null ? $"flow '{flow.Name}'" : $"flow '{flow.Name}', step '{step.Id}'";
            var later = flow.AllSteps().Any(s => s.Id == id);
            var message = later
                ? $"{where}: {path} reads step '{id}', which has not run at this point"
                : $"{where}: {path} names no step of the flow";
            var hint = visible.Count == 0
                ? "no step runs before this point"
                : Suggestions.Closest(id, visible) is { } guess && !later ? $"did you mean '{guess}'? steps that have run here: {string.Join(", ", visible)}" : $"steps that have run here: {string.Join(", ", visible)}";
            problems.Add(new ConfigProblem(at, "unknown-step", message, hint));
        }
    }
}
