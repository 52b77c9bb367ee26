namespace Concord.Core.Flows.Text;

/// <summary>
/// A customer the caller knows, as the text parser may name it: the parser never looks anything
/// up itself, so the caller decides which customers are candidates (one company, one workspace).
/// </summary>
/// <param name="Id">The caller's id for the customer; returned as is in the draft.</param>
/// <param name="Name">The customer's name as shown to people ("Acme Corp").</param>
/// <param name="Aliases">Other names people type for it ("ACME", "Northwind Traders").</param>
/// <param name="Emails">Addresses that name it when typed in place of a name.</param>
public sealed record DirectoryCustomer(string Id, string Name, IReadOnlyList<string>? Aliases = null, IReadOnlyList<string>? Emails = null);
