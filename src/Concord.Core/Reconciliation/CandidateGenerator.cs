namespace Concord.Core.Reconciliation;

/// <summary>
/// Finds and scores each left line's candidates on the right through the <see cref="CandidateIndex"/>:
/// the amount band and date window are the blocking keys, so no pair outside both is ever scored.
/// </summary>
public sealed class CandidateGenerator(ReconcileOptions options)
{
    private readonly PairScorer scorer = new(options);

    /// <summary>
    /// The best <see cref="ReconcileOptions.MaxCandidatesPerLine"/> candidates of each left line
    /// scoring at least <see cref="ReconcileOptions.MinScore"/>, best first.
    /// </summary>
    public Candidate[][] Generate(IReadOnlyList<MoneyLine> left, IReadOnlyList<MatchText> leftTexts, IReadOnlyList<MoneyLine> right, IReadOnlyList<MatchText> rightTexts)
    {
        var index = new CandidateIndex(right);
        var result = new Candidate[left.Count][];

        // Each left line is independent of the others and writes only its own slot: safe to spread
        // over the cores, and the result does not depend on the order they run in.
        Parallel.For(0, left.Count, () => new List<int>(), (i, _, found) =>
        {
            found.Clear();
            var line = left[i];
            var (min, max) = AmountBand(line.Amount);
            index.Query(line.Currency, line.Date.DayNumber - options.MaxDaysBefore, line.Date.DayNumber + options.MaxDaysAfter, min, max, found);
            var kept = new List<Candidate>();
            foreach (var j in found)
            {
                if (scorer.Score(line, leftTexts[i], right[j], rightTexts[j]) is { } s && s.Total >= options.MinScore)
                {
                    kept.Add(new Candidate(i, j, s));
                }
            }

            kept.Sort(Compare);
            result[i] = kept.Count > options.MaxCandidatesPerLine ? kept.GetRange(0, options.MaxCandidatesPerLine).ToArray() : kept.ToArray();
            return found;
        }, _ => { });

        return result;
    }

    /// <summary>Best first: higher score, then shorter lag, then earlier positions (so ties break the same way every run).</summary>
    public static int Compare(Candidate a, Candidate b)
    {
        var c = b.Score.Total.CompareTo(a.Score.Total);
        if (c == 0)
        {
            c = Math.Abs(a.Score.LagDays).CompareTo(Math.Abs(b.Score.LagDays));
        }

        if (c == 0)
        {
            c = a.Left.CompareTo(b.Left);
        }

        return c != 0 ? c : a.Right.CompareTo(b.Right);
    }

    /// <summary>Every amount within the tolerances of <paramref name="amount"/> (a little wider; the scorer decides exactly).</summary>
    private (decimal Min, decimal Max) AmountBand(decimal amount)
    {
        // |a - b| ≤ r·max(|a|, |b|) allows b up to |a| / (1 - r) on the far side.
        var r = Math.Clamp(options.AmountRelativeTolerance, 0, 0.99);
        var relative = (decimal)(r / (1 - r));
        var delta = (Math.Abs(amount) * relative) + options.AmountAbsoluteTolerance;
        return (amount - delta, amount + delta);
    }
}
