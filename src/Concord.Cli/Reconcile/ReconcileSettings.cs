using System.Globalization;
using Concord.Core.Reconciliation;

namespace Concord.Cli.Reconcile;

/// <summary>
/// The tolerances a user may set on the command line, checked and mapped onto
/// <see cref="ReconcileOptions"/>; anything not given keeps the documented default.
/// </summary>
internal sealed record ReconcileSettings(string? AmountTolerance, int? Days, int? DaysBefore, int? DaysAfter, double? AutoConfirm, double? MinScore)
{
    /// <summary>The longest date window accepted: a year. Wider would make every line a candidate of every other.</summary>
    public const int MaxDays = 366;

    /// <summary>The options, or null with every problem named by its option in <paramref name="problems"/>.</summary>
    public ReconcileOptions? ToOptions(List<string> problems)
    {
        var defaults = new ReconcileOptions();
        var before = problems.Count;
        var relative = defaults.AmountRelativeTolerance;
        if (AmountTolerance is not null && !TryShare(AmountTolerance, out relative))
        {
            problems.Add($"--amount-tolerance: '{AmountTolerance}' is not a share of the amount such as 0.05 or 5% (0 up to, not including, 1)");
        }

        int Window(int? value, string option, int fallback)
        {
            if (value is { } v && (v < 0 || v > MaxDays))
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"{option}: {v} is not a number of days from 0 to {MaxDays}"));
            }

            return value ?? fallback;
        }

        var days = Window(Days, "--days", defaults.MaxDaysBefore);
        var daysBefore = Window(DaysBefore, "--days-before", days);
        var daysAfter = Window(DaysAfter, "--days-after", Days ?? defaults.MaxDaysAfter);
        var auto = Score(AutoConfirm, "--auto-confirm", defaults.AutoConfirmScore, problems);
        var min = Score(MinScore, "--min-score", defaults.MinScore, problems);
        return problems.Count > before ? null : defaults with
        {
            AmountRelativeTolerance = relative,
            MaxDaysBefore = daysBefore,
            MaxDaysAfter = daysAfter,
            AutoConfirmScore = auto,
            MinScore = min,
        };
    }

    private static double Score(double? value, string option, double fallback, List<string> problems)
    {
        if (value is { } v && (double.IsNaN(v) || v < 0 || v > 1))
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{option}: {v} is not a score from 0 to 1"));
        }

        return value ?? fallback;
    }

    /// <summary>"0.05" or "5%"; at least 0 and below 1, since a 100% difference would pair any two amounts of one sign.</summary>
    private static bool TryShare(string text, out double share)
    {
        var t = text.Trim();
        var percent = t.EndsWith('%');
        if (!double.TryParse(percent ? t[..^1] : t, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out share))
        {
            return false;
        }

        share = percent ? share / 100 : share;
        return share is >= 0 and < 1;
    }
}
