namespace Concord.Core.Matching;

/// <summary>Street addresses with the common abbreviations spelt out, so "12 Main St." equals "12 main street".</summary>
public static class Addresses
{
    private static readonly Dictionary<string, string> Words = new(StringComparer.Ordinal)
    {
        ["st"] = "street", ["str"] = "street", ["rd"] = "road", ["ave"] = "avenue", ["av"] = "avenue",
        ["blvd"] = "boulevard", ["blv"] = "boulevard", ["dr"] = "drive", ["ln"] = "lane", ["pl"] = "place",
        ["ct"] = "court", ["cres"] = "crescent", ["cct"] = "circuit", ["hwy"] = "highway", ["pkwy"] = "parkway",
        ["sq"] = "square", ["tce"] = "terrace", ["ter"] = "terrace", ["cl"] = "close", ["pde"] = "parade",
        ["n"] = "north", ["s"] = "south", ["e"] = "east", ["w"] = "west", ["ste"] = "suite", ["fl"] = "floor",
        ["apt"] = "apartment", ["mt"] = "mount",
    };

    /// <summary>Cleaned words with abbreviations expanded.</summary>
    public static string Normalize(string raw) =>
        string.Join(' ', TextNormal.Clean(raw).Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(w => Words.TryGetValue(w, out var full) ? full : w));
}
