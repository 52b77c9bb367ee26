namespace Concord.Core.Configuration;

/// <summary>A tie-break applied, in the configured order, to non-owner values that the ranking leaves equal.</summary>
public enum TieBreak
{
    /// <summary>The newest observation wins.</summary>
    Recency,

    /// <summary>A non-empty value wins over an empty one, then the value carrying more information.</summary>
    Completeness,
}

/// <summary>
/// <c>entities.&lt;type&gt;.survivorship</c>: which value a golden field takes when its owner has none,
/// and which of two records' values a merge keeps. The owner always comes first; this only orders
/// everyone else. Per-field entries replace the type's ranking and, when written, its tie-breaks.
/// </summary>
public sealed class SurvivorshipConfig
{
    /// <summary>The tie-breaks used when <c>then</c> is not written.</summary>
    public static readonly IReadOnlyList<TieBreak> DefaultThen = [TieBreak.Recency];

    public SourceSpan At { get; init; }

    /// <summary>The type-level rules.</summary>
    public required SurvivorshipRules Rules { get; init; }

    /// <summary>Per-field rules, by field name.</summary>
    public Dictionary<string, FieldSurvivorship> Fields { get; init; } = new(StringComparer.Ordinal);

    /// <summary>The rules for one field: its own entry (with the type's tie-breaks unless it wrote some), else the type's.</summary>
    public SurvivorshipRules For(string field)
    {
        if (!Fields.TryGetValue(field, out var own))
        {
            return Rules;
        }

        return own.Rules.ThenWritten ? own.Rules : own.Rules with { Then = Rules.Then, ThenAt = Rules.ThenAt, ThenWritten = Rules.ThenWritten };
    }
}

/// <summary>A ranking of systems and the tie-breaks after it.</summary>
/// <param name="Rank">Systems in order of trust; systems not listed come after all listed ones, equal among themselves.</param>
/// <param name="Then">Tie-breaks after the ranking, in order.</param>
public sealed record SurvivorshipRules(IReadOnlyList<RankedSystem> Rank, IReadOnlyList<TieBreak> Then)
{
    public static readonly SurvivorshipRules Default = new([], SurvivorshipConfig.DefaultThen);

    public IReadOnlyList<SourceSpan> ThenAt { get; init; } = [];

    /// <summary>Whether <c>then</c> was written (a per-field entry without it inherits the type's).</summary>
    public bool ThenWritten { get; init; }

    /// <summary>The position of a system in the ranking; unlisted systems share the last place.</summary>
    public int RankOf(string system)
    {
        for (var i = 0; i < Rank.Count; i++)
        {
            if (Rank[i].System == system)
            {
                return i;
            }
        }

        return Rank.Count;
    }
}

/// <summary>One system of a ranking, with where it was written.</summary>
public sealed record RankedSystem(string System, SourceSpan At);

/// <summary>The rules of one field under <c>survivorship.fields</c>.</summary>
public sealed record FieldSurvivorship(string Field, SurvivorshipRules Rules, SourceSpan At);
