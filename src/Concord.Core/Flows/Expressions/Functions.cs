using System.Globalization;
using System.Text;
using Concord.Core.Mapping;

namespace Concord.Core.Flows.Expressions;

/// <summary>A problem a function found in its arguments; the evaluator gives it the call's position.</summary>
internal sealed class FunctionProblem(string message) : Exception(message);

/// <summary>One built-in function: how many arguments it takes (a filter's input is the first) and what it does.</summary>
internal sealed record Function(string Name, int MinArguments, int MaxArguments, string Usage, Func<FunctionCall, object?> Run);

/// <summary>What a function sees when it runs: its arguments, the clock, and how long its text may grow.</summary>
internal sealed record FunctionCall(IReadOnlyList<object?> Arguments, TimeProvider Clock, int MaxOutputLength)
{
    /// <summary>Fails before building text that would be longer than the limit, rather than after allocating it.</summary>
    public void EnsureFits(long length)
    {
        if (length > MaxOutputLength)
        {
            throw new FunctionProblem(string.Create(CultureInfo.InvariantCulture, $"the result would be longer than {MaxOutputLength} characters"));
        }
    }

    public object? this[int index] => index < Arguments.Count ? Arguments[index] : null;

    public int Count => Arguments.Count;
}

/// <summary>
/// The built-in functions, the only operations an expression can perform beyond its operators. Each is
/// plain code over <see cref="Values"/>; text-producing ones are checked against the output limit by the
/// evaluator. Most pass null through, so a missing field gives an empty result rather than an error.
/// </summary>
internal static class Functions
{
    private static readonly Dictionary<string, Function> All = new Function[]
    {
        new("money", 1, 2, "money or money('EUR')", Money),
        new("number", 1, 2, "number or number('0.00')", NumberOf),
        new("date", 1, 2, "date or date('dd/MM/yyyy')", DateOf),
        new("now", 0, 0, "now()", call => call.Clock.GetUtcNow()),
        new("today", 0, 0, "today()", call => DateOnly.FromDateTime(call.Clock.GetUtcNow().UtcDateTime)),
        new("add_days", 2, 2, "add_days(n)", AddDays),
        new("days_between", 2, 2, "days_between(other)", DaysBetween),
        new("upper", 1, 1, "upper", call => MapText(call, s => s.ToUpperInvariant())),
        new("lower", 1, 1, "lower", call => MapText(call, s => s.ToLowerInvariant())),
        new("trim", 1, 1, "trim", call => MapText(call, s => s.Trim())),
        new("title", 1, 1, "title", call => MapText(call, Title)),
        new("truncate", 2, 2, "truncate(n)", Truncate),
        new("left", 2, 2, "left(n)", call => Slice(call, fromEnd: false)),
        new("right", 2, 2, "right(n)", call => Slice(call, fromEnd: true)),
        new("replace", 3, 3, "replace('old', 'new')", Replace),
        new("contains", 2, 2, "contains(x)", call => Contains(call[0], call[1])),
        new("starts_with", 2, 2, "starts_with('text')", call => call[0] is null ? false : Text(call, 0).StartsWith(Text(call, 1), StringComparison.Ordinal)),
        new("ends_with", 2, 2, "ends_with('text')", call => call[0] is null ? false : Text(call, 0).EndsWith(Text(call, 1), StringComparison.Ordinal)),
        new("split", 2, 2, "split(',')", Split),
        new("join", 1, 2, "join or join(', ')", Join),
        new("length", 1, 1, "length", Length),
        new("default", 2, 2, "default(value)", call => call[0] is null or "" ? call[1] : call[0]),
        new("coalesce", 1, 32, "coalesce(a, b, ...)", call => call.Arguments.FirstOrDefault(value => value is not null)),
        new("round", 1, 2, "round or round(2)", Round),
        new("abs", 1, 1, "abs", call => call[0] is null ? null : Math.Abs(Number(call, 0))),
        new("min", 1, 32, "min(a, b, ...) or a list | min", call => Extreme(call, -1)),
        new("max", 1, 32, "max(a, b, ...) or a list | max", call => Extreme(call, 1)),
        new("first", 1, 1, "first", call => call[0] is null ? null : List(call, 0).FirstOrDefault()),
        new("last", 1, 1, "last", call => call[0] is null ? null : List(call, 0).LastOrDefault()),
        new("email_domain", 1, 1, "email_domain", EmailDomain),
        new("json", 1, 1, "json", call => Values.ToJson(call[0])?.ToJsonString() ?? "null"),
        new("text", 1, 1, "text", call => Values.ToText(call[0])),
        new("if", 2, 3, "if(condition, then, else)", call => Values.IsTrue(call[0]) ? call[1] : call[2]),
        new("sum", 1, 1, "sum", call => call[0] is null ? 0m : List(call, 0).Where(item => item is not null).Sum(item => item as decimal? ?? throw new FunctionProblem($"sum adds numbers, got {Values.TypeName(item)}"))),
    }.ToDictionary(function => function.Name, StringComparer.Ordinal);

    /// <summary>Every function name, for documentation checks and suggestions.</summary>
    public static IEnumerable<string> Names => All.Keys;

    public static Function? Find(string name) => All.GetValueOrDefault(name);

    /// <summary>The known name closest to a misspelt one, if any is close enough to be a likely typo.</summary>
    public static string? Suggest(string name)
    {
        var best = All.Keys.Select(known => (known, distance: Distance(name, known))).OrderBy(pair => pair.distance).ThenBy(pair => pair.known, StringComparer.Ordinal).First();
        return best.distance <= Math.Max(1, name.Length / 3) ? best.known : null;
    }

    private static object? Money(FunctionCall call)
    {
        if (call[0] is null)
        {
            return null;
        }

        var amount = Number(call, 0);
        var currency = call.Count > 1 && call[1] is not null ? Text(call, 1).ToUpperInvariant() : null;
        var decimals = MinorUnits.PerMajor(currency) switch { 1m => 0, 1000m => 3, _ => 2 };
        var text = Math.Round(amount, decimals, MidpointRounding.AwayFromZero).ToString("N" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        return currency is null ? text : text + " " + currency;
    }

    private static object? NumberOf(FunctionCall call)
    {
        var value = call[0] switch
        {
            null => (decimal?)null,
            decimal d => d,
            string s when decimal.TryParse(s.Trim(), NumberStyles.Number, CultureInfo.InvariantCulture, out var parsed) => parsed,
            string s => throw new FunctionProblem($"'{Shorten(s)}' is not a number"),
            var other => throw new FunctionProblem($"number needs a number or text, got {Values.TypeName(other)}"),
        };
        if (value is null || call.Count < 2)
        {
            return value;
        }

        // A standard format's precision sizes the output ('F999999999' is a gigabyte of zeros): keep it small.
        var format = Text(call, 1);
        if (format.Length > 3 && char.IsAsciiLetter(format[0]) && format[1..].All(char.IsAsciiDigit))
        {
            throw new FunctionProblem($"'{Shorten(format)}' is not a number format (try '0.00' or '#,##0')");
        }

        try
        {
            return value.Value.ToString(format, CultureInfo.InvariantCulture);
        }
        catch (FormatException)
        {
            throw new FunctionProblem($"'{Text(call, 1)}' is not a number format (try '0.00' or '#,##0')");
        }
    }

    private static object? DateOf(FunctionCall call)
    {
        if (call[0] is null)
        {
            return null;
        }

        var date = Date(call, 0);
        if (call.Count < 2)
        {
            return date;
        }

        try
        {
            return date is DateOnly d
                ? d.ToString(Text(call, 1), CultureInfo.InvariantCulture)
                : ((DateTimeOffset)date).ToString(Text(call, 1), CultureInfo.InvariantCulture);
        }
        catch (FormatException)
        {
            throw new FunctionProblem($"'{Text(call, 1)}' is not a date format (try 'yyyy-MM-dd' or 'dd MMM yyyy')");
        }
    }

    private static object? AddDays(FunctionCall call)
    {
        if (call[0] is null)
        {
            return null;
        }

        var days = Number(call, 1);
        if (days != decimal.Truncate(days) || Math.Abs(days) > 100_000)
        {
            throw new FunctionProblem("add_days needs a whole number of days (at most 100000)");
        }

        return Date(call, 0) is DateOnly d ? d.AddDays((int)days) : ((DateTimeOffset)Date(call, 0)).AddDays((double)days);
    }

    private static object? DaysBetween(FunctionCall call)
    {
        if (call[0] is null || call[1] is null)
        {
            return null;
        }

        return (decimal)(Day(Date(call, 1)).DayNumber - Day(Date(call, 0)).DayNumber);

        static DateOnly Day(object date) => date is DateOnly d ? d : DateOnly.FromDateTime(((DateTimeOffset)date).UtcDateTime);
    }

    private static string Title(string text)
    {
        var result = new StringBuilder(text.Length);
        var startOfWord = true;
        foreach (var c in text)
        {
            result.Append(startOfWord ? char.ToUpperInvariant(c) : char.ToLowerInvariant(c));
            startOfWord = !char.IsLetterOrDigit(c) && c != '\'';
        }

        return result.ToString();
    }

    private static object? Truncate(FunctionCall call)
    {
        if (call[0] is null)
        {
            return null;
        }

        var text = Text(call, 0);
        var max = Number(call, 1);
        if (max < 1 || max != decimal.Truncate(max))
        {
            throw new FunctionProblem("truncate needs a whole number of characters, at least 1");
        }

        return text.Length <= max ? text : text[..((int)max - 1)] + "…";
    }

    /// <summary>The first or last n characters, without a mark (an id's tail for a short document number).</summary>
    private static object? Slice(FunctionCall call, bool fromEnd)
    {
        if (call[0] is null)
        {
            return null;
        }

        var text = Text(call, 0);
        var count = Number(call, 1);
        if (count < 0 || count != decimal.Truncate(count))
        {
            throw new FunctionProblem($"{(fromEnd ? "right" : "left")} needs a whole number of characters, at least 0");
        }

        var n = (int)Math.Min(count, text.Length);
        return fromEnd ? text[^n..] : text[..n];
    }

    private static object? Replace(FunctionCall call)
    {
        if (call[0] is null)
        {
            return null;
        }

        var old = Text(call, 1);
        if (old.Length == 0)
        {
            throw new FunctionProblem("replace needs some text to look for");
        }

        var text = Text(call, 0);
        var replacement = call[2] is null ? "" : Text(call, 2);
        if (replacement.Length > old.Length)
        {
            var occurrences = 0L;
            for (var at = text.IndexOf(old, StringComparison.Ordinal); at >= 0; at = text.IndexOf(old, at + old.Length, StringComparison.Ordinal))
            {
                occurrences++;
            }

            call.EnsureFits(text.Length + (occurrences * (replacement.Length - old.Length)));
        }

        return text.Replace(old, replacement, StringComparison.Ordinal);
    }

    /// <summary>Text containing text, a list containing an equal item, or an object having a key.</summary>
    public static bool Contains(object? haystack, object? needle) => haystack switch
    {
        null => false,
        string s => needle is not null && s.Contains(Values.ToText(needle), StringComparison.Ordinal),
        IReadOnlyList<object?> list => list.Any(item => Values.AreEqual(item, needle)),
        IReadOnlyDictionary<string, object?> obj => needle is string key && obj.ContainsKey(key),
        _ => throw new FunctionProblem($"cannot look inside {Values.TypeName(haystack)}: use text, a list or an object"),
    };

    private static object? Split(FunctionCall call)
    {
        if (call[0] is null)
        {
            return Array.Empty<object?>();
        }

        var separator = Text(call, 1);
        if (separator.Length == 0)
        {
            throw new FunctionProblem("split needs a separator");
        }

        return Text(call, 0).Split(separator).Select(part => (object?)part).ToList();
    }

    private static object? Join(FunctionCall call)
    {
        if (call[0] is null)
        {
            return "";
        }

        var separator = call.Count > 1 ? Text(call, 1) : ", ";
        var items = List(call, 0).Select(Values.ToText).ToList();
        call.EnsureFits(items.Sum(item => (long)item.Length) + ((long)separator.Length * Math.Max(0, items.Count - 1)));
        return string.Join(separator, items);
    }

    private static object? Length(FunctionCall call) => call[0] switch
    {
        null => 0m,
        string s => (decimal)s.Length,
        IReadOnlyList<object?> list => list.Count,
        IReadOnlyDictionary<string, object?> obj => obj.Count,
        var other => throw new FunctionProblem($"length needs text, a list or an object, got {Values.TypeName(other)}"),
    };

    private static object? Round(FunctionCall call)
    {
        if (call[0] is null)
        {
            return null;
        }

        var places = call.Count > 1 ? Number(call, 1) : 0m;
        if (places < 0 || places > 28 || places != decimal.Truncate(places))
        {
            throw new FunctionProblem("round needs a whole number of decimal places from 0 to 28");
        }

        return Math.Round(Number(call, 0), (int)places, MidpointRounding.AwayFromZero);
    }

    private static object? Extreme(FunctionCall call, int sign)
    {
        var items = call.Count == 1 && call[0] is IReadOnlyList<object?> list ? list : call.Arguments;
        object? best = null;
        foreach (var item in items.Where(item => item is not null))
        {
            if (best is null)
            {
                best = item;
                continue;
            }

            if (!Values.TryCompare(item!, best, out var order))
            {
                throw new FunctionProblem($"cannot compare {Values.TypeName(item)} with {Values.TypeName(best)}");
            }

            if (order * sign > 0)
            {
                best = item;
            }
        }

        return best;
    }

    private static object? EmailDomain(FunctionCall call)
    {
        if (call[0] is null)
        {
            return null;
        }

        var email = Text(call, 0).Trim();
        var at = email.LastIndexOf('@');
        return at < 0 || at == email.Length - 1 ? null : email[(at + 1)..].ToLowerInvariant();
    }

    private static string MapText(FunctionCall call, Func<string, string> map) => call[0] is null ? null! : map(Text(call, 0));

    private static string Text(FunctionCall call, int index) => call[index] switch
    {
        string s => s,
        var other => throw new FunctionProblem($"{Ordinal(index)} needs text, got {Values.TypeName(other)} (convert it with | text)"),
    };

    private static decimal Number(FunctionCall call, int index) => call[index] switch
    {
        decimal d => d,
        var other => throw new FunctionProblem($"{Ordinal(index)} needs a number, got {Values.TypeName(other)} (convert text with | number)"),
    };

    private static object Date(FunctionCall call, int index) => Values.TryDate(call[index], out var date)
        ? date
        : throw new FunctionProblem($"{Ordinal(index)} needs a date, got {Values.TypeName(call[index])}" + (call[index] is string s ? $" '{Shorten(s)}' (write dates as 2026-01-31 or 2026-01-31T09:30:00Z)" : ""));

    private static IReadOnlyList<object?> List(FunctionCall call, int index) => call[index] switch
    {
        IReadOnlyList<object?> list => list,
        var other => throw new FunctionProblem($"{Ordinal(index)} needs a list, got {Values.TypeName(other)}"),
    };

    private static string Ordinal(int index) => index switch { 0 => "the input", 1 => "the first argument", 2 => "the second argument", _ => "an argument" };

    private static string Shorten(string text) => text.Length <= 30 ? text : text[..30] + "…";

    private static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            previous = current;
        }

        return previous[b.Length];
    }
}
