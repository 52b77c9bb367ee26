using Concord.Core.Schema;

namespace Concord.Core.Configuration;

/// <summary>
/// Checks the <c>guardrails:</c> section against the rest of the file: every rule and blocked-value
/// list names a configured type and its fields, and a links rule a system that syncs that type.
/// </summary>
internal static class GuardrailChecks
{
    public static void Check(HubConfig config, List<ConfigProblem> problems)
    {
        var links = new Dictionary<(string, string?), CardinalityRule>();
        foreach (var rule in config.Guardrails.Rules)
        {
            if (!config.Entities.TryGetValue(rule.Type, out var type))
            {
                problems.Add(new ConfigProblem(rule.TypeAt, "unknown-type", $"rule '{rule.Name}' is about type '{rule.Type}', which is not configured",
                    Suggestions.Closest(rule.Type, config.Entities.Keys) is { } guess ? $"did you mean '{guess}'?" : $"configured types: {string.Join(", ", config.Entities.Keys)}"));
                continue;
            }

            foreach (var field in rule.Unique.Concat(rule.When.Select(c => c.Field)).Distinct(StringComparer.Ordinal).Where(f => !type.Schema.HasField(f)))
            {
                problems.Add(new ConfigProblem(rule.FieldSpans.GetValueOrDefault(field, rule.At), "unknown-field", $"rule '{rule.Name}' names '{field}', which is not a field of {type.Name}",
                    type.Schema.Suggest(field) is { } guess ? $"did you mean '{guess}'?" : $"fields of {type.Name}: {string.Join(", ", type.Schema.FieldNames)}"));
            }

            if (rule.Links is { } limit)
            {
                if (limit.System is { } system)
                {
                    if (!config.Systems.ContainsKey(system))
                    {
                        problems.Add(new ConfigProblem(limit.SystemAt, "unknown-system", $"rule '{rule.Name}' names unknown system '{system}'",
                            Suggestions.Closest(system, config.Systems.Keys) is { } guess ? $"did you mean '{guess}'?" : $"declared systems: {string.Join(", ", config.Systems.Keys)}"));
                    }
                    else if (!config.Syncs.Any(s => s.System == system && s.Type == type.Name))
                    {
                        problems.Add(new ConfigProblem(limit.SystemAt, "rule-system-unsynced", $"rule '{rule.Name}' limits {system}'s ids for {type.Name}, but no sync rule moves {type.Name} to or from {system}",
                            "a system holds ids only for the types it syncs", ProblemSeverity.Warning));
                    }
                }

                if (links.TryGetValue((type.Name, limit.System), out var earlier))
                {
                    problems.Add(new ConfigProblem(rule.At, "duplicate-links-rule", $"rules '{earlier.Name}' and '{rule.Name}' both limit {limit.System ?? "every system"}'s ids for {type.Name}",
                        "keep one of them"));
                }
                else
                {
                    links[(type.Name, limit.System)] = rule;
                }
            }
        }

        foreach (var list in config.Guardrails.Blocked)
        {
            if (!config.Entities.TryGetValue(list.Type, out var type))
            {
                problems.Add(new ConfigProblem(list.TypeAt, "unknown-type", $"guardrails.blocked_values names type '{list.Type}', which is not configured",
                    Suggestions.Closest(list.Type, config.Entities.Keys) is { } guess ? $"did you mean '{guess}'?" : $"configured types: {string.Join(", ", config.Entities.Keys)}"));
            }
            else if (!type.Schema.HasField(list.Field))
            {
                problems.Add(new ConfigProblem(list.FieldAt, "unknown-field", $"guardrails.blocked_values.{list.Type}: '{list.Field}' is not a field of {list.Type}",
                    type.Schema.Suggest(list.Field) is { } guess ? $"did you mean '{guess}'?" : $"fields of {list.Type}: {string.Join(", ", type.Schema.FieldNames)}"));
            }
        }
    }
}
