using Concord.Core.Configuration;
using Concord.Core.Schema;
using Concord.Engine.Storage;

namespace Concord.Engine.Health;

/// <summary>What the configuration says a healthy record of each type is: its required fields, its references, the systems it should be in.</summary>
public static class HealthSpecs
{
    /// <param name="config">The configuration.</param>
    /// <param name="catalog">The connector kinds, to tell the systems that only get told about records; without it every synced system is expected to hold them.</param>
    public static IReadOnlyList<TypeHealthSpec> From(HubConfig config, IConnectorCatalog? catalog = null) =>
        config.Entities.Values.OrderBy(t => t.Name, StringComparer.Ordinal).Select(t => From(config, t, catalog)).ToList();

    public static TypeHealthSpec From(HubConfig config, EntityTypeConfig type, IConnectorCatalog? catalog = null)
    {
        var required = type.Schema.Fields.Where(f => f.Required).Select(f => f.Name).ToList();

        // A reference to a type the hub does not hold keeps the system's own id: there is nothing to match it with.
        var references = type.Schema.Fields
            .Where(f => f.Type == FieldType.Reference && f.RefersTo is { } target && config.Entities.ContainsKey(target))
            .Select(f => new ReferenceSpec(f.Name, f.RefersTo!)).ToList();

        // The first rule of a system for a type is the one in force (see SyncPlan).
        var systems = config.Syncs.Where(s => s.Type == type.Name).DistinctBy(s => s.System)
            .Where(s => !OnlyToldAbout(config, s, catalog))
            .Select(s => new ExpectedSystem(s.System, s.Filter)).ToList();
        return new TypeHealthSpec(type.Name, required, references, systems);
    }

    /// <summary>
    /// A push to a system that can notify and never sends records back (Slack, email) is a message about
    /// the record, not a copy of it: no link comes back, so it is not a system the record must be linked in.
    /// </summary>
    private static bool OnlyToldAbout(HubConfig config, SyncRule rule, IConnectorCatalog? catalog) =>
        rule.Direction == SyncDirection.Push && config.Systems.TryGetValue(rule.System, out var system)
        && catalog?.Find(system.Kind) is { Inbound: false, NotifyArguments.Count: > 0 };
}
