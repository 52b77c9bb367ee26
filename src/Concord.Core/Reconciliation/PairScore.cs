namespace Concord.Core.Reconciliation;

/// <summary>How alike two lines (or a line and a group of lines) are, part by part.</summary>
/// <param name="Total">The weighted score, 0..1.</param>
/// <param name="Amount">1 for the same amount, falling to 0 at the relative tolerance.</param>
/// <param name="Date">1 for the same day, falling to 0 at the edge of the date window.</param>
/// <param name="Text">Similarity of the texts (<see cref="TextSimilarity"/>).</param>
/// <param name="AmountDifference">Right minus left.</param>
/// <param name="LagDays">Right's date minus left's date, in days.</param>
public readonly record struct PairScore(double Total, double Amount, double Date, double Text, decimal AmountDifference, int LagDays);
