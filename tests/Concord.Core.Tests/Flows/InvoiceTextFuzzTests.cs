using Concord.Core.Flows.Text;
using static Concord.Core.Tests.Flows.InvoiceTextFixture;

namespace Concord.Core.Tests.Flows;

public class InvoiceTextFuzzTests
{
    private static readonly string[] Pieces =
    [
        "Invoice ", "Bill ", "Northwind", "Acme", " for ", " due ", "in ", "14 ", "days", "net ", "30", "$", "€", "£", "¥", "CHF",
        "USD", "1,250.50", "1.250,50", "3 x ", "hours at ", "/h", "k", "m", "PO ", "ref ", "dated ", "2026-02-30", "31/12", "99/99",
        "Dec ", "next ", "Friday", "end of month", "tomorrow", ",", ".", "'", "-", " ", "\n", "9999-12-31", "0000-00-00", "99999999999999999",
        "ap@northwind.example", "&", "(", ")", "×", "0.", "in 9999 months",
    ];

    [Fact]
    public void RandomText_NeverThrowsAndAlwaysAnswers()
    {
        var random = new Random(20261118);
        for (var i = 0; i < 20_000; i++)
        {
            var text = i % 2 == 0 ? Chars(random) : Tokens(random);
            var result = Parse(text);

            Assert.True(result.Succeeded != (result.Problems.Count > 0), text);
        }
    }

    [Fact]
    public void TheSameText_GivesTheSameResult()
    {
        var random = new Random(7);
        for (var i = 0; i < 2_000; i++)
        {
            var text = Tokens(random);

            Assert.Equal(Describe(Parse(text)), Describe(Parse(text)));
        }
    }

    [Fact]
    public void AClockAtTheEndOfTheCalendar_DoesNotThrow()
    {
        var context = new InvoiceTextContext(DateTimeOffset.MaxValue, TimeZoneInfo.Utc, "USD", Customers);

        var result = InvoiceTextParser.Parse("Invoice Hooli $5 for tea due in 9999 months, due next Friday, due end of next month, net 30", context);

        Assert.False(result.Succeeded);
    }

    private static string Chars(Random random)
    {
        var chars = new char[random.Next(0, 60)];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = random.Next(4) == 0 ? (char)random.Next(0, 0xFFFF) : (char)random.Next(32, 127);
        }

        return new string(chars);
    }

    private static string Tokens(Random random) =>
        string.Concat(Enumerable.Range(0, random.Next(0, 16)).Select(_ => Pieces[random.Next(Pieces.Length)]));

    private static string Describe(InvoiceTextResult result) =>
        result.Draft is { } d
            ? $"{d with { Lines = [] }} {string.Join("|", d.Lines)}"
            : string.Join("|", result.Problems);
}
