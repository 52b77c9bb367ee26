namespace Concord.Core.Reconciliation;

/// <summary>
/// Blocking: lines grouped by currency and day, each day's lines sorted by amount, so a query for
/// "this currency, these days, this amount band" reads only the lines inside the band instead of
/// comparing every line with every other.
/// </summary>
public sealed class CandidateIndex
{
    private readonly Dictionary<string, Dictionary<int, Day>> byCurrency = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Indexes <paramref name="lines"/> by their position in the list.</summary>
    public CandidateIndex(IReadOnlyList<MoneyLine> lines, IEnumerable<int>? only = null)
    {
        var building = new Dictionary<string, Dictionary<int, List<int>>>(StringComparer.OrdinalIgnoreCase);
        foreach (var i in only ?? Enumerable.Range(0, lines.Count))
        {
            var line = lines[i];
            if (!building.TryGetValue(line.Currency, out var days))
            {
                building[line.Currency] = days = [];
            }

            if (!days.TryGetValue(line.Date.DayNumber, out var list))
            {
                days[line.Date.DayNumber] = list = [];
            }

            list.Add(i);
        }

        foreach (var (currency, days) in building)
        {
            byCurrency[currency] = days.ToDictionary(d => d.Key, d => Day.Of(lines, d.Value));
        }
    }

    /// <summary>Adds to <paramref name="into"/> every indexed line in the currency, day range and amount range (all inclusive).</summary>
    public void Query(string currency, int fromDay, int toDay, decimal minAmount, decimal maxAmount, List<int> into)
    {
        if (!byCurrency.TryGetValue(currency, out var days))
        {
            return;
        }

        for (var day = fromDay; day <= toDay; day++)
        {
            if (days.TryGetValue(day, out var d))
            {
                d.Query(minAmount, maxAmount, into);
            }
        }
    }

    private sealed class Day(decimal[] amounts, int[] ids)
    {
        public static Day Of(IReadOnlyList<MoneyLine> lines, List<int> ids)
        {
            var sorted = ids.OrderBy(i => lines[i].Amount).ThenBy(i => i).ToArray();
            return new Day(sorted.Select(i => lines[i].Amount).ToArray(), sorted);
        }

        public void Query(decimal min, decimal max, List<int> into)
        {
            var start = Array.BinarySearch(amounts, min);
            if (start < 0)
            {
                start = ~start;
            }
            else
            {
                // Equal amounts may precede the one the search found.
                while (start > 0 && amounts[start - 1] == min)
                {
                    start--;
                }
            }

            for (var k = start; k < amounts.Length && amounts[k] <= max; k++)
            {
                into.Add(ids[k]);
            }
        }
    }
}
