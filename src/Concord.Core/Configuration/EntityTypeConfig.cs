using Concord.Core.Schema;

namespace Concord.Core.Configuration;

/// <summary>An entity type as configured: its schema, its owner and per-field owners, and identity keys.</summary>
public sealed class EntityTypeConfig
{
    public required string Name { get; init; }

    public SourceSpan At { get; init; }

    /// <summary>The system of record for the type. Exactly one is required.</summary>
    public string? Owner { get; set; }

    public SourceSpan OwnerAt { get; set; }

    /// <summary>True when the owner was written more than once (a validation error).</summary>
    public List<SourceSpan> ExtraOwners { get; } = [];

    /// <summary>
    /// When true, a non-owner's value fills a field while the owner has supplied nothing for it.
    /// Default false: only owners write.
    /// </summary>
    public bool FillIn { get; set; }

    /// <summary>
    /// How non-owner values compete for a field and which values a merge keeps; null when not
    /// configured (fill-in then takes the latest value, and a merge keeps the survivor's values).
    /// </summary>
    public SurvivorshipConfig? Survivorship { get; set; }

    /// <summary>The schema: canonical fields plus custom ones.</summary>
    public required EntitySchema Schema { get; init; }

    /// <summary>Per-field owner overrides.</summary>
    public Dictionary<string, FieldOwner> FieldOwners { get; init; } = new(StringComparer.Ordinal);

    /// <summary>Identity keys in the order they are tried.</summary>
    public List<IdentityKey> Identity { get; init; } = [];

    /// <summary>Probabilistic matching of the type; null when it has no model (off).</summary>
    public MatchingConfig? Matching { get; set; }

    /// <summary>
    /// Values written under <c>guardrails.blocked_values</c> for this type, by field: patterns (<c>*</c>
    /// for any text) that must never identify or match a record, on top of the built-in ones.
    /// </summary>
    public Dictionary<string, IReadOnlyList<string>> BlockedValues { get; init; } = new(StringComparer.Ordinal);

    /// <summary>Whether this type was declared in the file (rather than only known as canonical).</summary>
    public bool Declared { get; init; } = true;

    /// <summary>The owner of one field: its override, else the type's owner.</summary>
    public string? OwnerOf(string field) => FieldOwners.TryGetValue(field, out var o) ? o.System : Owner;
}

/// <summary>A per-field owner override.</summary>
public sealed record FieldOwner(string Field, string System, SourceSpan At);

/// <summary>An identity key: the field whose normalised value identifies a record of the type.</summary>
public sealed record IdentityKey(string Field, string Normalizer, SourceSpan At);
