using System.Text.RegularExpressions;

namespace Concord.Core.Flows.Text;

/// <summary>
/// Turns "Invoice Northwind $3,200 for brand refresh, due in 14 days" into a draft invoice, or
/// into the problems a person must settle first. Pure and total: the clock, zone, currency and
/// customers come from the caller, the same input always gives the same result, and no input
/// throws. Clauses are read first (due, dated, PO), then quantity lines and sums, each blanked
/// once read, so "14" in "due in 14 days" is never taken for an amount; what remains between the
/// verb and the first of those is the customer, and what follows "for" is the description.
/// </summary>
public static class InvoiceTextParser
{
    /// <summary>Longer text is refused: a one-line instruction does not need more.</summary>
    public const int MaxLength = 1000;

    private const RegexOptions Options = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant;

    private static readonly Regex Verb = new(@"^\s*(?:please\s+)?(?:invoice|bill|charge)(?![\p{L}\d])\s*(?:to\s+)?", Options);
    private static readonly Regex Due = new(@"(?<![\p{L}\d])(?:due|payable)\s+(?:on\s+|by\s+)?" + DateText.Pattern, Options);
    private static readonly Regex Net = new(@"(?<![\p{L}\d])(?:due\s+)?net[\s-]?(?<net>\d{1,4})(?![\p{L}\d])", Options);
    private static readonly Regex DueWord = new(@"(?<![\p{L}\d])due(?![\p{L}\d])", Options);
    private static readonly Regex Dated = new(@"(?<![\p{L}\d])(?:dated|issued)\s+(?:on\s+)?" + DateText.Pattern, Options);
    private static readonly Regex Reference = new(
        @"(?<![\p{L}\d])(?:p\.?o\.?|purchase\s+order|ref(?:erence)?)\s*(?:#|no\.?|number)?\s*:?\s*(?<ref>(?=[\p{L}\-_/]*\d)[\p{L}\d][\p{L}\d\-_/]{0,40})", Options);
    private static readonly Regex Times = new(
        @"(?<![\p{L}\d.,])(?<q>\d{1,6}(?:\.\d{1,3})?)\s*(?:x|×|\*)\s*" + MoneyText.Pattern + @"(?:\s+each)?", Options);
    private const string Units = @"hours?|hrs?|h|days?|weeks?|months?|units?|items?|pcs|pieces?|licen[cs]es?|seats?|users?|sessions?|nights?";
    private static readonly Regex Rate = new(
        @"(?<![\p{L}\d.,])(?<q>\d{1,6}(?:\.\d{1,3})?)\s*(?<unit>" + Units + @")\s+(?:at|@)\s*" + MoneyText.Pattern +
        @"(?:\s*(?:/\s*|per\s+|an?\s+)(?:hour|hr|h|day|week|month|unit|item|pc|piece|licen[cs]e|seat|user|session|night)(?![\p{L}\d])|\s+each)?", Options);
    private static readonly Regex For = new(@"(?<![\p{L}\d])for(?![\p{L}\d])", Options);

    /// <summary>Reads <paramref name="text"/> as an instruction to invoice a customer.</summary>
    public static InvoiceTextResult Parse(string? text, InvoiceTextContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (string.IsNullOrWhiteSpace(text))
        {
            return Fail("empty", "nothing to read: write, for example, 'Invoice Northwind $3,200 for brand refresh, due in 14 days'");
        }

        if (text.Length > MaxLength)
        {
            return Fail("too-long", $"the text is longer than {MaxLength} characters; an invoice needs one or two lines");
        }

        var read = new Reading(text);
        var problems = new List<TextProblem>();
        var verb = Verb.Match(read.Text);
        if (!verb.Success)
        {
            return Fail("no-verb", "start with 'Invoice' or 'Bill' and the customer's name, as in 'Invoice Northwind $3,200 for …'");
        }

        var today = context.Today;
        var issue = Dates(read, Dated, today, forward: false, "two-issue-dates", "dated", problems) ?? today;
        var due = Dates(read, Due, issue, forward: true, "two-due-dates", "due", problems);
        var net = read.Take(Net).Select(m => DateText.AddDays(issue, int.Parse(m.Groups["net"].Value, System.Globalization.CultureInfo.InvariantCulture))).ToList();
        if (net.Count > 0 && (due is not null || net.Distinct().Count() > 1))
        {
            problems.Add(new TextProblem("two-due-dates", "more than one due date given: keep one"));
        }

        due ??= net.FirstOrDefault();
        if (DueWord.Match(read.Masked) is { Success: true } unread)
        {
            var said = read.Text[unread.Index..Math.Min(read.Text.Length, unread.Index + 24)].Trim();
            problems.Add(new TextProblem("due-not-understood", $"could not read the due date in '{said}': write 'due in 14 days', 'due 2026-12-31', 'due Dec 31' or 'net 30'"));
        }

        if (due is { } d && d < issue)
        {
            problems.Add(new TextProblem("due-before-issue", $"the due date {d:yyyy-MM-dd} is before the issue date {issue:yyyy-MM-dd}"));
        }

        var references = read.Take(Reference).Select(m => m.Groups["ref"].Value).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (references.Count > 1)
        {
            problems.Add(new TextProblem("two-references", $"more than one reference given ({string.Join(", ", references)}): keep one"));
        }

        var lineMatches = read.Take(Times, clause: false).Concat(read.Take(Rate, clause: false)).OrderBy(m => m.Index).ToList();
        var moneyMatches = MoneyText.Find(read.Masked).ToList();

        var customerStart = verb.Index + verb.Length;
        var forMatch = For.Matches(read.Masked).FirstOrDefault(m => m.Index >= customerStart);
        var firstWordEnd = read.Text.IndexOf(' ', Math.Min(customerStart, read.Text.Length));
        firstWordEnd = firstWordEnd < 0 ? read.Text.Length : firstWordEnd;
        var stops = new List<int> { read.Text.Length };
        stops.AddRange(read.Taken.Where(i => i >= customerStart));
        stops.AddRange(lineMatches.Select(m => m.Index));
        stops.AddRange(moneyMatches.Where(x => x.Mention.Hints.Count > 0 || x.Match.Index >= firstWordEnd).Select(x => x.Match.Index));
        if (forMatch is not null)
        {
            stops.Add(forMatch.Index);
        }

        var separator = read.Text.IndexOfAny([',', ';', ':', '\u2014'], Math.Min(customerStart, read.Text.Length));
        if (separator >= 0)
        {
            stops.Add(separator);
        }

        var customerEnd = Math.Max(customerStart, stops.Where(s => s >= customerStart).Min());
        var descriptionStart = forMatch is null ? -1 : forMatch.Index + forMatch.Length;
        var customer = CustomerText.Resolve(read.Text[customerStart..customerEnd], context.Customers, out var customerProblem);
        string? leftover = null;
        if (customerProblem?.Code == "unknown-customer" || customer?.Kind == CustomerMatchKind.Fuzzy)
        {
            if (Shorter(read.Text[customerStart..customerEnd], context.Customers) is { } shorter)
            {
                (customer, leftover) = shorter;
                customerProblem = null;
            }
        }

        if (customerProblem is not null)
        {
            problems.Add(customerProblem);
        }

        // Sums with a currency count anywhere; a bare number only between the customer and "for".
        var sums = moneyMatches
            .Where(x => x.Match.Index >= customerEnd || x.Mention.Hints.Count > 0)
            .Where(x => x.Mention.Hints.Count > 0 || descriptionStart < 0 || x.Match.Index < descriptionStart)
            .ToList();
        if (sums.Any(x => x.Mention.Hints.Count > 0))
        {
            sums = sums.Where(x => x.Mention.Hints.Count > 0).ToList();
        }

        var lines = lineMatches.Select(m => (Quantity: Quantity(m), Unit: m.Groups["unit"].Success ? m.Groups["unit"].Value : null, Money: MoneyText.From(m))).ToList();
        var hints = sums.SelectMany(x => x.Mention.Hints).Concat(lines.SelectMany(l => l.Money?.Hints ?? []));
        var currency = MoneyText.Currency(hints, context.DefaultCurrency, out var conflict);
        if (conflict is not null)
        {
            problems.Add(new TextProblem("two-currencies", conflict));
        }

        decimal? amount = null;
        var draftLines = lines.Where(l => l.Money is not null).Select(l => new DraftLine(l.Quantity, l.Unit, l.Money!.Value)).ToList();
        if (draftLines.Count > 0)
        {
            amount = draftLines.Sum(l => l.Total);
            if (sums.Count > 1 || (sums.Count == 1 && sums[0].Mention.Value != amount))
            {
                problems.Add(new TextProblem("total-differs", $"the lines add up to {amount} but {string.Join(", ", sums.Select(s => s.Match.Value.Trim()))} is also given: keep the lines or the total"));
            }
        }
        else if (sums.Count == 1)
        {
            amount = sums[0].Mention.Value;
        }
        else if (sums.Count > 1)
        {
            problems.Add(new TextProblem("two-amounts", $"more than one amount given ({string.Join(", ", sums.Select(s => s.Match.Value.Trim()))}): give one total, or lines such as '3 x $150'"));
        }
        else
        {
            problems.Add(new TextProblem("no-amount", "no amount found: write it with its currency, as in '$3,200' or '3200 USD'"));
        }

        long? minor = null;
        if (amount is { } a && currency is not null)
        {
            minor = MoneyText.Minor(a, currency);
            if (a <= 0)
            {
                problems.Add(new TextProblem("zero-amount", "the amount must be more than zero"));
            }
            else if (minor is null)
            {
                problems.Add(new TextProblem("bad-amount", $"{a} {currency} cannot be invoiced: {currency} has {MoneyText.Decimals(currency)} decimals"));
            }
        }

        var description = descriptionStart < 0 ? leftover : Description(read, descriptionStart);
        if (problems.Count > 0 || customer is null || amount is null || currency is null || minor is null)
        {
            return new InvoiceTextResult(null, problems);
        }

        return new InvoiceTextResult(
            new InvoiceDraft(customer, amount.Value, currency, minor.Value, description, issue, due, draftLines, references.FirstOrDefault()),
            []);
    }

    private static InvoiceTextResult Fail(string code, string message) => new(null, [new TextProblem(code, message)]);

    private static DateOnly? Dates(Reading read, Regex clause, DateOnly reference, bool forward, string twoCode, string word, List<TextProblem> problems)
    {
        var dates = new List<DateOnly>();
        foreach (var m in read.Take(clause))
        {
            if (DateText.Resolve(m, reference, forward, out var problem) is { } date)
            {
                dates.Add(date);
            }
            else
            {
                problems.Add(new TextProblem("bad-date", problem!));
            }
        }

        if (dates.Distinct().Count() > 1)
        {
            problems.Add(new TextProblem(twoCode, $"more than one '{word}' date given ({string.Join(", ", dates.Select(d => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)))}): keep one"));
        }

        return dates.Count > 0 ? dates[0] : null;
    }

    private static decimal Quantity(Match m) =>
        decimal.TryParse(m.Groups["q"].Value, System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out var q) ? q : 0;

    /// <summary>When the whole head names nobody exactly, the longest leading words that do; the rest is the description.</summary>
    private static (CustomerMatch, string?)? Shorter(string head, IReadOnlyList<DirectoryCustomer> customers)
    {
        var words = head.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        for (var n = words.Length - 1; n >= 1; n--)
        {
            var match = CustomerText.Resolve(string.Join(' ', words[..n]), customers, out _);
            if (match is not null && match.Kind != CustomerMatchKind.Fuzzy)
            {
                return (match, Tidy(string.Join(' ', words[n..])));
            }
        }

        return null;
    }

    /// <summary>The words after "for" up to the first clause, sums and lines left out.</summary>
    private static string? Description(Reading read, int start)
    {
        var end = read.Taken.Where(i => i >= start).DefaultIfEmpty(read.Text.Length).Min();
        foreach (var (m, _) in MoneyText.Find(read.Masked[start..end]).Where(x => x.Mention.Hints.Count > 0))
        {
            read.Blank(start + m.Index, m.Length);
        }

        return Tidy(read.Masked[start..end]);
    }

    private static readonly Regex Trailing = new(@"^(?:[\s,;:.\-–—]|and\b|with\b|plus\b|due\b)+|(?:[\s,;:.\-–—]|\band|\bwith|\bplus)+$", Options);

    private static string? Tidy(string raw)
    {
        var words = string.Join(' ', raw.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        var tidy = Trailing.Replace(words, string.Empty).Trim();
        return tidy.Length == 0 ? null : tidy;
    }

    /// <summary>The text, and a copy in which what has been read is blanked so later patterns skip it.</summary>
    private sealed class Reading(string text)
    {
        private readonly char[] masked = Flatten(text).ToCharArray();

        public string Text { get; } = Flatten(text);

        public string Masked => new(masked);

        /// <summary>Where each clause (due, dated, net, reference) began, in order of reading; the description ends at the first.</summary>
        public List<int> Taken { get; } = [];

        public List<Match> Take(Regex pattern, bool clause = true)
        {
            var found = pattern.Matches(Masked).Where(m => m.Length > 0).ToList();
            foreach (var m in found)
            {
                Blank(m.Index, m.Length);
                if (clause)
                {
                    Taken.Add(m.Index);
                }
            }

            return found;
        }

        public void Blank(int start, int length) => Array.Fill(masked, ' ', start, length);

        private static string Flatten(string s) => string.Create(s.Length, s, (span, src) =>
        {
            for (var i = 0; i < src.Length; i++)
            {
                span[i] = char.IsWhiteSpace(src[i]) || char.IsControl(src[i]) ? ' ' : src[i];
            }
        });
    }
}
