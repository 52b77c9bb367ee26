namespace Concord.Core.Flows.Text;

/// <summary>How the customer was recognised; the later the value, the more a person should look at it.</summary>
public enum CustomerMatchKind
{
    /// <summary>The text is the customer's name (letters, digits and spacing aside).</summary>
    Name,

    /// <summary>The text is one of the customer's aliases.</summary>
    Alias,

    /// <summary>The text is one of the customer's e-mail addresses.</summary>
    Email,

    /// <summary>The same name once legal forms and "&amp;" are set aside ("Acme" for "Acme Corp.").</summary>
    CompanyName,

    /// <summary>A close spelling (Jaro–Winkler), e.g. a typo.</summary>
    Fuzzy,
}

/// <summary>The customer a draft is for and why the parser thinks so.</summary>
/// <param name="Id">The directory id.</param>
/// <param name="Name">The directory name.</param>
/// <param name="Written">The words in the text that named it.</param>
/// <param name="Kind">How they matched.</param>
/// <param name="Confidence">1 for an exact name, alias or address; lower for normalised and fuzzy matches.</param>
public sealed record CustomerMatch(string Id, string Name, string Written, CustomerMatchKind Kind, double Confidence);

/// <summary>A quantity × unit price line ("10 hours at $95/h").</summary>
/// <param name="Quantity">How many.</param>
/// <param name="Unit">The unit word as written ("hours"), or null for "3 x $150".</param>
/// <param name="UnitPrice">Price of one, in the draft's currency.</param>
public sealed record DraftLine(decimal Quantity, string? Unit, decimal UnitPrice)
{
    /// <summary>Quantity times unit price.</summary>
    public decimal Total => Quantity * UnitPrice;
}

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

/// <summary>Something the text left unclear, said so a person can fix the sentence.</summary>
/// <param name="Code">A stable word for programs: no-amount, two-amounts, two-currencies, ambiguous-customer, …</param>
/// <param name="Message">The explanation for people.</param>
public sealed record TextProblem(string Code, string Message);

/// <summary>Either a draft or the problems that stopped one; never both.</summary>
public sealed record InvoiceTextResult(InvoiceDraft? Draft, IReadOnlyList<TextProblem> Problems)
{
    /// <summary>Whether a draft was made.</summary>
    public bool Succeeded => Draft is not null;
}
