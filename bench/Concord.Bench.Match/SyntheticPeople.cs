using System.Globalization;
using Concord.Core.Matching;

namespace Concord.Bench.Match;

/// <summary>
/// Made-up customers for measuring speed at sizes no public set has: names built from syllables
/// (skewed, so some are common), addresses, birth dates, e-mails and phones; about one record
/// in five is a corrupted copy of an earlier person (typos, swapped day and month, missing values).
/// </summary>
internal static class SyntheticPeople
{
    private static readonly string[] Onsets = ["b", "br", "c", "ch", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "sh", "st", "t", "th", "v", "w", "z", "gr", "cl", "fr", "bl", "tr"];
    private static readonly string[] Rhymes = ["a", "an", "ar", "el", "en", "er", "ia", "in", "on", "or", "ell", "ey", "ie", "o", "us", "ow", "ard", "ill", "ine", "ott"];
    private static readonly string[] Streets = ["street", "road", "avenue", "lane", "close", "drive", "place", "way"];

    public static (List<MatchRecord> Records, List<string> Truth) Generate(int count, int seed)
    {
        var random = new Random(seed);
        var firstNames = Pool(random, 3000, 2);
        var lastNames = Pool(random, 40000, 3);
        var cities = Pool(random, 2000, 2);
        var records = new List<MatchRecord>(count);
        var truth = new List<string>(count);
        var originals = new List<Dictionary<string, string?>>();
        for (var i = 0; i < count; i++)
        {
            Dictionary<string, string?> fields;
            string entity;
            if (originals.Count > 0 && random.NextDouble() < 0.2)
            {
                var source = random.Next(originals.Count);
                fields = Corrupt(originals[source], random);
                entity = source.ToString(CultureInfo.InvariantCulture);
            }
            else
            {
                var first = Skewed(firstNames, random);
                var last = Skewed(lastNames, random);
                var dob = new DateTime(1930, 1, 1).AddDays(random.Next(80 * 365));
                fields = new Dictionary<string, string?>(StringComparer.Ordinal)
                {
                    ["first_name"] = first,
                    ["last_name"] = last,
                    ["dob"] = dob.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    ["address"] = $"{random.Next(1, 400)} {Skewed(lastNames, random)} {Streets[random.Next(Streets.Length)]}",
                    ["city"] = Skewed(cities, random),
                    ["postcode"] = random.Next(1000, 9999).ToString(CultureInfo.InvariantCulture),
                    ["email"] = $"{first}.{last}{random.Next(100)}@example{random.Next(50)}.com",
                    ["phone"] = $"07{random.Next(100_000_000, 999_999_999)}",
                };
                entity = originals.Count.ToString(CultureInfo.InvariantCulture);
                originals.Add(fields);
            }

            records.Add(new MatchRecord(i.ToString(CultureInfo.InvariantCulture), fields));
            truth.Add(entity);
        }

        return (records, truth);
    }

    private static string[] Pool(Random random, int size, int syllables)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        while (names.Count < size)
        {
            var parts = Enumerable.Range(0, random.Next(1, syllables + 1)).Select(_ => Onsets[random.Next(Onsets.Length)] + Rhymes[random.Next(Rhymes.Length)]);
            names.Add(string.Concat(parts));
        }

        return names.ToArray();
    }

    /// <summary>Common values are drawn far more often than rare ones, as with real names.</summary>
    private static string Skewed(string[] pool, Random random) => pool[(int)(pool.Length * Math.Pow(random.NextDouble(), 2))];

    private static Dictionary<string, string?> Corrupt(Dictionary<string, string?> original, Random random)
    {
        var copy = new Dictionary<string, string?>(original, StringComparer.Ordinal);
        foreach (var field in original.Keys)
        {
            var roll = random.NextDouble();
            if (roll < 0.05)
            {
                copy[field] = null;
            }
            else if (roll < 0.2 && copy[field] is { Length: > 2 } value)
            {
                copy[field] = field == "dob" && random.NextDouble() < 0.5
                    ? $"{value[..5]}{value[8..]}-{value[5..7]}"
                    : Typo(value, random);
            }
        }

        return copy;
    }

    private static string Typo(string value, Random random)
    {
        var chars = value.ToList();
        var at = random.Next(chars.Count - 1);
        switch (random.Next(3))
        {
            case 0:
                (chars[at], chars[at + 1]) = (chars[at + 1], chars[at]);
                break;
            case 1:
                chars.RemoveAt(at);
                break;
            default:
                chars[at] = char.IsAsciiDigit(chars[at]) ? (char)('0' + random.Next(10)) : (char)('a' + random.Next(26));
                break;
        }

        return new string(chars.ToArray());
    }
}
