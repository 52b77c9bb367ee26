using System.Globalization;
using System.Text.Json.Nodes;
using Concord.Core.Flows.Model;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Concord.Core.Configuration;

/// <summary>
/// Reads the arguments of one step action into JSON, as the engine renders them: plain <c>true</c>/<c>false</c>
/// become booleans, plain numbers numbers, other scalars text (each compiled as a template), mappings objects
/// and lists arrays. Records where every argument was written, by dotted path (<c>where.email</c>, <c>match.0</c>).
/// </summary>
internal sealed class StepArgumentReader(YamlNav nav, FlowExpressionReader expressions)
{
    /// <summary>The arguments, or null when the action's value is not a mapping (a problem is reported).</summary>
    public JsonObject? Read(ActionSpec spec, YamlNode keyNode, YamlNode value, string where, Dictionary<string, SourceSpan> spans)
    {
        if (spec.Action == StepAction.Wait && value is YamlScalarNode scalar)
        {
            spans["for"] = nav.At(scalar);
            return Positive(scalar, where, "wait") ? new JsonObject { ["for"] = scalar.Value } : [];
        }

        if (nav.Mapping(value, $"{where}: {spec.Key}") is not { } map)
        {
            return null;
        }

        if (!spec.Open)
        {
            nav.OnlyKnownKeys(map, $"{spec.Key} ({where})", [.. spec.Arguments.Keys]);
        }

        var args = new JsonObject();
        foreach (var entry in map.Children)
        {
            var name = YamlNav.Key(entry);
            if (!spec.Arguments.TryGetValue(name, out var shape))
            {
                if (!spec.Open)
                {
                    continue;
                }

                shape = ArgumentShape.Any;
            }

            spans[name] = nav.At(entry.Key);
            if (Read(shape, entry.Value, name, where, spans) is { } node)
            {
                args[name] = node.Value;
            }
        }

        foreach (var required in spec.Required)
        {
            if (YamlNav.Child(map, required) is not { } written)
            {
                nav.Error(keyNode, "missing-argument", $"{where}: {spec.Key} needs `{required}:`", $"arguments of {spec.Key}: {string.Join(", ", spec.Arguments.Keys)}");
            }
            else if (args.TryGetPropertyValue(required, out var given) && given is null)
            {
                nav.Error(written, "missing-argument", $"{where}: {spec.Key} needs a value for `{required}:`, not null",
                    "write the value after the colon; a template such as \"{{ customer.email }}\" reads it from the run's data");
            }
        }

        foreach (var group in spec.OneOf ?? [])
        {
            if (group.Count(g => YamlNav.Child(map, g) is not null) != 1)
            {
                nav.Error(keyNode, "missing-argument", $"{where}: {spec.Key} needs exactly one of {string.Join(" or ", group.Select(g => $"`{g}:`"))}",
                    spec.Action == StepAction.Wait
                        ? "`wait: { for: 10m }` (or `wait: 10m`), or `wait: { until: \"{{ invoice.due_date }}\" }`"
                        : "`table: vat_rates` (a table under `lookups:`), or the rows in the step: `rows: { NL: 21, BE: 21 }`");
            }
        }

        CheckTogether(map, args, where, spans);
        return args;
    }

    /// <summary>An argument's value by its shape, or null when it has the wrong shape (a problem is reported).</summary>
    private Box? Read(ArgumentShape shape, YamlNode node, string path, string where, Dictionary<string, SourceSpan> spans)
    {
        switch (shape)
        {
            case ArgumentShape.Name:
                return nav.Scalar(node, $"{where}: {path}") is { Length: > 0 } name ? new(JsonValue.Create(name)) : Empty(node, where, path);
            case ArgumentShape.Template:
                return nav.Scalar(node, $"{where}: {path}") is null ? null : new(Convert(node, path, where, spans));
            case ArgumentShape.Mapping:
                if (nav.Mapping(node, $"{where}: {path}") is not { } map)
                {
                    return null;
                }

                return map.Children.Count == 0 ? Empty(node, where, path) : new(Convert(map, path, where, spans));
            case ArgumentShape.Names:
                return Names(node, path, where, spans);
            case ArgumentShape.Boolean:
                return nav.Bool(node, $"{where}: {path}") is { } flag ? new(JsonValue.Create(flag)) : null;
            case ArgumentShape.Duration:
                return nav.Scalar(node, $"{where}: {path}") is { } duration && Positive((YamlScalarNode)node, where, path) ? new(JsonValue.Create(duration)) : null;
            case ArgumentShape.Statuses:
                return Statuses(node, path, where, spans);
            case ArgumentShape.Await:
                return Choice(node, where, path, ["delivered", "none"], "delivered: the step ends when the system has the record; none: when the hub has it");
            case ArgumentShape.Method:
                return Choice(node, where, path, StepActions.HttpMethods, "in capitals; without `method:`, POST when there is a body, else GET");
            default:
                return new(Convert(node, path, where, spans));
        }
    }

    /// <summary>A value as JSON; every string in it is compiled as a template.</summary>
    private JsonNode? Convert(YamlNode node, string path, string where, Dictionary<string, SourceSpan> spans)
    {
        switch (node)
        {
            case YamlMappingNode map:
                var obj = new JsonObject();
                foreach (var entry in map.Children)
                {
                    var key = YamlNav.Key(entry);
                    spans[$"{path}.{key}"] = nav.At(entry.Key);
                    obj[key] = Convert(entry.Value, $"{path}.{key}", where, spans);
                }

                return obj;
            case YamlSequenceNode list:
                var array = new JsonArray();
                for (var i = 0; i < list.Children.Count; i++)
                {
                    var itemPath = $"{path}.{i.ToString(CultureInfo.InvariantCulture)}";
                    spans[itemPath] = nav.At(list.Children[i]);
                    array.Add(Convert(list.Children[i], itemPath, where, spans));
                }

                return array;
            case YamlScalarNode scalar:
                if (scalar.Style == ScalarStyle.Plain && Plain(scalar.Value ?? "", out var plain))
                {
                    return plain;
                }

                expressions.Template(scalar, where, path);
                return JsonValue.Create(scalar.Value ?? "");
            default:
                nav.Error(node, "expected-value", $"{where}: {path} must be a value, a mapping or a list", "write text, a number, true/false, a mapping or a list");
                return null;
        }
    }

    /// <summary>A plain scalar YAML reads as something other than text: null, a boolean or a number.</summary>
    internal static bool Plain(string text, out JsonNode? value)
    {
        value = null;
        switch (text)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return true;
            case "true" or "True" or "TRUE":
                value = JsonValue.Create(true);
                return true;
            case "false" or "False" or "FALSE":
                value = JsonValue.Create(false);
                return true;
        }

        if (LooksNumeric(text) && decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            value = JsonValue.Create(number);
            return true;
        }

        return false;
    }

    /// <summary>YAML's core-schema numbers: digits with an optional sign, fraction and exponent (no hex, no <c>.inf</c>).</summary>
    private static bool LooksNumeric(string text)
    {
        var i = text.Length > 0 && text[0] is '-' or '+' ? 1 : 0;
        var digits = 0;
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            i++;
            digits++;
        }

        if (i < text.Length && text[i] == '.')
        {
            i++;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
                digits++;
            }
        }

        if (digits > 0 && i < text.Length && text[i] is 'e' or 'E')
        {
            i++;
            i += i < text.Length && text[i] is '-' or '+' ? 1 : 0;
            var exponent = i;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }

            if (i == exponent)
            {
                return false;
            }
        }

        return digits > 0 && i == text.Length;
    }

    private Box? Names(YamlNode node, string path, string where, Dictionary<string, SourceSpan> spans)
    {
        var names = new JsonArray();
        var items = nav.Names(node, $"{where}: {path}");
        for (var i = 0; i < items.Count; i++)
        {
            spans[$"{path}.{i.ToString(CultureInfo.InvariantCulture)}"] = nav.At(items[i].Node);
            names.Add(items[i].Value);
        }

        return node is YamlSequenceNode { Children.Count: 0 } ? Empty(node, where, path) : new(names);
    }

    private Box? Statuses(YamlNode node, string path, string where, Dictionary<string, SourceSpan> spans)
    {
        var codes = new JsonArray();
        var items = nav.Names(node, $"{where}: {path}");
        for (var i = 0; i < items.Count; i++)
        {
            spans[$"{path}.{i.ToString(CultureInfo.InvariantCulture)}"] = nav.At(items[i].Node);
            if (int.TryParse(items[i].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var code) && code is >= 100 and <= 599)
            {
                codes.Add(code);
            }
            else
            {
                nav.Error(items[i].Node, "bad-argument", $"{where}: {path} lists HTTP status codes (100-599), not '{items[i].Value}'", "for example `expect: [200, 201]`");
            }
        }

        return new(codes);
    }

    private Box? Choice(YamlNode node, string where, string path, string[] allowed, string? hint)
    {
        if (nav.Scalar(node, $"{where}: {path}") is not { } text)
        {
            return null;
        }

        if (allowed.Contains(text, StringComparer.Ordinal))
        {
            return new(JsonValue.Create(text));
        }

        nav.Error(node, "bad-argument", $"{where}: {path} must be {string.Join(", ", allowed[..^1])} or {allowed[^1]}, not '{text}'", hint);
        return null;
    }

    private bool Positive(YamlScalarNode node, string where, string path)
    {
        if (nav.Duration(node, $"{where}: {path}") is not { } duration)
        {
            return false;
        }

        if (duration > TimeSpan.Zero)
        {
            return true;
        }

        nav.Error(node, "bad-argument", $"{where}: {path} must be longer than zero", "for example 30s, 10m or 2h");
        return false;
    }

    private Box? Empty(YamlNode node, string where, string path)
    {
        nav.Error(node, "missing-argument", $"{where}: {path} is empty", path is "where" or "fields" ? $"write at least one field: `{path}: {{ email: \"{{{{ customer.email }}}}\" }}`" : null);
        return null;
    }

    /// <summary>Arguments that only make sense together.</summary>
    private void CheckTogether(YamlMappingNode map, JsonObject args, string where, Dictionary<string, SourceSpan> spans)
    {
        if (YamlNav.Child(map, "await") is { } awaitNode && YamlNav.Child(map, "in") is null)
        {
            nav.Error(awaitNode, "bad-argument", $"{where}: `await:` waits for the delivery to the system named by `in:`, and this step names none",
                "add `in: <system>`, or remove `await:`");
        }

        if (args["match"] is JsonArray match && args["fields"] is JsonObject fields)
        {
            for (var i = 0; i < match.Count; i++)
            {
                var field = match[i]!.GetValue<string>();
                if (!fields.ContainsKey(field))
                {
                    nav.Error(spans[$"match.{i.ToString(CultureInfo.InvariantCulture)}"], "bad-argument",
                        $"{where}: match field '{field}' is not written under `fields:`, so there is no value to match on",
                        $"add `{field}:` to fields, or leave it out of match");
                }
            }
        }
    }

    /// <summary>A read value, which may itself be JSON null.</summary>
    private sealed record Box(JsonNode? Value);
}
