using Concord.Core.Mapping;

namespace Concord.Connectors.QuickBooks;

/// <summary>The entity types QuickBooks syncs and their default canonical → QuickBooks field paths.</summary>
public static class QuickBooksMappings
{
    public static readonly EntitySupport Customer = new("customer", "Customer", EntityOperations.ReadWrite, new Dictionary<string, string>
    {
        ["name"] = "DisplayName",
        ["email"] = "PrimaryEmailAddr.Address",
        ["first_name"] = "GivenName",
        ["last_name"] = "FamilyName",
        ["company"] = "CompanyName",
        ["phone"] = "PrimaryPhone.FreeFormNumber",
        ["address_line1"] = "BillAddr.Line1",
        ["city"] = "BillAddr.City",
        ["region"] = "BillAddr.CountrySubDivisionCode",
        ["postal_code"] = "BillAddr.PostalCode",
        ["country"] = "BillAddr.Country",
        ["notes"] = "Notes",
        ["currency"] = "CurrencyRef.value|upper",
    });

    public static readonly EntitySupport Invoice = new("invoice", "Invoice", EntityOperations.ReadWrite, new Dictionary<string, string>
    {
        ["number"] = "DocNumber",
        ["customer"] = "CustomerRef.value|ref",
        // TotalAmt and Balance are computed by QuickBooks: read only; the amount is written as a line.
        ["amount"] = "TotalAmt",
        ["amount_due"] = "Balance",
        ["issue_date"] = "TxnDate",
        ["due_date"] = "DueDate",
        ["customer_email"] = "BillEmail.Address",
        ["description"] = "PrivateNote",
        ["currency"] = "CurrencyRef.value|upper",
    });

    public static readonly EntitySupport Payment = new("payment", "Payment", EntityOperations.Read | EntityOperations.Create, new Dictionary<string, string>
    {
        ["amount"] = "TotalAmt",
        ["customer"] = "CustomerRef.value|ref",
        ["paid_at"] = "TxnDate|date",
        ["invoice"] = "Line.0.LinkedTxn.0.TxnId|ref",
        ["currency"] = "CurrencyRef.value|upper",
    });

    public static readonly IReadOnlyList<EntitySupport> Entities = [Customer, Invoice, Payment];

    /// <summary>The entity type for a QuickBooks object name (<c>Customer</c>, <c>invoice</c>), or null.</summary>
    public static EntitySupport? ByVendorObject(string name) =>
        Entities.FirstOrDefault(e => string.Equals(e.VendorObject, name, StringComparison.OrdinalIgnoreCase));
}
