using System.Text.Json.Nodes;
using Concord.Core.Flows.Model;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Concord.Core.Configuration;

/// <summary>
/// Reads <c>flows:</c>, <c>lookups:</c> and <c>hub.flows</c>. Shape problems are reported here with their
/// position, and every condition and template is compiled; whether the types, fields, systems and tables
/// named exist, and whether flows trigger each other in a loop, is the <see cref="FlowChecks"/>' job.
/// </summary>
internal static class FlowsReader
{
    private static readonly string[] FlowKeys = ["description", "minutes_saved", "concurrency", "enabled", "trigger", "when", "loop", "steps"];

    public static void ReadFlows(YamlNav nav, ScalarPositions positions, YamlNode node, HubConfig config)
    {
        if (nav.Mapping(node, "flows") is not { } flows)
        {
            return;
        }

        var expressions = new FlowExpressionReader(nav, positions);
        foreach (var entry in flows.Children)
        {
            if (ReadFlow(nav, expressions, YamlNav.Key(entry), entry.Key, entry.Value) is { } flow)
            {
                config.Flows[flow.Name] = flow;
            }
        }
    }

    /// <summary><c>hub.flows</c>: settings every flow shares.</summary>
    public static void ReadSettings(YamlNav nav, YamlNode node, FlowSettings settings)
    {
        if (nav.Mapping(node, "hub.flows") is not { } map)
        {
            return;
        }

        nav.OnlyKnownKeys(map, "hub.flows", "max_depth");
        if (YamlNav.Child(map, "max_depth") is { } depth && nav.Int(depth, "hub.flows.max_depth", 1, 100) is { } max)
        {
            settings.MaxDepth = max;
        }
    }

    /// <summary><c>lookups:</c> named tables of key → value for the lookup action.</summary>
    public static void ReadLookups(YamlNav nav, YamlNode node, FlowSettings settings)
    {
        if (nav.Mapping(node, "lookups") is not { } tables)
        {
            return;
        }

        foreach (var entry in tables.Children)
        {
            var name = YamlNav.Key(entry);
            if (!IsName(name))
            {
                nav.Error(entry.Key, "bad-name", $"lookup table name '{name}' must be lower-case letters, digits, '-' or '_'", "steps name it: `lookup: { table: vat_rates, key: … }`");
            }

            if (nav.Mapping(entry.Value, $"lookups.{name}") is not { } rows)
            {
                continue;
            }

            var values = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
            foreach (var row in rows.Children)
            {
                values[YamlNav.Key(row)] = RowValue(nav, row.Value, $"lookups.{name}.{YamlNav.Key(row)}");
            }

            settings.Lookups[name] = new LookupTable(name, values, nav.At(entry.Key));
        }
    }

    private static FlowConfig? ReadFlow(YamlNav nav, FlowExpressionReader expressions, string name, YamlNode keyNode, YamlNode node)
    {
        if (!IsName(name))
        {
            nav.Error(keyNode, "bad-name", $"flow name '{name}' must be lower-case letters, digits, '-' or '_'", "it appears in URLs such as /hooks/flows/{flow}");
        }

        if (nav.Mapping(node, $"flows.{name}") is not { } map)
        {
            return null;
        }

        nav.OnlyKnownKeys(map, $"flows.{name}", FlowKeys);
        var where = $"flow '{name}'";
        FlowTrigger? trigger = null;
        if (YamlNav.Child(map, "trigger") is { } triggerNode)
        {
            trigger = FlowTriggerReader.Read(nav, triggerNode, name);
        }
        else
        {
            nav.Error(keyNode, "flow-trigger", $"flow '{name}' has no trigger",
                "add `trigger:` — a record event `{ record: payment, on: created }`, a webhook, a schedule or `manual`");
        }

        var when = YamlNav.Child(map, "when") is { } whenNode ? expressions.Condition(whenNode, where, "when") : null;
        var loopUntil = YamlNav.Child(map, "loop") is { } loopNode ? ReadLoop(nav, expressions, loopNode, where) : null;
        var steps = new List<FlowStep>();
        if (YamlNav.Child(map, "steps") is { } stepsNode)
        {
            steps = new FlowStepReader(nav, expressions, name).ReadSteps(stepsNode, $"flows.{name}.steps");
            if (stepsNode is YamlSequenceNode { Children.Count: 0 })
            {
                nav.Error(stepsNode, "flow-steps", $"flow '{name}' has no steps", "list what it does under `steps:`, e.g. `- notify: { via: slack, text: … }`");
            }
        }
        else
        {
            nav.Error(keyNode, "flow-steps", $"flow '{name}' has no steps", "list what it does under `steps:`, e.g. `- notify: { via: slack, text: … }`");
        }

        var description = YamlNav.Child(map, "description") is { } d ? nav.Scalar(d, $"flows.{name}.description") : null;
        var minutesSaved = YamlNav.Child(map, "minutes_saved") is { } ms ? nav.Number(ms, $"flows.{name}.minutes_saved", 0) : null;
        var concurrency = YamlNav.Child(map, "concurrency") is { } c ? nav.Int(c, $"flows.{name}.concurrency", 1, 64) ?? 4 : 4;
        var enabled = YamlNav.Child(map, "enabled") is not { } e || (nav.Bool(e, $"flows.{name}.enabled") ?? true);
        return trigger is null ? null : new FlowConfig
        {
            Name = name,
            Description = description,
            MinutesSaved = minutesSaved,
            Concurrency = concurrency,
            Enabled = enabled,
            Trigger = trigger,
            When = when,
            LoopUntil = loopUntil,
            Steps = steps,
            At = nav.At(keyNode),
        };
    }

    private static FlowCondition? ReadLoop(YamlNav nav, FlowExpressionReader expressions, YamlNode node, string where)
    {
        const string Hint = "`loop: { until: \"customer.sync_count > 3\" }` marks the loop as intended and says when it ends";
        if (nav.Mapping(node, $"{where}: loop") is not { } map)
        {
            return null;
        }

        nav.OnlyKnownKeys(map, $"loop ({where})", "until");
        if (YamlNav.Child(map, "until") is { } until)
        {
            return expressions.Condition(until, where, "loop.until");
        }

        nav.Error(node, "missing-argument", $"{where}: loop needs `until:`, the condition that ends the loop", Hint);
        return null;
    }

    /// <summary>A table row's value: scalars as the step arguments read them, mappings and lists as JSON.</summary>
    private static JsonNode? RowValue(YamlNav nav, YamlNode node, string what)
    {
        switch (node)
        {
            case YamlScalarNode scalar:
                return scalar.Style == ScalarStyle.Plain ? PlainValue(scalar.Value ?? "") : JsonValue.Create(scalar.Value ?? "");
            case YamlSequenceNode list:
                return new JsonArray([.. list.Children.Select((item, i) => RowValue(nav, item, $"{what}.{i}"))]);
            case YamlMappingNode map:
                return new JsonObject(map.Children.Select(e => KeyValuePair.Create(YamlNav.Key(e), RowValue(nav, e.Value, $"{what}.{YamlNav.Key(e)}"))));
            default:
                nav.Error(node, "expected-value", $"{what} must be a value, a mapping or a list", "write text, a number, true/false, a mapping or a list");
                return null;
        }
    }

    private static JsonNode? PlainValue(string text) => StepArgumentReader.Plain(text, out var value) ? value : JsonValue.Create(text);

    private static bool IsName(string name) =>
        name.Length is > 0 and <= 64 && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '_');
}
