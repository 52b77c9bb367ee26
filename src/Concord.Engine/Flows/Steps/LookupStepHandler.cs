using System.Text.Json.Nodes;
using Concord.Core.Flows.Model;

namespace Concord.Engine.Flows.Steps;

/// <summary>
/// <c>lookup:</c> — finds <c>key</c> in a table: a named one under <c>lookups:</c> (<c>table</c>) or
/// one written in the step (<c>rows</c>). The key is matched exactly first, then ignoring case
/// (the first such key in the order written). Not finding a key is an answer, not a failure:
/// the output says <c>found: false</c> and carries <c>default</c> (or null), so a later step or
/// condition decides what that means.
/// </summary>
/// <param name="settings">The flow settings holding the named tables.</param>
public sealed class LookupStepHandler(FlowSettings settings) : IStepHandler
{
    public IReadOnlyList<StepAction> Actions { get; } = [StepAction.Lookup];

    public Task<StepOutcome> RunAsync(StepRun step, CancellationToken cancellationToken)
    {
        var rows = Rows(step);
        var key = StepArgs.Text(step.Args["key"]);
        if (key is null && step.Args["key"] is not null)
        {
            throw StepArgs.Invalid(step, "key", $"must be text or a number, not {StepArgs.Show(step.Args["key"])}");
        }

        JsonNode? value = null;
        var found = key is not null && Find(rows, key, out value);
        var output = new JsonObject
        {
            ["value"] = found ? value?.DeepClone() : step.Args["default"]?.DeepClone(),
            ["found"] = found,
        };
        return Task.FromResult<StepOutcome>(new StepOutcome.Completed(output));
    }

    private IEnumerable<KeyValuePair<string, JsonNode?>> Rows(StepRun step)
    {
        var name = StepArgs.Text(step, "table");
        var inline = step.Args["rows"];
        if ((name is null) == (inline is null))
        {
            throw StepArgs.Invalid(step, "lookup", name is null ? "needs table (a name under lookups:) or rows (a mapping)" : "takes table or rows, not both");
        }

        if (inline is not null)
        {
            return inline as JsonObject ?? throw StepArgs.Invalid(step, "rows", "must be a mapping of keys to values");
        }

        return settings.Lookups.TryGetValue(name!, out var table)
            ? table.Rows
            : throw StepArgs.Invalid(step, "table", $"names '{name}', which is not under lookups:" +
                (settings.Lookups.Count > 0 ? $" (tables: {string.Join(", ", settings.Lookups.Keys.Order(StringComparer.Ordinal))})" : ""));
    }

    private static bool Find(IEnumerable<KeyValuePair<string, JsonNode?>> rows, string key, out JsonNode? value)
    {
        var list = rows as IReadOnlyCollection<KeyValuePair<string, JsonNode?>> ?? rows.ToList();
        foreach (var comparison in new[] { StringComparison.Ordinal, StringComparison.OrdinalIgnoreCase })
        {
            foreach (var (k, v) in list)
            {
                if (string.Equals(k, key, comparison))
                {
                    value = v;
                    return true;
                }
            }
        }

        value = null;
        return false;
    }
}
