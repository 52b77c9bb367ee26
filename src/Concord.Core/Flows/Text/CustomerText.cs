using Concord.Core.Matching;

namespace Concord.Core.Flows.Text;

/// <summary>
/// Finds the customer a few typed words name. Exact beats normalised beats fuzzy, and within the
/// strongest tier that found anyone, two different customers are a question for the writer, not
/// a guess: "Acme" names both "Acme Corp" (legal form dropped) and "Acme Plumbing" (its first word).
/// </summary>
internal static class CustomerText
{
    /// <summary>Jaro–Winkler similarity a typo must reach to count.</summary>
    internal const double FuzzyThreshold = 0.9;

    /// <summary>A fuzzy runner-up this close to the best makes the best one a guess.</summary>
    private const double FuzzyMargin = 0.03;

    /// <summary>The customer named by <paramref name="written"/>, or the problem that stops it.</summary>
    public static CustomerMatch? Resolve(string written, IReadOnlyList<DirectoryCustomer> customers, out TextProblem? problem)
    {
        problem = null;
        var said = written.Trim().TrimEnd(',', '.', ':', ';', '-');
        var clean = TextNormal.Clean(said);
        if (clean.Length == 0)
        {
            problem = new TextProblem("no-customer", "no customer named: write it after the verb, as in 'Invoice Northwind $3,200 for …'");
            return null;
        }

        var lower = said.ToLowerInvariant();
        var exact = new List<CustomerMatch>();
        foreach (var c in customers)
        {
            if (TextNormal.Clean(c.Name) == clean)
            {
                exact.Add(new CustomerMatch(c.Id, c.Name, said, CustomerMatchKind.Name, 1.0));
            }
            else if ((c.Aliases ?? []).Any(a => TextNormal.Clean(a) == clean))
            {
                exact.Add(new CustomerMatch(c.Id, c.Name, said, CustomerMatchKind.Alias, 1.0));
            }
            else if ((c.Emails ?? []).Any(e => e.Trim().ToLowerInvariant() == lower))
            {
                exact.Add(new CustomerMatch(c.Id, c.Name, said, CustomerMatchKind.Email, 1.0));
            }
        }

        if (exact.Count > 0)
        {
            return One(said, exact, out problem);
        }

        var company = CompanyNames.Normalize(said);
        var words = company + " ";
        var normal = new List<CustomerMatch>();
        foreach (var c in customers)
        {
            var names = Names(c).Select(CompanyNames.Normalize).ToList();
            if (names.Contains(company))
            {
                normal.Add(new CustomerMatch(c.Id, c.Name, said, CustomerMatchKind.CompanyName, 0.95));
            }
            else if (names.Any(n => n.StartsWith(words, StringComparison.Ordinal)))
            {
                normal.Add(new CustomerMatch(c.Id, c.Name, said, CustomerMatchKind.CompanyName, 0.85));
            }
        }

        if (normal.Count > 0)
        {
            return One(said, normal, out problem);
        }

        var fuzzy = customers
            .Select(c => (Customer: c, Score: Names(c).Max(n => JaroWinkler.Similarity(company, CompanyNames.Normalize(n)))))
            .Where(s => s.Score >= FuzzyThreshold)
            .OrderByDescending(s => s.Score)
            .ThenBy(s => s.Customer.Name, StringComparer.Ordinal)
            .ToList();
        if (fuzzy.Count == 0)
        {
            problem = new TextProblem("unknown-customer", $"no customer matches '{said}'");
            return null;
        }

        var close = fuzzy.Where(s => s.Score >= fuzzy[0].Score - FuzzyMargin)
            .Select(s => new CustomerMatch(s.Customer.Id, s.Customer.Name, said, CustomerMatchKind.Fuzzy, Math.Round(s.Score, 3)))
            .ToList();
        return One(said, close, out problem);
    }

    private static IEnumerable<string> Names(DirectoryCustomer c) => new[] { c.Name }.Concat(c.Aliases ?? []);

    private static CustomerMatch? One(string said, List<CustomerMatch> found, out TextProblem? problem)
    {
        var distinct = found.DistinctBy(f => f.Id).ToList();
        if (distinct.Count == 1)
        {
            problem = null;
            return distinct[0];
        }

        var names = string.Join(", ", distinct.Select(f => f.Name).Order(StringComparer.Ordinal));
        problem = new TextProblem("ambiguous-customer", $"{(distinct.Count == 2 ? "two" : distinct.Count.ToString(System.Globalization.CultureInfo.InvariantCulture))} customers match '{said}': {names} — say which");
        return null;
    }
}
