namespace Concord.Core.Flows.Text;

/// <summary>A quantity × unit price line ("10 hours at $95/h").</summary>
/// <param name="Quantity">How many.</param>
/// <param name="Unit">The unit word as written ("hours"), or null for "3 x $150".</param>
/// <param name="UnitPrice">Price of one, in the draft's currency.</param>
public sealed record DraftLine(decimal Quantity, string? Unit, decimal UnitPrice)
{
    /// <summary>Quantity times unit price.</summary>
    public decimal Total => Quantity * UnitPrice;
}
