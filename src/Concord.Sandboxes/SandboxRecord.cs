using System.Text.Json.Nodes;

namespace Concord.Sandboxes;

/// <summary>A record as the sandboxed system holds it.</summary>
public sealed class SandboxRecord
{
    public required string Id { get; init; }

    public required string Type { get; init; }

    public JsonObject Fields { get; init; } = [];

    /// <summary>The hub's record id, when the record came from the hub.</summary>
    public string? HubRecordId { get; set; }

    /// <summary>The last hub version applied, so a late older delivery cannot undo a newer one.</summary>
    public long HubVersion { get; set; }

    public string? Field(string name) => Fields[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
