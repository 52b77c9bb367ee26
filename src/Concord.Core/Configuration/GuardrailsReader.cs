using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Concord.Core.Configuration;

/// <summary>
/// Reads the <c>guardrails:</c> section: <c>rules</c> (cardinality rules) and <c>blocked_values</c>
/// (per type and field). Shape problems are reported here with their position; whether the types,
/// fields and systems named exist is the <see cref="GuardrailChecks"/>' job.
/// </summary>
internal static class GuardrailsReader
{
    private static readonly string[] Keys = ["rules", "blocked_values"];
    private static readonly string[] RuleKeys = ["name", "type", "unique", "when", "links", "severity", "enabled"];

    public static void Read(YamlNav nav, YamlNode node, HubConfig config)
    {
        if (nav.Mapping(node, "guardrails") is not { } map)
        {
            return;
        }

        nav.OnlyKnownKeys(map, "guardrails", Keys);
        if (YamlNav.Child(map, "rules") is { } rulesNode && nav.Sequence(rulesNode, "guardrails.rules") is { } rules)
        {
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var item in rules.Children)
            {
                if (ReadRule(nav, item) is { } rule)
                {
                    if (!names.Add(rule.Name))
                    {
                        nav.Error(rule.At, "duplicate-rule", $"two rules are named '{rule.Name}'", "findings name the rule that raised them, so each name is used once");
                    }

                    config.Guardrails.Rules.Add(rule);
                }
            }
        }

        if (YamlNav.Child(map, "blocked_values") is { } blockedNode && nav.Mapping(blockedNode, "guardrails.blocked_values") is { } blocked)
        {
            ReadBlocked(nav, blocked, config);
        }
    }

    private static CardinalityRule? ReadRule(YamlNav nav, YamlNode node)
    {
        if (nav.Mapping(node, "a guardrail rule") is not { } map)
        {
            return null;
        }

        nav.OnlyKnownKeys(map, "a guardrail rule", RuleKeys);
        var nameNode = YamlNav.Child(map, "name");
        var typeNode = YamlNav.Child(map, "type");
        var uniqueNode = YamlNav.Child(map, "unique");
        var linksNode = YamlNav.Child(map, "links");
        if (nameNode is null || typeNode is null)
        {
            nav.Error(node, "rule-incomplete", "a guardrail rule needs `name:` and `type:`",
                "for example `- { name: one active subscription per customer and plan, type: subscription, unique: [customer, plan] }`");
            return null;
        }

        if ((uniqueNode is null) == (linksNode is null))
        {
            nav.Error(node, "rule-kind", "a guardrail rule needs exactly one of `unique:` (fields no two live records share) or `links:` (ids per system for one record)",
                "`unique: [customer, plan]` or `links: { system: stripe, max: 1 }`");
            return null;
        }

        var spans = new Dictionary<string, SourceSpan>(StringComparer.Ordinal);
        var unique = new List<string>();
        if (uniqueNode is not null)
        {
            foreach (var (field, fieldNode) in nav.Names(uniqueNode, "unique"))
            {
                unique.Add(field);
                spans.TryAdd(field, nav.At(fieldNode));
            }

            if (unique.Count == 0)
            {
                nav.Error(uniqueNode, "rule-unique-empty", "`unique:` lists no field", "name the fields no two live records may share: `unique: [customer, plan]`");
            }
        }

        var when = new List<FilterCondition>();
        if (YamlNav.Child(map, "when") is { } whenNode && nav.Mapping(whenNode, "when") is { } conditions)
        {
            if (linksNode is not null)
            {
                nav.Error(whenNode, "rule-when-links", "`when:` applies to `unique:` rules only", "a links rule counts every id a system holds for the record");
            }

            ReadConditions(nav, conditions, when, spans);
        }

        string? severity = null;
        var severityNode = YamlNav.Child(map, "severity");
        if (severityNode is not null && nav.Scalar(severityNode, "severity") is { } s)
        {
            if (s is "alert" or "warning")
            {
                severity = s;
            }
            else
            {
                nav.Error(severityNode, "bad-severity", $"severity must be alert or warning, not '{s}'", "alert: money is at stake and someone should act now; warning: look at it when you can");
            }
        }

        var enabled = YamlNav.Child(map, "enabled") is { } en ? nav.Bool(en, "enabled") ?? true : true;
        return new CardinalityRule
        {
            Name = nav.Scalar(nameNode, "name") ?? "",
            Type = nav.Scalar(typeNode, "type") ?? "",
            Unique = unique,
            When = when,
            Links = linksNode is null ? null : ReadLinks(nav, linksNode),
            Severity = severity,
            Enabled = enabled,
            At = nav.At(node),
            TypeAt = nav.At(typeNode),
            SeverityAt = severityNode is null ? nav.At(node) : nav.At(severityNode),
            FieldSpans = spans,
        };
    }

    private static LinkLimit? ReadLinks(YamlNav nav, YamlNode node)
    {
        if (nav.Mapping(node, "links") is not { } map)
        {
            return null;
        }

        nav.OnlyKnownKeys(map, "links", "system", "max");
        var systemNode = YamlNav.Child(map, "system");
        var system = systemNode is null ? null : nav.Scalar(systemNode, "links.system");
        int? max = 1;
        if (YamlNav.Child(map, "max") is { } maxNode && nav.Scalar(maxNode, "links.max") is { } text)
        {
            if (text == "any")
            {
                max = null;
            }
            else if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1)
            {
                max = n;
            }
            else
            {
                nav.Error(maxNode, "bad-max", $"links.max must be a whole number of at least 1, or any, not '{text}'",
                    "1: the system holds each record once; any: it may hold a record under several ids");
            }
        }

        return new LinkLimit(system, max, systemNode is null ? nav.At(node) : nav.At(systemNode));
    }

    /// <summary>The same condition syntax as a sync's <c>filter:</c>: a list of values, <c>{ not: [...] }</c> or <c>{ exists: true }</c>.</summary>
    private static void ReadConditions(YamlNav nav, YamlMappingNode map, List<FilterCondition> when, Dictionary<string, SourceSpan> spans)
    {
        foreach (var entry in map.Children)
        {
            var field = YamlNav.Key(entry);
            var at = nav.At(entry.Key);
            spans.TryAdd(field, at);
            if (entry.Value is YamlMappingNode op)
            {
                nav.OnlyKnownKeys(op, $"when.{field}", "not", "exists");
                if (YamlNav.Child(op, "not") is { } notNode)
                {
                    when.Add(new FilterCondition(field, FilterOperator.NotIn, nav.Names(notNode, "not").Select(x => x.Value).ToList(), false, at));
                }

                if (YamlNav.Child(op, "exists") is { } existsNode)
                {
                    when.Add(new FilterCondition(field, FilterOperator.Exists, [], nav.Bool(existsNode, "exists") ?? true, at));
                }
            }
            else
            {
                when.Add(new FilterCondition(field, FilterOperator.In, nav.Names(entry.Value, $"when.{field}").Select(x => x.Value).ToList(), false, at));
            }
        }
    }

    private static void ReadBlocked(YamlNav nav, YamlMappingNode blocked, HubConfig config)
    {
        foreach (var typeEntry in blocked.Children)
        {
            var type = YamlNav.Key(typeEntry);
            if (nav.Mapping(typeEntry.Value, $"guardrails.blocked_values.{type}") is not { } fields)
            {
                continue;
            }

            foreach (var fieldEntry in fields.Children)
            {
                var field = YamlNav.Key(fieldEntry);
                var patterns = new List<string>();
                foreach (var (pattern, patternNode) in nav.Names(fieldEntry.Value, $"guardrails.blocked_values.{type}.{field}"))
                {
                    if (pattern.Trim().Trim('*').Length == 0)
                    {
                        nav.Error(patternNode, "bad-blocked-value", $"guardrails.blocked_values.{type}.{field}: '{pattern}' would block every value",
                            "write the placeholder itself, with * for any text: info@*, 0000*, *@example.com");
                        continue;
                    }

                    patterns.Add(pattern);
                }

                config.Guardrails.Blocked.Add(new BlockedValueList(type, field, patterns, nav.At(typeEntry.Key), nav.At(fieldEntry.Key)));
                if (config.Entities.TryGetValue(type, out var entity))
                {
                    entity.BlockedValues[field] = entity.BlockedValues.TryGetValue(field, out var earlier) ? [.. earlier, .. patterns] : patterns;
                }
            }
        }
    }
}
