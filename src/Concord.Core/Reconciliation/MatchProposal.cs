namespace Concord.Core.Reconciliation;

/// <summary>
/// A proposed match: one left line with one right line (1:1), or one line with several lines on
/// the other side whose amounts add up to it (1:N, e.g. one payment covering several invoices).
/// </summary>
/// <param name="LeftIds">The left lines' ids (one, except when several left lines make up one right line).</param>
/// <param name="RightIds">The right lines' ids (one, except when one left line covers several right lines).</param>
/// <param name="Score">0..1; how alike the lines are in amount, date and text.</param>
/// <param name="Status">Confirmed when it may be booked automatically; otherwise Suggested.</param>
/// <param name="Reasons">Why, in words a bookkeeper can check (amount difference, lag, text, competitors).</param>
public sealed record MatchProposal(
    IReadOnlyList<string> LeftIds,
    IReadOnlyList<string> RightIds,
    double Score,
    MatchStatus Status,
    IReadOnlyList<string> Reasons)
{
    /// <summary>True for a one-to-one proposal.</summary>
    public bool IsOneToOne => LeftIds.Count == 1 && RightIds.Count == 1;
}
