using System.Globalization;

namespace Concord.Core.Flows.Model;

/// <summary>One field of a cron expression: the values it matches, parsed from <c>*</c>, values, ranges, steps and lists.</summary>
internal sealed class CronField
{
    public static readonly FieldKind Minute = new("minute", 0, 59, []);
    public static readonly FieldKind Hour = new("hour", 0, 23, []);
    public static readonly FieldKind DayOfMonth = new("day-of-month", 1, 31, []);
    public static readonly FieldKind Month = new("month", 1, 12, ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]);

    /// <summary>0 to 7, where both 0 and 7 are Sunday.</summary>
    public static readonly FieldKind DayOfWeek = new("day-of-week", 0, 7, ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]);

    private readonly bool[] _values;

    private CronField(string text, bool[] values, bool star, FieldKind kind)
    {
        Text = text;
        _values = values;
        Star = star;
        All = values.Skip(kind.Min).All(v => v);
    }

    public string Text { get; }

    /// <summary>Written as <c>*</c>: for the day fields, "not restricted".</summary>
    public bool Star { get; }

    /// <summary>Matches every value of the field.</summary>
    public bool All { get; }

    public bool Has(int value) => value >= 0 && value < _values.Length && _values[value];

    public static CronField Parse(string text, FieldKind kind)
    {
        // Sunday is written 0 or 7; both land on 0, so the array is one shorter than the range.
        var size = kind == DayOfWeek ? 7 : kind.Max + 1;
        var values = new bool[size];

        foreach (var item in text.Split(','))
        {
            if (item.Length == 0)
            {
                throw Problem(kind, $"'{text}' has an empty item in its list");
            }

            var (from, to, step) = ReadItem(item, kind);
            for (var v = from; v <= to; v += step)
            {
                values[kind == DayOfWeek && v == 7 ? 0 : v] = true;
            }
        }

        return new CronField(text, values, text == "*", kind);
    }

    private static (int From, int To, int Step) ReadItem(string item, FieldKind kind)
    {
        var slash = item.IndexOf('/', StringComparison.Ordinal);
        var range = slash < 0 ? item : item[..slash];
        var step = 1;
        if (slash >= 0)
        {
            var stepText = item[(slash + 1)..];
            if (!int.TryParse(stepText, NumberStyles.None, CultureInfo.InvariantCulture, out step) || step < 1)
            {
                throw Problem(kind, $"the step in '{item}' must be a whole number of at least 1");
            }

            if (step > kind.Max - kind.Min + 1)
            {
                throw Problem(kind, $"the step in '{item}' is larger than the field's range {kind.Min}-{kind.Max}");
            }
        }

        if (range == "*")
        {
            return (kind.Min, kind == DayOfWeek ? 6 : kind.Max, step);
        }

        var dash = range.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0)
        {
            var value = ReadValue(range, item, kind);

            // '5/15' reads as 'from 5, every 15', as in the common cron implementations.
            return slash >= 0 ? (value, kind.Max, step) : (value, value, 1);
        }

        var from = ReadValue(range[..dash], item, kind);
        var to = ReadValue(range[(dash + 1)..], item, kind);
        if (from > to)
        {
            throw Problem(kind, $"the range '{range}' runs backwards: write the smaller value first");
        }

        return (from, to, step);
    }

    private static int ReadValue(string text, string item, FieldKind kind)
    {
        if (text.Length == 0)
        {
            throw Problem(kind, $"'{item}' is not a value, range or step");
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            return n >= kind.Min && n <= kind.Max
                ? n
                : throw Problem(kind, $"{n} is out of range: use {kind.Min}-{kind.Max}" + (kind == DayOfWeek ? " (0 and 7 are Sunday)" : ""));
        }

        var index = Array.FindIndex(kind.Names, name => name.Equals(text, StringComparison.OrdinalIgnoreCase));
        if (index >= 0)
        {
            return kind.Min + index;
        }

        return kind.Names.Length > 0
            ? throw Problem(kind, $"'{text}' is not a number from {kind.Min} to {kind.Max} or a name ({kind.Names[0]}–{kind.Names[^1]})")
            : throw Problem(kind, $"'{text}' is not a number from {kind.Min} to {kind.Max}");
    }

    private static FormatException Problem(FieldKind kind, string message) => new($"{kind.Name} field: {message}");

    /// <summary>A field's name (for messages), range and the names its values may be written as.</summary>
    internal sealed record FieldKind(string Name, int Min, int Max, string[] Names);
}
