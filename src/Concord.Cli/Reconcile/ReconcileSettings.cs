using System.Globalization;
using Concord.Core.Reconciliation;

namespace Concord.Cli.Reconcile;

/// <summary>
/// The tolerances a user may set on the command line, checked and mapped onto
/// <see cref="ReconcileOptions"/>; anything not given keeps the documented default.
/// </summary>
/// <remarks>Values arrive as text so that a bad one is reported in these words, not as a parser's type error.</remarks>
internal sealed record ReconcileSettings(string? AmountTolerance, string? Days, string? DaysBefore, string? DaysAfter, string? AutoConfirm, string? MinScore)
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
            problems.Add($"--amount-tolerance: '{AmountTolerance}' is not a share of the amount below 1, such as 0.05 or 5%");
        }

        int? Window(string? text, string option)
        {
            if (text is null)
            {
                return null;
            }

            if (!int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var v) || v > MaxDays)
            {
                problems.Add($"{option}: '{text}' is not a whole number of days from 0 to {MaxDays}");
                return null;
            }

            return v;
        }

        var days = Window(Days, "--days");
        var daysBefore = Window(DaysBefore, "--days-before") ?? days ?? defaults.MaxDaysBefore;
        var daysAfter = Window(DaysAfter, "--days-after") ?? days ?? defaults.MaxDaysAfter;
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

    private static double Score(string? text, string option, double fallback, List<string> problems)
    {
        if (text is null)
        {
            return fallback;
        }

        if (!double.TryParse(text.Trim(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var v) || !double.IsFinite(v) || v > 1)
        {
            problems.Add($"{option}: '{text}' is not a score from 0 to 1, such as 0.9");
            return fallback;
        }

        return v;
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
