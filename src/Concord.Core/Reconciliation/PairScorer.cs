namespace Concord.Core.Reconciliation;

/// <summary>
/// Scores a candidate pair on amount, date and text with the weights of <see cref="ReconcileOptions"/>.
/// </summary>
public sealed class PairScorer(ReconcileOptions options)
{
    private readonly double weightSum = options.AmountWeight + options.DateWeight + options.TextWeight;

    /// <summary>
    /// Amount part: exactly 1 within the absolute tolerance; otherwise at most 0.8, falling linearly
    /// to 0 at the relative tolerance. The step is deliberate: to the cent is much stronger evidence
    /// than close, because unrelated lines almost never agree to the cent.
    /// </summary>
    public double AmountScore(decimal left, decimal right)
    {
        var diff = Math.Abs(right - left);
        if (diff <= options.AmountAbsoluteTolerance)
        {
            return 1.0;
        }

        var larger = Math.Max(Math.Abs(left), Math.Abs(right));
        if (larger == 0 || Math.Sign(left) != Math.Sign(right))
        {
            return -1;
        }

        var relative = (double)(diff / larger);
        return relative > options.AmountRelativeTolerance ? -1 : 0.8 * (1 - (relative / options.AmountRelativeTolerance));
    }

    /// <summary>Date part: 1 on the same day, falling linearly to 0 just past the window's edge; negative outside it.</summary>
    public double DateScore(int lagDays)
    {
        var edge = lagDays >= 0 ? options.MaxDaysAfter : options.MaxDaysBefore;
        return Math.Abs(lagDays) > edge ? -1 : 1 - (Math.Abs(lagDays) / (edge + 1.0));
    }

    /// <summary>The pair's score, or null when it lies outside the amount or date tolerance.</summary>
    public PairScore? Score(MoneyLine left, MatchText leftText, MoneyLine right, MatchText rightText)
    {
        var amount = AmountScore(left.Amount, right.Amount);
        if (amount < 0)
        {
            return null;
        }

        var lag = right.Date.DayNumber - left.Date.DayNumber;
        var date = DateScore(lag);
        if (date < 0)
        {
            return null;
        }

        var text = TextSimilarity.Compare(leftText, rightText);
        return new PairScore(Combine(amount, date, text), amount, date, text, right.Amount - left.Amount, lag);
    }

    /// <summary>The weighted mean of the three parts.</summary>
    public double Combine(double amount, double date, double text) =>
        ((options.AmountWeight * amount) + (options.DateWeight * date) + (options.TextWeight * text)) / weightSum;
}
