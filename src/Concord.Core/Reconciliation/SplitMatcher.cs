using System.Globalization;

namespace Concord.Core.Reconciliation;

/// <summary>
/// 1:N: one line covering several lines on the other side (a payment settling several invoices,
/// one bank line for a batch of ledger entries), looked for among the lines 1:1 left over. The
/// search is bounded: per whole, only the few parts closest in text and date, of the same sign and
/// smaller, and subsets of at most <see cref="ReconcileOptions.MaxParts"/> of them.
/// </summary>
public sealed class SplitMatcher(ReconcileOptions options)
{
    private readonly PairScorer scorer = new(options);

    /// <summary>
    /// Proposals of one untaken whole with several untaken parts; marks what it uses as taken.
    /// <paramref name="wholeIsLeft"/> says which side the wholes are on, for the date direction and the ids.
    /// </summary>
    public List<MatchProposal> Find(
        IReadOnlyList<MoneyLine> wholes, IReadOnlyList<MatchText> wholeTexts, bool[] wholeTaken,
        IReadOnlyList<MoneyLine> parts, IReadOnlyList<MatchText> partTexts, bool[] partTaken,
        bool wholeIsLeft)
    {
        var proposals = new List<MatchProposal>();
        var free = Enumerable.Range(0, parts.Count).Where(i => !partTaken[i]).ToList();
        if (free.Count < 2)
        {
            return proposals;
        }

        var index = new CandidateIndex(parts, free);
        var found = new List<int>();
        for (var w = 0; w < wholes.Count; w++)
        {
            if (wholeTaken[w])
            {
                continue;
            }

            var whole = wholes[w];
            var pool = Pool(whole, wholeTexts[w], parts, partTexts, partTaken, index, found, wholeIsLeft);
            if (pool.Count < 2)
            {
                continue;
            }

            var subsets = new List<int[]>();
            Search(pool, Math.Abs(whole.Amount), 0, 0m, [], subsets);
            if (subsets.Count == 0)
            {
                continue;
            }

            var best = subsets.Select(s => (Parts: s, Score: ScoreOf(whole, s, pool))).OrderByDescending(x => x.Score.Total).First();
            if (best.Score.Total < options.MinScore)
            {
                continue;
            }

            wholeTaken[w] = true;
            var ids = new List<string>();
            foreach (var p in best.Parts)
            {
                partTaken[pool[p].Index] = true;
                ids.Add(parts[pool[p].Index].Id);
            }

            proposals.Add(Proposal(whole, ids, best.Score, subsets.Count, wholeIsLeft));
        }

        return proposals;
    }

    private List<Part> Pool(MoneyLine whole, MatchText wholeText, IReadOnlyList<MoneyLine> parts, IReadOnlyList<MatchText> partTexts, bool[] partTaken, CandidateIndex index, List<int> found, bool wholeIsLeft)
    {
        // Right minus left lies in [-MaxDaysBefore, MaxDaysAfter] whichever side the whole is on.
        var day = whole.Date.DayNumber;
        var (from, to) = wholeIsLeft ? (day - options.MaxDaysBefore, day + options.MaxDaysAfter) : (day - options.MaxDaysAfter, day + options.MaxDaysBefore);
        var (min, max) = whole.Amount >= 0 ? (0.01m, whole.Amount) : (whole.Amount, -0.01m);
        found.Clear();
        index.Query(whole.Currency, from, to, min, max, found);
        var pool = new List<Part>();
        foreach (var i in found)
        {
            if (partTaken[i])
            {
                continue;
            }

            var text = TextSimilarity.Compare(wholeText, partTexts[i]);
            if (text < options.MinPartTextSimilarity)
            {
                continue;
            }

            var lag = wholeIsLeft ? parts[i].Date.DayNumber - day : day - parts[i].Date.DayNumber;
            pool.Add(new Part(i, Math.Abs(parts[i].Amount), text, scorer.DateScore(lag), lag));
        }

        // The closest in text, then in date; then largest first so the subset search can prune.
        return pool.OrderByDescending(p => p.Text).ThenByDescending(p => p.Date).ThenBy(p => p.Index)
            .Take(options.MaxPartCandidates)
            .OrderByDescending(p => p.Amount).ThenBy(p => p.Index)
            .ToList();
    }

    /// <summary>Every subset of 2..MaxParts pool entries whose sum is within the parts tolerance of the whole.</summary>
    private void Search(List<Part> pool, decimal target, int start, decimal sum, List<int> chosen, List<int[]> into)
    {
        var slack = options.AmountAbsoluteTolerance + (target * (decimal)options.PartsRelativeTolerance);
        if (chosen.Count >= 2 && Math.Abs(target - sum) <= slack)
        {
            into.Add([.. chosen]);
        }

        if (chosen.Count == options.MaxParts)
        {
            return;
        }

        for (var k = start; k < pool.Count; k++)
        {
            // Amounts are positive here: past the target plus slack, adding more only moves away.
            if (sum + pool[k].Amount > target + slack)
            {
                continue;
            }

            chosen.Add(k);
            Search(pool, target, k + 1, sum + pool[k].Amount, chosen, into);
            chosen.RemoveAt(chosen.Count - 1);
        }
    }

    private PairScore ScoreOf(MoneyLine whole, int[] subset, List<Part> pool)
    {
        var sum = subset.Sum(k => pool[k].Amount) * Math.Sign(whole.Amount);
        var diff = Math.Abs(sum - whole.Amount);
        var amount = diff <= options.AmountAbsoluteTolerance
            ? 1.0
            : 0.8 * (1 - ((double)(diff / Math.Abs(whole.Amount)) / options.PartsRelativeTolerance));
        var date = subset.Average(k => pool[k].Date);
        var text = subset.Average(k => pool[k].Text);
        var lag = subset.Max(k => Math.Abs(pool[k].Lag));
        return new PairScore(scorer.Combine(amount, date, text), amount, date, text, sum - whole.Amount, lag);
    }

    private MatchProposal Proposal(MoneyLine whole, List<string> partIds, PairScore score, int alternatives, bool wholeIsLeft)
    {
        var inv = CultureInfo.InvariantCulture;
        var reasons = new List<string>
        {
            score.Amount >= 1.0
                ? string.Create(inv, $"{partIds.Count} lines add up to {whole.Amount:0.00}")
                : string.Create(inv, $"{partIds.Count} lines add up to {whole.Amount:0.00} within {score.AmountDifference:+0.00;-0.00}"),
            string.Create(inv, $"dated up to {score.LagDays} day(s) apart"),
            string.Create(inv, $"mean text similarity {score.Text:0.00}"),
        };
        var confirmed = score.Total >= options.AutoConfirmScore && alternatives == 1;
        if (score.Total < options.AutoConfirmScore)
        {
            reasons.Add(string.Create(inv, $"score {score.Total:0.000} below the auto threshold {options.AutoConfirmScore:0.00}"));
        }

        if (alternatives > 1)
        {
            reasons.Add(string.Create(inv, $"{alternatives} combinations fit the amount: ambiguous"));
        }

        var status = confirmed ? MatchStatus.Confirmed : MatchStatus.Suggested;
        return wholeIsLeft
            ? new MatchProposal([whole.Id], partIds, score.Total, status, reasons)
            : new MatchProposal(partIds, [whole.Id], score.Total, status, reasons);
    }

    private readonly record struct Part(int Index, decimal Amount, double Text, double Date, int Lag);
}
