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
        ["apt"] = "apartment", ["mt"] = "mount", ["sts"] = "streets", ["aves"] = "avenues",

        // Numbered streets are written both ways ("5th ave", "fifth ave"); the digits are the canonical form.
        ["first"] = "1st", ["second"] = "2nd", ["third"] = "3rd", ["fourth"] = "4th", ["fifth"] = "5th",
        ["sixth"] = "6th", ["seventh"] = "7th", ["eighth"] = "8th", ["ninth"] = "9th", ["tenth"] = "10th",
    };

    /// <summary>Cleaned words with abbreviations expanded.</summary>
    public static string Normalize(string raw) =>
        string.Join(' ', TextNormal.Clean(raw).Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(w => Words.TryGetValue(w, out var full) ? full : w));
}
