namespace Concord.Core.Flows.Text;

/// <summary>Either a draft or the problems that stopped one; never both.</summary>
public sealed record InvoiceTextResult(InvoiceDraft? Draft, IReadOnlyList<TextProblem> Problems)
{
    /// <summary>Whether a draft was made.</summary>
    public bool Succeeded => Draft is not null;
}
