namespace Concord.Core.Reconciliation;

/// <summary>
/// One line on either side of a reconciliation: a payment, an invoice, a bank line or a ledger entry.
/// </summary>
/// <param name="Id">The line's id in its own system; proposals refer to lines by it.</param>
/// <param name="Amount">The amount in <paramref name="Currency"/>; the sign is compared as given.</param>
/// <param name="Currency">ISO 4217 code; lines in different currencies are never candidates.</param>
/// <param name="Date">The booking, value or issue date.</param>
/// <param name="Text">Memo, reference, number or counterparty, as free text (may be truncated).</param>
public sealed record MoneyLine(string Id, decimal Amount, string Currency, DateOnly Date, string Text);
