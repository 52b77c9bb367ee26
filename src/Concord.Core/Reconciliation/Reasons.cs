using System.Globalization;

namespace Concord.Core.Reconciliation;

/// <summary>The parts of a score in words a bookkeeper can check.</summary>
public static class Reasons
{
    /// <summary>Amount, date and text, one phrase each.</summary>
    public static List<string> Describe(PairScore s, decimal leftAmount)
    {
        var inv = CultureInfo.InvariantCulture;
        var reasons = new List<string>(4);
        reasons.Add(s.Amount >= 1.0
            ? "same amount"
            : string.Create(inv, $"amount differs by {s.AmountDifference:+0.00;-0.00} ({(double)(Math.Abs(s.AmountDifference) / Math.Max(Math.Abs(leftAmount), 0.01m)):0.0%})"));
        reasons.Add(s.LagDays switch
        {
            0 => "same day",
            > 0 => string.Create(inv, $"dated {s.LagDays} day(s) later"),
            _ => string.Create(inv, $"dated {-s.LagDays} day(s) earlier"),
        });
        reasons.Add(string.Create(inv, $"text similarity {s.Text:0.00}"));
        return reasons;
    }
}
