namespace Concord.Core.Flows.Text;

/// <summary>
/// What the parser needs besides the text, passed in so that parsing stays pure and repeatable:
/// the clock reading and zone that make "today", the currency of amounts written without one,
/// and the customers a name may refer to.
/// </summary>
/// <param name="Now">The moment the text was written; with <paramref name="Zone"/> it gives the issue date.</param>
/// <param name="Zone">The writer's time zone: 23:30 UTC is already tomorrow in Auckland.</param>
/// <param name="DefaultCurrency">ISO 4217 code for a bare number, and the dollar a bare "$" means when it is a dollar currency.</param>
/// <param name="Customers">The customers the text may name.</param>
public sealed record InvoiceTextContext(DateTimeOffset Now, TimeZoneInfo Zone, string DefaultCurrency, IReadOnlyList<DirectoryCustomer> Customers)
{
    /// <summary>The writer's calendar date.</summary>
    public DateOnly Today => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(Now, Zone).DateTime);
}
