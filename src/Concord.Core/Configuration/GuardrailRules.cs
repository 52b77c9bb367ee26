namespace Concord.Core.Configuration;

/// <summary>
/// The cardinality rules in force: the written ones plus the built-in ones they do not replace.
/// Built in are one active subscription per customer and plan (how a business notices it bills a
/// customer twice) and one id per system for every golden record (a system holding a record twice is
/// a duplicate to merge in that system; the hub reports it and deletes nothing there).
/// </summary>
public sealed class GuardrailRules
{
    /// <summary>The name of the built-in billing rule; also the name earlier versions stored their keys under.</summary>
    public const string BillingRuleName = "one active subscription per customer and plan";

    /// <summary>The name of the built-in links rule.</summary>
    public const string LinksRuleName = "one id per system";

    private readonly Dictionary<string, List<CardinalityRule>> _unique = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Type, string? System), CardinalityRule> _links = [];

    private GuardrailRules(HubConfig config)
    {
        var written = config.Guardrails.Rules;
        foreach (var rule in written.Where(r => r.Enabled && !r.IsLinks))
        {
            UniqueList(rule.Type).Add(rule);
        }

        foreach (var rule in written.Where(r => r.IsLinks))
        {
            _links[(rule.Type, rule.Links!.System)] = rule;
        }

        if (!written.Any(r => r.Type == "subscription" && !r.IsLinks))
        {
            UniqueList("subscription").Add(BillingRule);
        }
    }

    /// <summary>The built-in billing rule: the statuses in which Stripe and its peers go on charging.</summary>
    public static CardinalityRule BillingRule { get; } = new()
    {
        Name = BillingRuleName,
        Type = "subscription",
        Unique = ["customer", "plan"],
        When = [new FilterCondition("status", FilterOperator.In, ["active", "trialing", "past_due"], false, SourceSpan.None)],
        BuiltIn = true,
    };

    public static GuardrailRules For(HubConfig config) => new(config);

    /// <summary>The uniqueness rules of a type (enabled ones only).</summary>
    public IReadOnlyList<CardinalityRule> UniqueRules(string type) => _unique.TryGetValue(type, out var list) ? list : [];

    /// <summary>Whether a uniqueness rule of that name is in force for the type (a stored key of any other is stale).</summary>
    public bool HasUniqueRule(string type, string name) => UniqueRules(type).Any(r => r.Name == name);

    /// <summary>
    /// The rule limiting how many ids <paramref name="system"/> holds for one record of <paramref name="type"/>:
    /// a written rule for that system, else one for every system, else the built-in limit of one.
    /// A rule with <c>max: any</c> or <c>enabled: false</c> lifts the limit (null).
    /// </summary>
    public CardinalityRule? LinkRule(string type, string system)
    {
        var rule = _links.GetValueOrDefault((type, system)) ?? _links.GetValueOrDefault((type, null));
        if (rule is null)
        {
            return new CardinalityRule { Name = LinksRuleName, Type = type, Links = new LinkLimit(null, 1, SourceSpan.None), BuiltIn = true };
        }

        return rule.Enabled && rule.Links!.Max is not null ? rule : null;
    }

    private List<CardinalityRule> UniqueList(string type) => _unique.TryGetValue(type, out var list) ? list : _unique[type] = [];
}
