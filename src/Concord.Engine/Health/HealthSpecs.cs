using Concord.Core.Configuration;
using Concord.Core.Schema;
using Concord.Engine.Storage;

namespace Concord.Engine.Health;

/// <summary>What the configuration says a healthy record of each type is: its required fields, its references, the systems it should be in.</summary>
public static class HealthSpecs
{
    public static IReadOnlyList<TypeHealthSpec> From(HubConfig config) =>
        config.Entities.Values.OrderBy(t => t.Name, StringComparer.Ordinal).Select(t => From(config, t)).ToList();

    public static TypeHealthSpec From(HubConfig config, EntityTypeConfig type)
    {
        var required = type.Schema.Fields.Where(f => f.Required).Select(f => f.Name).ToList();

        // A reference to a type the hub does not hold keeps the system's own id: there is nothing to match it with.
        var references = type.Schema.Fields
            .Where(f => f.Type == FieldType.Reference && f.RefersTo is { } target && config.Entities.ContainsKey(target))
            .Select(f => new ReferenceSpec(f.Name, f.RefersTo!)).ToList();

        // The first rule of a system for a type is the one in force (see SyncPlan).
        var systems = config.Syncs.Where(s => s.Type == type.Name).DistinctBy(s => s.System)
            .Select(s => new ExpectedSystem(s.System, s.Filter)).ToList();
        return new TypeHealthSpec(type.Name, required, references, systems);
    }
}
