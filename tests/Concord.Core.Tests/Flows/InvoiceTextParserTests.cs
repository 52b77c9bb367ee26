using System.Globalization;
using Concord.Core.Flows.Text;
using static Concord.Core.Tests.Flows.InvoiceTextFixture;

namespace Concord.Core.Tests.Flows;

public class InvoiceTextParserTests
{
    /// <summary>Phrasings and the draft each must give; today is Wednesday 2026-11-18, the default currency USD.</summary>
    [Theory]
    [InlineData("Invoice Northwind $3,200 for brand refresh, due in 14 days", "c-northwind", "3200", "USD", "brand refresh", "2026-12-02")]
    [InlineData("Bill Acme Corp for website hosting $450, net 30", "c-acme-corp", "450", "USD", "website hosting", "2026-12-18")]
    [InlineData("Invoice Globex 3200 USD for consulting", "c-globex", "3200", "USD", "consulting", null)]
    [InlineData("Invoice Umbrella €1.250,50 for audit", "c-umbrella", "1250.50", "EUR", "audit", null)]
    [InlineData("Invoice Umbrella €1,250.50 for audit", "c-umbrella", "1250.50", "EUR", "audit", null)]
    [InlineData("Invoice Hooli 1.2k for design due tomorrow", "c-hooli", "1200", "USD", "design", "2026-11-19")]
    [InlineData("Invoice Hooli 3,200.00 dollars for support", "c-hooli", "3200", "USD", "support", null)]
    [InlineData("Invoice Stark Industries GBP 99 for a license", "c-stark", "99", "GBP", "a license", null)]
    [InlineData("Invoice Stark Industries £99 for a license", "c-stark", "99", "GBP", "a license", null)]
    [InlineData("Invoice Wayne Enterprises ¥50,000 for parts", "c-wayne", "50000", "JPY", "parts", null)]
    [InlineData("Invoice Wayne Enterprises CHF 1'250.50 for watch repair", "c-wayne", "1250.50", "CHF", "watch repair", null)]
    [InlineData("Invoice Initech 3 x $150 for keyboards", "c-initech", "450", "USD", "keyboards", null)]
    [InlineData("Invoice Initech 10 hours at $95/h for on-site support", "c-initech", "950", "USD", "on-site support", null)]
    [InlineData("Invoice Northwind $500 for hosting due 2026-12-31", "c-northwind", "500", "USD", "hosting", "2026-12-31")]
    [InlineData("Invoice Northwind $500 for hosting due Dec 31", "c-northwind", "500", "USD", "hosting", "2026-12-31")]
    [InlineData("Invoice Northwind $500 for hosting due 31 December", "c-northwind", "500", "USD", "hosting", "2026-12-31")]
    [InlineData("Invoice Northwind $500 for hosting due 31/12", "c-northwind", "500", "USD", "hosting", "2026-12-31")]
    [InlineData("Invoice Northwind $500 for hosting due 12/31", "c-northwind", "500", "USD", "hosting", "2026-12-31")]
    [InlineData("Invoice Northwind $500 for hosting due 5/1", "c-northwind", "500", "USD", "hosting", "2027-01-05")]
    [InlineData("Invoice Northwind $500 for hosting due next Friday", "c-northwind", "500", "USD", "hosting", "2026-11-20")]
    [InlineData("Invoice Northwind $500 for hosting due Friday", "c-northwind", "500", "USD", "hosting", "2026-11-20")]
    [InlineData("Invoice Northwind $500 for hosting due next Wednesday", "c-northwind", "500", "USD", "hosting", "2026-11-25")]
    [InlineData("Invoice Northwind $500 for hosting due end of month", "c-northwind", "500", "USD", "hosting", "2026-11-30")]
    [InlineData("Invoice Northwind $500 for hosting due end of next month", "c-northwind", "500", "USD", "hosting", "2026-12-31")]
    [InlineData("Invoice Northwind $500 for hosting due on receipt", "c-northwind", "500", "USD", "hosting", "2026-11-18")]
    [InlineData("Invoice Northwind $500 for hosting due in 2 weeks", "c-northwind", "500", "USD", "hosting", "2026-12-02")]
    [InlineData("Invoice Northwind $500 for hosting due in 1 month", "c-northwind", "500", "USD", "hosting", "2026-12-18")]
    [InlineData("Invoice Northwind $500 for hosting, net-45", "c-northwind", "500", "USD", "hosting", "2027-01-02")]
    [InlineData("Invoice Smith and Sons $75 for delivery", "c-smith", "75", "USD", "delivery", null)]
    [InlineData("Invoice smith & sons ltd $75 for delivery", "c-smith", "75", "USD", "delivery", null)]
    [InlineData("Invoice ap@northwind.example $200 for parts", "c-northwind", "200", "USD", "parts", null)]
    [InlineData("Invoice Northwnd Traders $200 for parts", "c-northwind", "200", "USD", "parts", null)]
    [InlineData("Charge Hooli 2 x €40 and 1 x €20 for stickers", "c-hooli", "100", "EUR", "stickers", null)]
    [InlineData("Invoice Hooli US$300 for ads", "c-hooli", "300", "USD", "ads", null)]
    [InlineData("Invoice Hooli 300 CAD for ads", "c-hooli", "300", "CAD", "ads", null)]
    [InlineData("Invoice Hooli $1,250,000 for acquisition", "c-hooli", "1250000", "USD", "acquisition", null)]
    [InlineData("Invoice Hooli 99.5 euros for lunch", "c-hooli", "99.5", "EUR", "lunch", null)]
    [InlineData("invoice HOOLI $20 for coffee", "c-hooli", "20", "USD", "coffee", null)]
    [InlineData("Invoice Northwind Traders: $3,200 for brand refresh; due in 14 days", "c-northwind", "3200", "USD", "brand refresh", "2026-12-02")]
    [InlineData("Invoice Northwind for brand refresh $3,200 due in 14 days", "c-northwind", "3200", "USD", "brand refresh", "2026-12-02")]
    [InlineData("Invoice Northwind brand refresh $3,200", "c-northwind", "3200", "USD", "brand refresh", null)]
    [InlineData("Bill Northwind $3,200 for brand refresh\ndue in 14 days", "c-northwind", "3200", "USD", "brand refresh", "2026-12-02")]
    [InlineData("Invoice Hooli 3200 usd for design", "c-hooli", "3200", "USD", "design", null)]
    [InlineData("Invoice Hooli $5k for retainer", "c-hooli", "5000", "USD", "retainer", null)]
    [InlineData("Invoice Hooli ¥5000 for parts", "c-hooli", "5000", "JPY", "parts", null)]
    [InlineData("Invoice Globex Corp. $10 for test", "c-globex", "10", "USD", "test", null)]
    [InlineData("Invoice Hooli $300", "c-hooli", "300", "USD", null, null)]
    [InlineData("Invoice Hooli 300 for 3 months of hosting", "c-hooli", "300", "USD", "3 months of hosting", null)]
    public void Phrasing_GivesTheDraft(string text, string customer, string amount, string currency, string? description, string? due)
    {
        var draft = Draft(text);

        Assert.Equal(customer, draft.Customer.Id);
        Assert.Equal(decimal.Parse(amount, CultureInfo.InvariantCulture), draft.Amount);
        Assert.Equal(currency, draft.Currency);
        Assert.Equal(description, draft.Description);
        Assert.Equal(due, draft.DueDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Assert.Equal(new DateOnly(2026, 11, 18), draft.IssueDate);
    }

    /// <summary>The other forms the documentation promises.</summary>
    [Theory]
    [InlineData("Invoice Hooli $5 for tea due December 31st, 2027", "2027-12-31", null, "5", "USD")]
    [InlineData("Invoice Hooli $5 for tea due by 31.12.26", "2026-12-31", null, "5", "USD")]
    [InlineData("Invoice Hooli $5 for tea due today", "2026-11-18", null, "5", "USD")]
    [InlineData("Invoice Hooli $5 for tea, P.O. #4471", null, "4471", "5", "USD")]
    [InlineData("Invoice Hooli $5 for tea, purchase order 4471", null, "4471", "5", "USD")]
    [InlineData("Invoice Hooli $5 for tea, reference: A-12", null, "A-12", "5", "USD")]
    [InlineData("Invoice to Hooli CAD $300 for tea", null, null, "300", "CAD")]
    [InlineData("Invoice Hooli ₹500 for tea", null, null, "500", "INR")]
    [InlineData("Invoice Hooli $5m for tea", null, null, "5000000", "USD")]
    [InlineData("Invoice Hooli 2 days at $400 per day for workshops", null, null, "800", "USD")]
    [InlineData("Invoice Hooli 4 seats at €12 each for licences", null, null, "48", "EUR")]
    [InlineData("Invoice Hooli 3 hours at $80 an hour for tea", null, null, "240", "USD")]
    public void DocumentedForms_AreRead(string text, string? due, string? reference, string amount, string currency)
    {
        var draft = Draft(text);

        Assert.Equal(due, draft.DueDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Assert.Equal(reference, draft.Reference);
        Assert.Equal((decimal.Parse(amount, CultureInfo.InvariantCulture), currency), (draft.Amount, draft.Currency));
        Assert.Equal("c-hooli", draft.Customer.Id);
    }

    [Theory]
    [InlineData("Invoice Northwind $99 and $20 for design", "more than one amount given ($99, $20): give one total, or lines such as '3 x $150'")]
    [InlineData("Invoice Northwind ¥99.5 for design", "99.5 JPY cannot be invoiced: JPY has 0 decimals")]
    [InlineData("Invoice Northwind $99 for design due someday", "could not read the due date in 'due someday': write 'due in 14 days', 'due 2026-12-31', 'due Dec 31' or 'net 30'")]
    [InlineData("Invoice Northwind $99 for design dated 2026-12-01 due 2026-11-20", "the due date 2026-11-20 is before the issue date 2026-12-01")]
    [InlineData("Invoice Northwind $99 for design PO 1234 ref 5678", "more than one reference given (1234, 5678): keep one")]
    public void ProblemMessages_AreTheDocumentedOnes(string text, string message)
    {
        Assert.Contains(message, Parse(text).Problems.Select(p => p.Message));
    }

    [Fact]
    public void TheIssueExample_IsTheWholeDraft()
    {
        var draft = Draft("Invoice Northwind $3,200 for brand refresh, due in 14 days");

        Assert.Equal(new CustomerMatch("c-northwind", "Northwind Traders", "Northwind", CustomerMatchKind.Alias, 1.0), draft.Customer);
        Assert.Equal(320_000, draft.AmountMinor);
        Assert.Empty(draft.Lines);
        Assert.Null(draft.Reference);
    }

    [Theory]
    [InlineData("Invoice Acme $500 for pipes", "ambiguous-customer", "two customers match 'Acme': Acme Corp, Acme Plumbing — say which")]
    [InlineData("Invoice Northwind for brand refresh", "no-amount", null)]
    [InlineData("Invoice Northwind £99 USD for design", "two-currencies", "currency '£' and 'USD' both given")]
    [InlineData("Invoice Northwind £99 and $20 for design", "two-currencies", null)]
    [InlineData("Invoice Northwind $99 and $20 for design", "two-amounts", null)]
    [InlineData("Invoice Nobody Inc $99 for design", "unknown-customer", "no customer matches 'Nobody Inc'")]
    [InlineData("Northwind $99 for design", "no-verb", null)]
    [InlineData("", "empty", null)]
    [InlineData("   ", "empty", null)]
    [InlineData(null, "empty", null)]
    [InlineData("Invoice Northwind $99 for design due 31/02", "bad-date", null)]
    [InlineData("Invoice Northwind $99 for design due someday", "due-not-understood", null)]
    [InlineData("Invoice Northwind ¥99.5 for design", "bad-amount", null)]
    [InlineData("Invoice Northwind $0 for design", "zero-amount", null)]
    [InlineData("Invoice Northwind $99 for design dated 2026-12-01 due 2026-11-20", "due-before-issue", null)]
    [InlineData("Invoice Northwind $99 for design due in 14 days, net 30", "two-due-dates", null)]
    [InlineData("Invoice Northwind 3 x $150 plus $500 for design", "total-differs", null)]
    [InlineData("Invoice Northwind $99 for design PO 1234 ref 5678", "two-references", null)]
    [InlineData("Invoice $99 for design", "no-customer", null)]
    public void UnclearText_IsAProblemNotAGuess(string? text, string code, string? message)
    {
        var result = Parse(text);

        Assert.Null(result.Draft);
        var problem = Assert.Single(result.Problems, p => p.Code == code);
        if (message is not null)
        {
            Assert.Equal(message, problem.Message);
        }
    }

    [Fact]
    public void TooLongText_IsRefused()
    {
        Assert.Equal("too-long", Assert.Single(Parse("Invoice Hooli $5 for " + new string('a', InvoiceTextParser.MaxLength)).Problems).Code);
    }

    [Fact]
    public void QuantityLines_AreKeptWithTheirUnits()
    {
        var draft = Draft("Invoice Initech 10 hours at $95/h and 3 x $150 for on-site support");

        Assert.Equal([new DraftLine(10, "hours", 95), new DraftLine(3, null, 150)], draft.Lines);
        Assert.Equal(1400, draft.Amount);
    }

    [Fact]
    public void ATotalThatMatchesTheLines_IsAccepted()
    {
        Assert.Equal(450, Draft("Invoice Initech 3 x $150 = $450 for keyboards").Amount);
    }

    [Fact]
    public void Reference_IsTakenAndLeftOutOfTheDescription()
    {
        var po = Draft("Invoice Northwind 3200 EUR for brand refresh, PO 4471");
        var reference = Draft("Invoice Northwind $3,200 for brand refresh ref INV-7781 due in 14 days");

        Assert.Equal(("4471", "brand refresh", "EUR"), (po.Reference, po.Description, po.Currency));
        Assert.Equal(("INV-7781", "brand refresh"), (reference.Reference, reference.Description));
    }

    [Fact]
    public void DatedText_MovesTheIssueDateAndTheRelativeDueDateWithIt()
    {
        var iso = Draft("Invoice Northwind $3,200 for brand refresh dated 2026-11-01 due in 14 days");
        var named = Draft("Invoice Northwind $3,200 dated Nov 1 net 30");

        Assert.Equal((new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 15)), (iso.IssueDate, iso.DueDate));
        Assert.Equal((new DateOnly(2026, 11, 1), new DateOnly(2026, 12, 1)), (named.IssueDate, named.DueDate));
    }

    [Fact]
    public void Today_IsTheWritersDateInTheirZone()
    {
        var auckland = TimeZoneInfo.CreateCustomTimeZone("test+13", TimeSpan.FromHours(13), "test+13", "test+13");
        var lateUtc = new DateTimeOffset(2026, 11, 18, 23, 30, 0, TimeSpan.Zero);

        var draft = InvoiceTextParser.Parse("Invoice Hooli $5 for tea due tomorrow", new InvoiceTextContext(lateUtc, auckland, "USD", Customers)).Draft!;

        Assert.Equal((new DateOnly(2026, 11, 19), new DateOnly(2026, 11, 20)), (draft.IssueDate, draft.DueDate));
    }

    [Theory]
    [InlineData("CAD", "CAD")]
    [InlineData("AUD", "AUD")]
    [InlineData("EUR", "USD")]
    public void ABareDollarSign_IsTheDefaultCurrencyWhenThatIsADollar(string defaultCurrency, string expected)
    {
        Assert.Equal(expected, Draft("Invoice Hooli $300 for ads", defaultCurrency).Currency);
        Assert.Equal(defaultCurrency, Draft("Invoice Hooli 300 for ads", defaultCurrency).Currency);
    }

    [Theory]
    [InlineData("Invoice Hooli ¥5000 for parts", "JPY", 5000)]
    [InlineData("Invoice Hooli 12.345 KWD for parts", "KWD", 12345)]
    [InlineData("Invoice Hooli €12.34 for parts", "EUR", 1234)]
    public void MinorUnits_FollowTheCurrency(string text, string currency, long minor)
    {
        var draft = Draft(text);

        Assert.Equal((currency, minor), (draft.Currency, draft.AmountMinor));
    }

    [Fact]
    public void MatchKinds_SayHowTheCustomerWasFound()
    {
        Assert.Equal(CustomerMatchKind.Name, Draft("Invoice Acme Corp $5 for x").Customer.Kind);
        Assert.Equal(CustomerMatchKind.Email, Draft("Invoice ap@northwind.example $5 for x").Customer.Kind);
        Assert.Equal(CustomerMatchKind.CompanyName, Draft("Invoice Globex $5 for x").Customer.Kind);
        var fuzzy = Draft("Invoice Northwnd Traders $5 for x").Customer;
        Assert.Equal(CustomerMatchKind.Fuzzy, fuzzy.Kind);
        Assert.InRange(fuzzy.Confidence, 0.9, 0.999);
    }

    [Fact]
    public void ExactBeatsPrefix_WhenTheFullNameIsWritten()
    {
        Assert.Equal("c-acme-plumbing", Draft("Invoice Acme Plumbing $5 for x").Customer.Id);
        Assert.Equal("c-acme-corp", Draft("Invoice ACME corp. $5 for x").Customer.Id);
    }
}

public class MoneyTextTests
{
    [Theory]
    [InlineData("3,200", false, "3200")]
    [InlineData("1.250", false, "1250")]
    [InlineData("1.250,50", false, "1250.50")]
    [InlineData("1,250.50", false, "1250.50")]
    [InlineData("1'250.50", false, "1250.50")]
    [InlineData("1,250,000", false, "1250000")]
    [InlineData("99.5", false, "99.5")]
    [InlineData("1,5", false, "1.5")]
    [InlineData("0.500", false, "0.5")]
    [InlineData("12.345", true, "12.345")]
    [InlineData("1,234.567", true, "1234.567")]
    public void Separators_AreReadByPosition(string raw, bool threeDecimals, string expected)
    {
        Assert.True(MoneyText.TryNumber(raw, threeDecimals, out var value));
        Assert.Equal(decimal.Parse(expected, CultureInfo.InvariantCulture), value);
    }
}
