namespace Concord.Core.Matching;

/// <summary>What to do with a scored pair.</summary>
public enum MatchDecision
{
    /// <summary>Different things: keep apart.</summary>
    Separate,

    /// <summary>Unsure: a person decides (the review queue).</summary>
    Review,

    /// <summary>The same thing: merge without asking.</summary>
    Merge,
}

/// <summary>
/// The two match-probability thresholds of an entity type: at or above <paramref name="Merge"/>
/// a pair is merged automatically, at or above <paramref name="Review"/> it goes to review, and
/// below it the records stay separate.
/// </summary>
/// <param name="Merge">Probability at which records merge without review.</param>
/// <param name="Review">Probability at which a pair is worth a person's look.</param>
public sealed record MatchThresholds(double Merge = MatchThresholds.DefaultMerge, double Review = MatchThresholds.DefaultReview)
{
    /// <summary>Default merge threshold: a wrong merge is costly to undo, so it takes near-certainty.</summary>
    public const double DefaultMerge = 0.95;

    /// <summary>Default review threshold: a pair more likely the same than not is shown to a person.</summary>
    public const double DefaultReview = 0.5;

    /// <summary>The decision for a match probability.</summary>
    public MatchDecision Decide(double probability) =>
        probability >= Merge ? MatchDecision.Merge : probability >= Review ? MatchDecision.Review : MatchDecision.Separate;
}
