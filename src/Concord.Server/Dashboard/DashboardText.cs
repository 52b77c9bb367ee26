using System.Globalization;

namespace Concord.Server.Dashboard;

/// <summary>How the dashboard writes numbers, shares, durations and times: the same on every page, invariant culture, UTC.</summary>
public static class DashboardText
{
    public static string Percent(double? value) => value is { } v ? (v * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%" : "n/a";

    public static string Seconds(double? value) => value switch
    {
        null => "none",
        < 60 => value.Value.ToString("0", CultureInfo.InvariantCulture) + " s",
        < 3600 => (value.Value / 60).ToString("0", CultureInfo.InvariantCulture) + " min",
        _ => (value.Value / 3600).ToString("0.#", CultureInfo.InvariantCulture) + " h",
    };

    public static string When(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    public static string When(DateTimeOffset? at) => at is { } value ? When(value) : "";

    /// <summary>A machine-readable time for <c>&lt;time datetime&gt;</c>.</summary>
    public static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>How long ago, in the largest unit that is at least one: "3 min ago", "2 h ago", "5 d ago".</summary>
    public static string Ago(DateTimeOffset at, DateTimeOffset now)
    {
        var span = now - at;
        return span.TotalSeconds switch
        {
            < 60 => "just now",
            < 3600 => ((int)span.TotalMinutes).ToString(CultureInfo.InvariantCulture) + " min ago",
            < 86_400 => ((int)span.TotalHours).ToString(CultureInfo.InvariantCulture) + " h ago",
            _ => ((int)span.TotalDays).ToString(CultureInfo.InvariantCulture) + " d ago",
        };
    }

    public static string Count(long value) => value.ToString("#,0", CultureInfo.InvariantCulture);
}
