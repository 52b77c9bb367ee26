namespace Concord.Core.Flows.Model;

/// <summary>
/// A five-field cron expression (minute hour day-of-month month day-of-week), evaluated in a time zone.
/// </summary>
public sealed class CronSchedule
{
    private CronSchedule(string text)
    {
        Text = text;
    }

    public string Text { get; }

    /// <summary>Parses <paramref name="text"/>.</summary>
    /// <exception cref="FormatException">The message names the field and what is wrong with it.</exception>
    public static CronSchedule Parse(string text) => throw new NotImplementedException();

    /// <summary>The first time strictly after <paramref name="after"/> the schedule fires, read as wall-clock time in <paramref name="zone"/>.</summary>
    public DateTimeOffset NextAfter(DateTimeOffset after, TimeZoneInfo zone) => throw new NotImplementedException();

    public override string ToString() => Text;
}
