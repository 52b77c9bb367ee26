using System.Globalization;

namespace Concord.Engine.Alerts.Shapes;

/// <summary>How a field of a learned payload shape differs in the recent payloads.</summary>
public enum DriftChange
{
    /// <summary>Present in (nearly) every learned payload, absent from most recent ones.</summary>
    Missing,

    /// <summary>Recently seen with a JSON kind it never had.</summary>
    Type,

    /// <summary>Recently seen, never learned.</summary>
    New,
}

/// <summary>
/// One drifted field: its path and kinds, never a value.
/// </summary>
/// <param name="Path">The field's path (<c>address.postal_code</c>, <c>lines[].amount</c>).</param>
/// <param name="Change">How it drifted.</param>
/// <param name="Was">The kinds it was learned with.</param>
/// <param name="Now">The kinds it has now (none when missing).</param>
/// <param name="Seen">In how many learned payloads it was.</param>
/// <param name="Samples">How many payloads were learned.</param>
/// <param name="Since">When the drift was first seen.</param>
public sealed record ShapeDrift(string Path, DriftChange Change, ShapeKinds Was, ShapeKinds Now, long Seen, long Samples, DateTimeOffset Since)
{
    /// <summary>The key that stays the same while this drift lasts.</summary>
    public string Key => $"{Change.ToString().ToLowerInvariant()}:{Path}";

    /// <summary>"`address.postal_code` missing (was in 100% of 412)", "`tax_ids` is now an object (was array)", "new field `preferred_locales`".</summary>
    public string Describe() => Change switch
    {
        DriftChange.Missing => string.Create(CultureInfo.InvariantCulture, $"`{Path}` missing (was in {Percent(Seen, Samples)} of {Samples})"),
        DriftChange.Type => $"`{Path}` is now {Article(Now)} (was {Names(Was)})",
        _ => $"new field `{Path}`" + (Now == ShapeKinds.None ? "" : $" ({Names(Now)})"),
    };

    private static string Percent(long part, long whole) =>
        whole == 0 ? "0%" : string.Create(CultureInfo.InvariantCulture, $"{Math.Floor(100.0 * part / whole):0}%");

    /// <summary>"string", "string or number"; "null" for no kind.</summary>
    public static string Names(ShapeKinds kinds)
    {
        var names = Enum.GetValues<ShapeKinds>().Where(k => k != ShapeKinds.None && kinds.HasFlag(k)).Select(k => k.ToString().ToLowerInvariant()).ToList();
        return names.Count == 0 ? "null" : string.Join(" or ", names);
    }

    private static string Article(ShapeKinds kinds)
    {
        var names = Names(kinds);
        return (names[0] is 'a' or 'o' ? "an " : "a ") + names;
    }
}
