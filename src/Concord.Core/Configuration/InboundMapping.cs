namespace Concord.Core.Configuration;

/// <summary>
/// Maps a raw JSON payload (one object per webhook call) to a change: the entity type,
/// where the external id and event id come from, and each field's path and transforms.
/// </summary>
public sealed class InboundMapping
{
    public required string Type { get; init; }

    public SourceSpan At { get; init; }

    /// <summary>Dot path to the external id in the payload; null means the payload has none.</summary>
    public string? ExternalId { get; init; }

    /// <summary>Dot path to the event id; null means a header or none (then every call is new).</summary>
    public string? EventId { get; init; }

    /// <summary>Header that carries the event id, e.g. <c>X-Request-Id</c>.</summary>
    public string? EventIdHeader { get; init; }

    public List<FieldMapping> Fields { get; init; } = [];
}

/// <summary>One canonical field read from a dot path, then transformed in order.</summary>
public sealed record FieldMapping(string Field, string Path, IReadOnlyList<string> Transforms, SourceSpan At);
