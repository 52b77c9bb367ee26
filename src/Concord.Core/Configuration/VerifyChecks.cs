using Concord.Core.Schema;

namespace Concord.Core.Configuration;

/// <summary>
/// Checks the <c>verify:</c> section against the rest of the file: every system it names is configured,
/// receives at least one type (only what the hub sends can drift), and can list its records.
/// </summary>
internal static class VerifyChecks
{
    public static void Check(HubConfig config, IConnectorCatalog catalog, List<ConfigProblem> problems)
    {
        foreach (var one in config.Verify.Systems.Values)
        {
            if (!config.Systems.TryGetValue(one.Name, out var system))
            {
                problems.Add(new ConfigProblem(one.At, "unknown-system", $"verify.systems names unknown system '{one.Name}'",
                    Suggestions.Closest(one.Name, config.Systems.Keys) is { } guess ? $"did you mean '{guess}'?" : $"declared systems: {string.Join(", ", config.Systems.Keys)}"));
                continue;
            }

            if (!config.Syncs.Any(s => s.System == one.Name && s.Receives))
            {
                problems.Add(new ConfigProblem(one.At, "verify-nothing-received", $"verify.systems.{one.Name}: no sync rule sends anything to {one.Name}",
                    "a check compares what the hub sends a system with what it holds; give it a push or two-way sync", ProblemSeverity.Warning));
            }
            else if (catalog.Find(system.Kind) is { ListsRecords: false })
            {
                problems.Add(new ConfigProblem(one.At, "verify-cannot-list", $"verify.systems.{one.Name}: the {system.Kind} connector cannot list its records, so its syncs cannot be checked",
                    "systems of kind stripe, hubspot and quickbooks can be checked", ProblemSeverity.Warning));
            }
        }
    }
}
