using System.Globalization;
using System.Text.Json.Nodes;
using Concord.Core.Reconciliation;
using Concord.Core.Records;
using Concord.Engine.Storage;

namespace Concord.Cli.Reconcile;

/// <summary>
/// The two sides of reconciling the hub's own records: payments that name no invoice against
/// invoices that still have money due. Only reads: proposals are for a person (or another tool)
/// to act on; nothing here sets a payment's invoice.
/// </summary>
internal static class StoreSides
{
    /// <summary>Invoice statuses with nothing left to pay, or nothing payable yet (lower case).</summary>
    public static readonly IReadOnlyList<string> ClosedInvoiceStatuses = ["paid", "void", "voided", "uncollectible", "draft", "deleted", "canceled", "cancelled"];

    /// <summary>Payment statuses under which no money has arrived, or it went back (lower case).</summary>
    public static readonly IReadOnlyList<string> UnsettledPaymentStatuses =
        ["failed", "canceled", "cancelled", "void", "voided", "refunded", "pending", "processing",
         "requires_payment_method", "requires_confirmation", "requires_action", "requires_capture"];

    /// <summary>The sides, and what was read and left out, for the summary.</summary>
    public static async Task<(List<MoneyLine> Payments, List<MoneyLine> Invoices, string Read)> ReadAsync(IRecordStore store, CancellationToken cancellationToken)
    {
        // Customers give the text on both sides: a payment and its invoice seldom share more than the payer.
        var customers = new Dictionary<string, string>(StringComparer.Ordinal);
        await foreach (var c in store.ReadRecordsAsync("customer", cancellationToken))
        {
            customers[c.Id] = Join(Text(c, "name"), Text(c, "email"));
        }

        var payments = new List<MoneyLine>();
        int paymentsRead = 0, withInvoice = 0, unsettled = 0, incompletePayments = 0;
        await foreach (var p in store.ReadRecordsAsync("payment", cancellationToken))
        {
            paymentsRead++;
            if (p.BestValueOf("invoice") is not null)
            {
                withInvoice++;
                continue;
            }

            if (Text(p, "status") is { } status && UnsettledPaymentStatuses.Contains(status.ToLowerInvariant()))
            {
                unsettled++;
                continue;
            }

            if (Money(p, "amount") is not { } amount || Text(p, "currency") is not { } currency)
            {
                incompletePayments++;
                continue;
            }

            var text = Join(Payer(p, customers), Text(p, "invoice_number"), Text(p, "description"));
            payments.Add(new MoneyLine(p.Id, amount, currency.ToUpperInvariant(), Day(p, "paid_at") ?? DateOnly.FromDateTime(p.CreatedAt.UtcDateTime), text));
        }

        var invoices = new List<MoneyLine>();
        int invoicesRead = 0, closed = 0, incompleteInvoices = 0;
        await foreach (var i in store.ReadRecordsAsync("invoice", cancellationToken))
        {
            invoicesRead++;
            if (Text(i, "currency") is not { } currency || OpenAmount(i) is not { } open)
            {
                incompleteInvoices++;
                continue;
            }

            if ((Text(i, "status") is { } status && ClosedInvoiceStatuses.Contains(status.ToLowerInvariant())) || open == 0)
            {
                closed++;
                continue;
            }

            var date = Day(i, "due_date") ?? Day(i, "issue_date") ?? DateOnly.FromDateTime(i.CreatedAt.UtcDateTime);
            invoices.Add(new MoneyLine(i.Id, open, currency.ToUpperInvariant(), date, Join(Payer(i, customers), Text(i, "number"))));
        }

        var read = string.Create(CultureInfo.InvariantCulture,
            $"read {paymentsRead} payment(s): {payments.Count} without an invoice, {withInvoice} with one, {unsettled} not settled, {incompletePayments} without amount or currency; " +
            $"{invoicesRead} invoice(s): {invoices.Count} open, {closed} paid or closed, {incompleteInvoices} without amount or currency");
        return (payments, invoices, read);
    }

    /// <summary>
    /// What is left to pay: amount_due when the system gives it, else amount less amount_paid,
    /// else the whole amount. Null when there is no amount at all.
    /// </summary>
    private static decimal? OpenAmount(GoldenRecord invoice)
    {
        if (Money(invoice, "amount_due") is { } due)
        {
            return due;
        }

        return Money(invoice, "amount") is { } amount ? amount - (Money(invoice, "amount_paid") ?? 0) : null;
    }

    /// <summary>The customer's name and email when the record names a known customer, else its own customer_email.</summary>
    private static string? Payer(GoldenRecord record, Dictionary<string, string> customers) =>
        Text(record, "customer") is { } id && customers.TryGetValue(id, out var known) && known.Length > 0
            ? known
            : Text(record, "customer_email");

    private static string? Text(GoldenRecord record, string field) =>
        record.BestValueOf(field) is JsonValue v && v.TryGetValue<string>(out var s) && s.Trim().Length > 0 ? s.Trim() : null;

    private static decimal? Money(GoldenRecord record, string field) =>
        record.BestValueOf(field) is JsonValue v && v.TryGetValue<decimal>(out var d) ? d : null;

    /// <summary>A date field (yyyy-MM-dd) or a time's UTC day.</summary>
    private static DateOnly? Day(GoldenRecord record, string field)
    {
        if (Text(record, field) is not { } text)
        {
            return null;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return day;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? DateOnly.FromDateTime(time.UtcDateTime)
            : null;
    }

    private static string Join(params string?[] parts) => string.Join(' ', parts.Where(p => !string.IsNullOrEmpty(p)));
}
