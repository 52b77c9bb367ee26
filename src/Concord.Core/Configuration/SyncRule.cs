namespace Concord.Core.Configuration;

/// <summary>Which way data moves between the hub and a system for one entity type.</summary>
public enum SyncDirection
{
    /// <summary>Hub → system: the system receives golden values.</summary>
    Push,

    /// <summary>System → hub: the system contributes changes.</summary>
    Pull,

    /// <summary>Both.</summary>
    TwoWay,
}

/// <summary>A sync rule: a system receives and/or contributes fields of a type, optionally filtered.</summary>
public sealed class SyncRule
{
    public required string System { get; init; }

    public required string Type { get; init; }

    public SyncDirection Direction { get; init; }

    /// <summary>The fields synced; null means every field of the type.</summary>
    public IReadOnlyList<string>? Fields { get; init; }

    /// <summary>Records must match every condition to be synced.</summary>
    public IReadOnlyList<FilterCondition> Filter { get; init; } = [];

    public SourceSpan At { get; init; }

    public SourceSpan SystemAt { get; init; }

    public SourceSpan TypeAt { get; init; }

    public SourceSpan DirectionAt { get; init; }

    public Dictionary<string, SourceSpan> FieldSpans { get; init; } = new(StringComparer.Ordinal);

    public bool Receives => Direction is SyncDirection.Push or SyncDirection.TwoWay;

    public bool Contributes => Direction is SyncDirection.Pull or SyncDirection.TwoWay;

    public bool Covers(string field) => Fields is null || Fields.Contains(field, StringComparer.Ordinal);
}
