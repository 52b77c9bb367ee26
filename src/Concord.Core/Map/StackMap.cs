using Concord.Core.Configuration;

namespace Concord.Core.Map;

/// <summary>
/// The integration map of a stack as the configuration declares it: the tools by layer, the entity types
/// with their system of record, which system receives or contributes which type, and the flows. It is data
/// only, so the layout, the SVG and the Mermaid text are all drawn from the same picture.
/// </summary>
/// <param name="Title">What the map is of (the configuration file's name).</param>
/// <param name="Systems">Configured systems and audit-only tools, by name.</param>
/// <param name="Types">The entity types some system syncs, in the order the configuration declares them.</param>
/// <param name="Connections">One per (system, type) a sync rule joins.</param>
/// <param name="Flows">The flows, in the order written.</param>
public sealed record StackMap(string Title, IReadOnlyList<MapSystem> Systems, IReadOnlyList<MapType> Types, IReadOnlyList<MapConnection> Connections, IReadOnlyList<MapFlow> Flows)
{
    public MapSystem? System(string name) => Systems.FirstOrDefault(s => s.Name == name);
}

/// <summary>A tool of the stack.</summary>
/// <param name="Name">The name under <c>systems:</c> or <c>tools:</c>.</param>
/// <param name="Kind">The connector kind; null for a <c>tools:</c> entry, which Concord does not connect.</param>
/// <param name="Layer">The layer written or implied by the kind.</param>
/// <param name="FlowUses">The flows that notify through, write in or read from this system, by name.</param>
public sealed record MapSystem(string Name, string? Kind, StackLayer Layer, IReadOnlyList<string> FlowUses)
{
    /// <summary>An audit-only tool: drawn greyed, without connections.</summary>
    public bool IsTool => Kind is null;
}

/// <summary>An entity type held in the hub.</summary>
/// <param name="Name">The type's name.</param>
/// <param name="Owner">The system of record for the type.</param>
/// <param name="FieldOwners">Fields owned by a system other than <paramref name="Owner"/>, by field, in field order.</param>
public sealed record MapType(string Name, string? Owner, IReadOnlyList<MapFieldOwner> FieldOwners);

/// <summary>A field whose owner is not its type's owner.</summary>
public sealed record MapFieldOwner(string Field, string System);

/// <summary>Which way a type moves between the hub and a system.</summary>
public enum MapDirection
{
    /// <summary>Hub → system (<c>push</c>).</summary>
    Receives,

    /// <summary>System → hub (<c>pull</c>).</summary>
    Contributes,

    /// <summary>Both (<c>two-way</c>).</summary>
    Both,
}

/// <summary>A system syncing a type.</summary>
/// <param name="System">The system.</param>
/// <param name="Type">The entity type.</param>
/// <param name="Direction">Which way the type moves.</param>
/// <param name="OwnsType">The system is the type's system of record.</param>
/// <param name="OwnedFields">Fields of the type this system owns although it is not the type's owner.</param>
/// <param name="Fields">The fields synced; null for all of them.</param>
/// <param name="Filtered">Only records matching a filter are synced.</param>
public sealed record MapConnection(string System, string Type, MapDirection Direction, bool OwnsType, IReadOnlyList<string> OwnedFields, IReadOnlyList<string>? Fields, bool Filtered)
{
    /// <summary>The system is the owner of the type or of some of its fields.</summary>
    public bool IsOwner => OwnsType || OwnedFields.Count > 0;

    /// <summary><c>receives</c>, <c>contributes</c> or <c>two-way</c>.</summary>
    public string DirectionText => Direction switch
    {
        MapDirection.Receives => "receives",
        MapDirection.Contributes => "contributes",
        _ => "two-way",
    };
}

/// <summary>A flow: what starts it and what it reaches.</summary>
/// <param name="Name">The key under <c>flows:</c>.</param>
/// <param name="Trigger">What starts it, in words (<c>invoice created from stripe</c>, <c>manual</c>).</param>
/// <param name="TriggerType">The type of a record trigger; null for the other triggers.</param>
/// <param name="TriggerSystems">The systems a record trigger waits for (<c>from:</c>); empty when any.</param>
/// <param name="Targets">What its steps do in systems and in the hub, each once, in step order.</param>
/// <param name="Enabled">False for a paused flow.</param>
public sealed record MapFlow(string Name, string Trigger, string? TriggerType, IReadOnlyList<string> TriggerSystems, IReadOnlyList<MapFlowTarget> Targets, bool Enabled);

/// <summary>One thing a flow does: writes a type in a system (or in the hub), reads, notifies, calls out.</summary>
/// <param name="Action"><c>writes</c>, <c>reads</c>, <c>notifies</c> or <c>calls</c>.</param>
/// <param name="System">The system; null for the hub itself (or an HTTP call's address).</param>
/// <param name="Type">The entity type written or read; null for a notification or a call.</param>
public sealed record MapFlowTarget(string Action, string? System, string? Type)
{
    /// <summary><c>writes invoice in stripe</c>, <c>notifies via slack</c>, <c>writes customer</c>.</summary>
    public string Describe() => (Action, System, Type) switch
    {
        ("notifies", { } s, _) => $"notifies via {s}",
        ("calls", _, _) => "calls HTTP",
        (_, { } s, { } t) => $"{Action} {t} in {s}",
        (_, null, { } t) => $"{Action} {t}",
        _ => Action,
    };
}
