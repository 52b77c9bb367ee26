using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Concord.Core.Flows.Expressions;
using Concord.Core.Flows.Model;

namespace Concord.Engine.Flows;

/// <summary>
/// Renders a step's arguments against the run's data: every string argument, at any depth, is a
/// template; one that is a single <c>{{ … }}</c> keeps its value's type, so <c>"{{ payment.amount }}"</c>
/// reaches a handler as a number. Templates are compiled once per flow, step and argument, since the
/// same step runs for every trigger. A problem names the flow, the step and the argument.
/// </summary>
public sealed class ArgumentRenderer(TimeProvider time)
{
    private readonly ConcurrentDictionary<(string Flow, string Step, string Path, string Text), Template> _templates = new();

    /// <summary>The rendered arguments of <paramref name="step"/> over <paramref name="data"/> (a context made by <see cref="Values.FromJson"/>).</summary>
    /// <exception cref="ExpressionException">A template is invalid or cannot be evaluated over the data.</exception>
    public JsonObject Render(FlowConfig flow, FlowStep step, IReadOnlyDictionary<string, object?> data) =>
        (JsonObject)RenderNode(flow, step, step.Args, "", data)!;

    /// <summary>Where an argument is, for messages: <c>flow 'x', step 'y', argument 'where.email'</c>.</summary>
    public static string Where(FlowConfig flow, FlowStep step, string path) => $"flow '{flow.Name}', step '{step.Id}', argument '{path}'";

    private JsonNode? RenderNode(FlowConfig flow, FlowStep step, JsonNode? node, string path, IReadOnlyDictionary<string, object?> data)
    {
        switch (node)
        {
            case JsonObject obj:
                var rendered = new JsonObject();
                foreach (var (key, value) in obj)
                {
                    rendered[key] = RenderNode(flow, step, value, path.Length == 0 ? key : $"{path}.{key}", data);
                }

                return rendered;

            case JsonArray array:
                var items = new JsonArray();
                for (var i = 0; i < array.Count; i++)
                {
                    items.Add(RenderNode(flow, step, array[i], string.Create(CultureInfo.InvariantCulture, $"{path}[{i}]"), data));
                }

                return items;

            case JsonValue value when value.TryGetValue<string>(out var text):
                return Evaluate(flow, step, path, text, data);

            default:
                return node?.DeepClone();
        }
    }

    private JsonNode? Evaluate(FlowConfig flow, FlowStep step, string path, string text, IReadOnlyDictionary<string, object?> data)
    {
        if (!text.Contains("{{", StringComparison.Ordinal))
        {
            return JsonValue.Create(text);
        }

        try
        {
            var template = _templates.GetOrAdd((flow.Name, step.Id, path, text), key => Template.Parse(key.Text));
            return Values.ToJson(template.Evaluate(data, time));
        }
        catch (ExpressionException problem)
        {
            throw problem.At(Where(flow, step, path));
        }
    }
}
