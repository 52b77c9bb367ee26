namespace Concord.Core.Flows.Text;

/// <summary>An invoice as the text described it; nothing is created until a person or flow confirms it.</summary>
/// <param name="Customer">The matched customer.</param>
/// <param name="Amount">The total in major units (3200.00).</param>
/// <param name="Currency">ISO 4217 code.</param>
/// <param name="AmountMinor">The total in minor units of <paramref name="Currency"/> (cents; yen as is).</param>
/// <param name="Description">The words after "for", or null when none were given.</param>
/// <param name="IssueDate">The "dated" date, else today in the writer's zone.</param>
/// <param name="DueDate">The due date, or null when the text gave none (the receiving system's terms apply).</param>
/// <param name="Lines">Quantity × price lines; empty for a single amount.</param>
/// <param name="Reference">A PO number or reference, or null.</param>
public sealed record InvoiceDraft(
    CustomerMatch Customer,
    decimal Amount,
    string Currency,
    long AmountMinor,
    string? Description,
    DateOnly IssueDate,
    DateOnly? DueDate,
    IReadOnlyList<DraftLine> Lines,
    string? Reference);
