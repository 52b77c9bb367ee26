using System.Globalization;

namespace Concord.Cli.Commands;

/// <summary>
/// A one-line progress bar on standard error, redrawn in place; silent when standard error is
/// not a terminal (a log file wants the summary, not hundreds of carriage returns).
/// </summary>
internal sealed class ProgressBar(string label) : IProgress<(int Done, int Total)>
{
    private const int Width = 30;
    private int _lastPercent = -1;
    private bool _drawn;

    public void Report((int Done, int Total) value)
    {
        if (Console.IsErrorRedirected || value.Total <= 0)
        {
            return;
        }

        var percent = (int)(100L * value.Done / value.Total);
        if (percent == _lastPercent && value.Done != value.Total)
        {
            return;
        }

        _lastPercent = percent;
        var filled = Width * percent / 100;
        Console.Error.Write(string.Create(CultureInfo.InvariantCulture,
            $"\r{label} [{new string('#', filled)}{new string('.', Width - filled)}] {percent,3}% {value.Done}/{value.Total}"));
        _drawn = true;
    }

    /// <summary>Ends the bar's line so that what follows starts on a fresh one.</summary>
    public void Finish()
    {
        if (_drawn)
        {
            Console.Error.WriteLine();
            _drawn = false;
        }
    }
}
