using Concord.Core.Schema;

namespace Concord.Core.Configuration;

/// <summary>Checks the <c>health:</c> section against the rest of the file: every per-type target names a configured type.</summary>
internal static class HealthChecks
{
    public static void Check(HubConfig config, List<ConfigProblem> problems)
    {
        foreach (var (type, at) in config.Health.TargetSpans)
        {
            if (!config.Entities.ContainsKey(type))
            {
                problems.Add(new ConfigProblem(at, "unknown-type", $"health.targets names type '{type}', which is not configured",
                    Suggestions.Closest(type, config.Entities.Keys) is { } guess ? $"did you mean '{guess}'?" : $"configured types: {string.Join(", ", config.Entities.Keys)}"));
            }
        }
    }
}
