namespace Concord.Core.Mapping;

/// <summary>
/// How many minor units make one major unit of a currency, as Stripe counts them: most currencies
/// have 100 (cents), zero-decimal ones such as JPY and KRW have 1 (an amount of 5000 is ¥5,000), and
/// three-decimal ones such as KWD have 1,000.
/// </summary>
public static class MinorUnits
{
    private static readonly HashSet<string> ZeroDecimal = new(StringComparer.OrdinalIgnoreCase)
    {
        "BIF", "CLP", "DJF", "GNF", "JPY", "KMF", "KRW", "MGA", "PYG", "RWF", "UGX", "VND", "VUV", "XAF", "XOF", "XPF",
    };

    private static readonly HashSet<string> ThreeDecimal = new(StringComparer.OrdinalIgnoreCase) { "BHD", "JOD", "KWD", "OMR", "TND" };

    /// <summary>Minor units per major unit of <paramref name="currency"/>; 100 when it is unknown or not given.</summary>
    public static decimal PerMajor(string? currency) =>
        currency is null ? 100m : ZeroDecimal.Contains(currency) ? 1m : ThreeDecimal.Contains(currency) ? 1000m : 100m;
}
