namespace Concord.Core.Configuration;

/// <summary>
/// The <c>guardrails:</c> section: cardinality rules, and values that must never identify a record.
/// Written rules add to the built-in ones (<see cref="GuardrailRules"/>) or replace them.
/// </summary>
public sealed class GuardrailConfig
{
    public List<CardinalityRule> Rules { get; } = [];

    /// <summary>Blocked values per entity type and field, as written (they are also attached to each type).</summary>
    public List<BlockedValueList> Blocked { get; } = [];
}

/// <summary>
/// A cardinality rule. Either a uniqueness rule (<see cref="Unique"/>: no two live records of the type
/// that meet <see cref="When"/> share these fields' values) or a links rule (<see cref="Links"/>: a
/// system holds at most so many ids for one golden record).
/// </summary>
public sealed class CardinalityRule
{
    /// <summary>Entity types whose uniqueness violations cost money: they are <c>double-billing</c> alerts.</summary>
    public static readonly IReadOnlySet<string> BillingTypes = new HashSet<string>(StringComparer.Ordinal) { "subscription", "invoice", "payment" };

    /// <summary>The rule's name, as people read it in findings; unique in the file.</summary>
    public required string Name { get; init; }

    public required string Type { get; init; }

    /// <summary>Fields whose values must not repeat among live records; empty for a links rule.</summary>
    public IReadOnlyList<string> Unique { get; init; } = [];

    /// <summary>Conditions a record must meet to count (all of them); empty: every live record counts.</summary>
    public IReadOnlyList<FilterCondition> When { get; init; } = [];

    /// <summary>The links limit of a links rule; null for a uniqueness rule.</summary>
    public LinkLimit? Links { get; init; }

    /// <summary><c>alert</c> or <c>warning</c> as written; null for the kind's default.</summary>
    public string? Severity { get; init; }

    /// <summary>False switches the rule off (and, for a rule replacing a built-in one, the built-in one too).</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>True for the hub's own rules, which apply while no written rule replaces them.</summary>
    public bool BuiltIn { get; init; }

    public SourceSpan At { get; init; } = SourceSpan.None;

    public SourceSpan TypeAt { get; init; } = SourceSpan.None;

    public SourceSpan SeverityAt { get; init; } = SourceSpan.None;

    /// <summary>Where each field named by the rule (in <c>unique</c> or <c>when</c>) was written.</summary>
    public IReadOnlyDictionary<string, SourceSpan> FieldSpans { get; init; } = new Dictionary<string, SourceSpan>(StringComparer.Ordinal);

    public bool IsLinks => Links is not null;

    /// <summary>
    /// The finding kind a violation raises: a system holding a record too often is <c>duplicate-in-system</c>
    /// (merge them in that system), a repeated money record is <c>double-billing</c>, anything else <c>cardinality</c>.
    /// </summary>
    public string Kind => IsLinks ? "duplicate-in-system" : BillingTypes.Contains(Type) ? "double-billing" : "cardinality";

    /// <summary>The written severity, else <c>alert</c> for double billing and <c>warning</c> otherwise.</summary>
    public string EffectiveSeverity => Severity ?? (Kind == "double-billing" ? "alert" : "warning");
}

/// <summary>How many ids one system may hold for one golden record.</summary>
/// <param name="System">The system; null for every system that syncs the type.</param>
/// <param name="Max">The most ids allowed; null for no limit (<c>max: any</c>).</param>
/// <param name="SystemAt">Where the system was written.</param>
public sealed record LinkLimit(string? System, int? Max, SourceSpan SystemAt);

/// <summary>Values written under <c>guardrails.blocked_values.&lt;type&gt;.&lt;field&gt;</c>.</summary>
public sealed record BlockedValueList(string Type, string Field, IReadOnlyList<string> Patterns, SourceSpan TypeAt, SourceSpan FieldAt);
