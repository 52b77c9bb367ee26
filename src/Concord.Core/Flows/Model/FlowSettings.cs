using Concord.Core.Configuration;

namespace Concord.Core.Flows.Model;

/// <summary>Settings every flow shares (<c>hub.flows:</c>) and the lookup tables (<c>lookups:</c>).</summary>
public sealed class FlowSettings
{
    /// <summary>
    /// The longest chain of runs one change may cause (a flow's write triggering a flow, whose write
    /// triggers another …). A run deeper than this is stopped and reported. Default 5.
    /// </summary>
    public int MaxDepth { get; set; } = 5;

    /// <summary>Named lookup tables: key → value (any JSON scalar or object).</summary>
    public Dictionary<string, LookupTable> Lookups { get; init; } = new(StringComparer.Ordinal);
}

/// <summary>A lookup table: keys are matched exactly, then ignoring case.</summary>
public sealed record LookupTable(string Name, IReadOnlyDictionary<string, System.Text.Json.Nodes.JsonNode?> Rows, SourceSpan At);
