namespace Concord.Core.Reconciliation;

/// <summary>
/// Matches two sides of money (payments and invoices, bank lines and ledger entries): candidates
/// by blocking on currency, amount band and date window; scored on amount, date and text; assigned
/// 1:1, best pair first; then, among what is left, one line covering several on the other side.
/// Every proposal carries its score, its reasons and whether it is Confirmed or only Suggested.
/// </summary>
public sealed class Reconciler(ReconcileOptions? options = null)
{
    /// <summary>The options in force.</summary>
    public ReconcileOptions Options { get; } = options ?? new ReconcileOptions();

    /// <summary>The proposals; no line appears in more than one.</summary>
    public IReadOnlyList<MatchProposal> Reconcile(IReadOnlyList<MoneyLine> left, IReadOnlyList<MoneyLine> right)
    {
        var leftTexts = left.Select(l => MatchText.Of(l.Text)).ToArray();
        var rightTexts = right.Select(r => MatchText.Of(r.Text)).ToArray();
        var candidates = new CandidateGenerator(Options).Generate(left, leftTexts, right, rightTexts);

        var leftTaken = new bool[left.Count];
        var rightTaken = new bool[right.Count];
        var proposals = new OneToOneAssigner(Options).Assign(candidates, left, right, leftTaken, rightTaken);
        if (Options.OneToMany)
        {
            var split = new SplitMatcher(Options);
            proposals.AddRange(split.Find(left, leftTexts, leftTaken, right, rightTexts, rightTaken, wholeIsLeft: true));
            proposals.AddRange(split.Find(right, rightTexts, rightTaken, left, leftTexts, leftTaken, wholeIsLeft: false));
        }

        return proposals;
    }
}
