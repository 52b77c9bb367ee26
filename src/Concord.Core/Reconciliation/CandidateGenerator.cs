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
        Parallel.For(0, left.Count, () => new Scratch(), (i, _, scratch) =>
        {
            result[i] = Best(i, left[i], leftTexts[i], right, rightTexts, index, scratch);
            return scratch;
        }, _ => { });

        return result;
    }

    /// <summary>
    /// One left line's best candidates. Amount and date are cheap and text is not, so the pairs in the
    /// band are ordered by the score they would reach with identical texts, and text is compared
    /// only while that bound can still beat the worst of the best kept so far: the same result as
    /// scoring every pair, at a fraction of the text comparisons.
    /// </summary>
    private Candidate[] Best(int i, MoneyLine line, MatchText text, IReadOnlyList<MoneyLine> right, IReadOnlyList<MatchText> rightTexts, CandidateIndex index, Scratch scratch)
    {
        var (min, max) = AmountBand(line.Amount);
        scratch.Found.Clear();
        scratch.Bounded.Clear();
        index.Query(line.Currency, line.Date.DayNumber - options.MaxDaysBefore, line.Date.DayNumber + options.MaxDaysAfter, min, max, scratch.Found);
        foreach (var j in scratch.Found)
        {
            var amount = scorer.AmountScore(line.Amount, right[j].Amount);
            var lag = right[j].Date.DayNumber - line.Date.DayNumber;
            var date = scorer.DateScore(lag);
            if (amount >= 0 && date >= 0)
            {
                scratch.Bounded.Add((j, amount, date, scorer.Combine(amount, date, 1.0)));
            }
        }

        scratch.Bounded.Sort((a, b) => b.Bound != a.Bound ? b.Bound.CompareTo(a.Bound) : a.Right.CompareTo(b.Right));
        var kept = new List<Candidate>(options.MaxCandidatesPerLine + 1);
        foreach (var (j, amount, date, bound) in scratch.Bounded)
        {
            var floor = kept.Count >= options.MaxCandidatesPerLine ? kept[^1].Score.Total : options.MinScore;
            if (bound < floor)
            {
                break;
            }

            var similarity = TextSimilarity.Compare(text, rightTexts[j]);
            var total = scorer.Combine(amount, date, similarity);
            if (total < floor)
            {
                continue;
            }

            var candidate = new Candidate(i, j, new PairScore(total, amount, date, similarity, right[j].Amount - line.Amount, right[j].Date.DayNumber - line.Date.DayNumber));
            var at = kept.BinarySearch(candidate, Comparer<Candidate>.Create(Compare));
            kept.Insert(at < 0 ? ~at : at, candidate);
            if (kept.Count > options.MaxCandidatesPerLine)
            {
                kept.RemoveAt(kept.Count - 1);
            }
        }

        return [.. kept];
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

    /// <summary>Per-thread lists reused from one left line to the next.</summary>
    private sealed class Scratch
    {
        public List<int> Found { get; } = [];

        public List<(int Right, double Amount, double Date, double Bound)> Bounded { get; } = [];
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
