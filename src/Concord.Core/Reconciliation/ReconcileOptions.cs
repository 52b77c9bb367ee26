namespace Concord.Core.Reconciliation;

/// <summary>
/// Tolerances and thresholds of a reconciliation. The defaults suit bank lines against ledger
/// entries or payments against invoices in one currency: fees and FX spreads of a few percent,
/// settlement and clearing lags of up to a month, memos cut short by the bank.
/// </summary>
public sealed record ReconcileOptions
{
    /// <summary>A difference up to this (e.g. rounding) counts as the same amount.</summary>
    public decimal AmountAbsoluteTolerance { get; init; } = 0.01m;

    /// <summary>
    /// The largest difference, as a share of the larger amount, for two lines to be candidates at all
    /// (fees, FX spreads). The score falls as the difference grows, so a wide window costs little
    /// when the text and date agree, and a difference near the edge is never confirmed on amount alone.
    /// </summary>
    public double AmountRelativeTolerance { get; init; } = 0.15;

    /// <summary>How many days the right line may be dated after the left one.</summary>
    public int MaxDaysAfter { get; init; } = 31;

    /// <summary>How many days the right line may be dated before the left one.</summary>
    public int MaxDaysBefore { get; init; } = 31;

    /// <summary>Weight of the amount in the score (the three weights are normalised to sum to 1).</summary>
    public double AmountWeight { get; init; } = 0.35;

    /// <summary>Weight of the date lag in the score.</summary>
    public double DateWeight { get; init; } = 0.15;

    /// <summary>Weight of the text similarity in the score.</summary>
    public double TextWeight { get; init; } = 0.5;

    /// <summary>How many of its best candidates each left line keeps for the assignment.</summary>
    public int MaxCandidatesPerLine { get; init; } = 8;

    /// <summary>Pairs scoring below this are not proposed at all.</summary>
    public double MinScore { get; init; } = 0.5;

    /// <summary>Pairs scoring at least this, with no close competitor, are Confirmed.</summary>
    public double AutoConfirmScore { get; init; } = 0.85;

    /// <summary>
    /// A proposal is only Confirmed when every other candidate of either of its lines scores at
    /// least this much lower: two near-equal candidates are a choice a person makes.
    /// </summary>
    public double AmbiguityMargin { get; init; } = 0.05;

    /// <summary>Look for one line covering several on the other side among what 1:1 left unmatched.</summary>
    public bool OneToMany { get; init; } = true;

    /// <summary>The most lines one line may cover in a 1:N proposal.</summary>
    public int MaxParts { get; init; } = 4;

    /// <summary>
    /// The parts' sum may differ from the whole by this share (a single fee); tighter than the 1:1
    /// window because a sum of many lines fits some total by chance far more easily.
    /// </summary>
    public double PartsRelativeTolerance { get; init; } = 0.02;

    /// <summary>How many candidate parts (closest in text and date) the subset search looks at per line.</summary>
    public int MaxPartCandidates { get; init; } = 12;

    /// <summary>Candidate parts need at least this text similarity with the whole (same counterparty).</summary>
    public double MinPartTextSimilarity { get; init; } = 0.6;
}
