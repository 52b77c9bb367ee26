using System.Globalization;

namespace Concord.Core.Reconciliation;

/// <summary>
/// Picks at most one partner per line from the candidates: greedily, best-scoring pair first,
/// skipping pairs whose line is already taken. A proper maximum-weight assignment (Hungarian)
/// is cubic in the lines of a connected group, and with wide tolerances a month of bank lines is one
/// large group; greedy is within a factor of two of it in theory and, where the right partner
/// stands out by text or exact amount, picks the same pairs. Where it would not, the pair is
/// close to a competitor, and such a pair is only Suggested.
/// </summary>
public sealed class OneToOneAssigner(ReconcileOptions options)
{
    /// <summary>The 1:1 proposals, best first; <paramref name="leftTaken"/> and <paramref name="rightTaken"/> are set for the lines used.</summary>
    public List<MatchProposal> Assign(Candidate[][] candidates, IReadOnlyList<MoneyLine> left, IReadOnlyList<MoneyLine> right, bool[] leftTaken, bool[] rightTaken)
    {
        var all = candidates.SelectMany(c => c).ToArray();
        Array.Sort(all, CandidateGenerator.Compare);

        // The best competing score of every line, from both sides, for the ambiguity check.
        var leftBest = new (double First, double Second)[left.Count];
        var rightBest = new (double First, double Second)[right.Count];
        foreach (var c in all)
        {
            Push(ref leftBest[c.Left], c.Score.Total);
            Push(ref rightBest[c.Right], c.Score.Total);
        }

        var proposals = new List<MatchProposal>();
        foreach (var c in all)
        {
            if (leftTaken[c.Left] || rightTaken[c.Right])
            {
                continue;
            }

            leftTaken[c.Left] = true;
            rightTaken[c.Right] = true;
            var competitor = Math.Max(Other(leftBest[c.Left], c.Score.Total), Other(rightBest[c.Right], c.Score.Total));
            proposals.Add(Proposal(c, left[c.Left], right[c.Right], competitor));
        }

        return proposals;
    }

    private MatchProposal Proposal(Candidate c, MoneyLine l, MoneyLine r, double competitor)
    {
        var reasons = Reasons.Describe(c.Score, l.Amount);
        var confirmed = c.Score.Total >= options.AutoConfirmScore;
        if (!confirmed)
        {
            reasons.Add(string.Create(CultureInfo.InvariantCulture, $"score {c.Score.Total:0.000} below the auto threshold {options.AutoConfirmScore:0.00}"));
        }

        if (competitor > c.Score.Total - options.AmbiguityMargin)
        {
            confirmed = false;
            reasons.Add(string.Create(CultureInfo.InvariantCulture, $"another candidate scores {competitor:0.000}, within {options.AmbiguityMargin:0.00}: ambiguous"));
        }

        return new MatchProposal([l.Id], [r.Id], c.Score.Total, confirmed ? MatchStatus.Confirmed : MatchStatus.Suggested, reasons);
    }

    private static void Push(ref (double First, double Second) best, double score)
    {
        if (score > best.First)
        {
            best = (score, best.First);
        }
        else if (score > best.Second)
        {
            best.Second = score;
        }
    }

    /// <summary>The best score other than this pair's own (the pair is one of the recorded scores).</summary>
    private static double Other((double First, double Second) best, double own) => best.First > own ? best.First : best.Second;
}
