using Concord.Core.Flows.Text;

namespace Concord.Core.Tests.Flows;

/// <summary>The directory and clock the invoice-text tests share: Wednesday 18 November 2026, UTC, US dollars.</summary>
internal static class InvoiceTextFixture
{
    public static readonly DateTimeOffset Now = new(2026, 11, 18, 10, 0, 0, TimeSpan.Zero);

    public static readonly IReadOnlyList<DirectoryCustomer> Customers =
    [
        new("c-northwind", "Northwind Traders", ["Northwind"], ["ap@northwind.example"]),
        new("c-acme-corp", "Acme Corp"),
        new("c-acme-plumbing", "Acme Plumbing"),
        new("c-globex", "Globex Corporation"),
        new("c-initech", "Initech LLC"),
        new("c-smith", "Smith & Sons Ltd"),
        new("c-umbrella", "Umbrella GmbH"),
        new("c-wayne", "Wayne Enterprises"),
        new("c-stark", "Stark Industries"),
        new("c-hooli", "Hooli"),
    ];

    public static InvoiceTextContext Context(string currency = "USD") => new(Now, TimeZoneInfo.Utc, currency, Customers);

    public static InvoiceTextResult Parse(string? text, string currency = "USD") => InvoiceTextParser.Parse(text, Context(currency));

    /// <summary>The draft, failing the test with the problems when there is none.</summary>
    public static InvoiceDraft Draft(string text, string currency = "USD")
    {
        var result = Parse(text, currency);
        Assert.True(result.Succeeded, text + " → " + string.Join("; ", result.Problems.Select(p => p.Code + ": " + p.Message)));
        return result.Draft!;
    }
}
