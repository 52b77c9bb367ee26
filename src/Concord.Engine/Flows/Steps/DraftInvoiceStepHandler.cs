using System.Globalization;
using System.Text.Json.Nodes;
using Concord.Core.Flows.Model;
using Concord.Core.Flows.Text;

namespace Concord.Engine.Flows.Steps;

/// <summary>
/// <c>draft_invoice:</c> — reads "Invoice Northwind $3,200 for brand refresh, due in 14 days" into a
/// draft a later step can create (<c>steps.draft.customer_id</c>, <c>steps.draft.amount</c>…). The
/// customers the text may name are the golden records of <c>type</c> (default <c>customer</c>). A
/// text the parser cannot settle — no amount, an unknown or ambiguous customer — fails the step for
/// good with the parser's explanation: the same text would fail again, and a person must reword it.
/// Nothing is written, so a dry run does exactly the same.
/// </summary>
public sealed class DraftInvoiceStepHandler(ICustomerDirectory directory, TimeProvider time) : IStepHandler
{
    public IReadOnlyList<StepAction> Actions { get; } = [StepAction.DraftInvoice];

    public async Task<StepOutcome> RunAsync(StepRun step, CancellationToken cancellationToken)
    {
        var text = StepArgs.RequiredText(step, "text");
        var currency = (StepArgs.Text(step, "currency") ?? "EUR").Trim().ToUpperInvariant();
        if (currency.Length != 3 || !currency.All(char.IsAsciiLetterUpper))
        {
            throw StepArgs.Invalid(step, "currency", $"must be an ISO 4217 code such as EUR or USD, not '{currency}'");
        }

        var zoneName = StepArgs.Text(step, "timezone") ?? "UTC";
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(zoneName, out var zone))
        {
            throw StepArgs.Invalid(step, "timezone", $"'{zoneName}' is not a time zone: use an IANA name such as Europe/Amsterdam");
        }

        var type = StepArgs.Text(step, "type") ?? "customer";
        var customers = await directory.CustomersAsync(type, cancellationToken);
        var result = InvoiceTextParser.Parse(text, new InvoiceTextContext(time.GetUtcNow(), zone, currency, customers));
        if (result.Draft is not { } draft)
        {
            var problems = new JsonArray(result.Problems.Select(p => (JsonNode)new JsonObject { ["code"] = p.Code, ["message"] = p.Message }).ToArray());
            throw new StepFailedException($"step '{step.Step.Id}': could not draft an invoice from \"{Shorten(text)}\": {string.Join("; ", result.Problems.Select(p => p.Message))}",
                retryable: false, detail: new JsonObject { ["problems"] = problems });
        }

        return new StepOutcome.Completed(ToJson(draft, type));
    }

    /// <summary>The draft as later steps read it: the customer's golden id, the total and lines, ISO dates.</summary>
    internal static JsonObject ToJson(InvoiceDraft draft, string type)
    {
        var lines = new JsonArray();
        if (draft.Lines.Count == 0)
        {
            lines.Add(new JsonObject { ["description"] = draft.Description ?? "Invoice", ["amount"] = draft.Amount });
        }

        foreach (var line in draft.Lines)
        {
            var quantity = line.Quantity.ToString("0.###", CultureInfo.InvariantCulture);
            lines.Add(new JsonObject
            {
                ["description"] = $"{draft.Description ?? "Item"} ({quantity}{(line.Unit is null ? "" : " " + line.Unit)} × {line.UnitPrice.ToString("0.00##", CultureInfo.InvariantCulture)})",
                ["amount"] = line.Total,
                ["quantity"] = line.Quantity,
                ["unit"] = line.Unit,
                ["unit_price"] = line.UnitPrice,
            });
        }

        var warnings = new JsonArray();
        if (draft.Customer.Kind is CustomerMatchKind.CompanyName or CustomerMatchKind.Fuzzy)
        {
            var how = draft.Customer.Kind == CustomerMatchKind.Fuzzy ? "a close spelling" : "its company name";
            warnings.Add($"'{draft.Customer.Written}' was read as {draft.Customer.Name} by {how} (confidence {draft.Customer.Confidence.ToString("0.###", CultureInfo.InvariantCulture)}): check the {type}");
        }

        if (draft.DueDate is null)
        {
            warnings.Add("no due date given: the receiving system's payment terms apply");
        }

        return new JsonObject
        {
            ["customer_id"] = draft.Customer.Id,
            ["customer_name"] = draft.Customer.Name,
            ["customer_match"] = new JsonObject
            {
                ["written"] = draft.Customer.Written,
                ["kind"] = draft.Customer.Kind switch
                {
                    CustomerMatchKind.CompanyName => "company_name",
                    var kind => kind.ToString().ToLowerInvariant(),
                },
                ["confidence"] = draft.Customer.Confidence,
            },
            ["lines"] = lines,
            ["amount"] = draft.Amount,
            ["amount_minor"] = draft.AmountMinor,
            ["currency"] = draft.Currency,
            ["issue_date"] = draft.IssueDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["due_date"] = draft.DueDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["description"] = draft.Description,
            ["reference"] = draft.Reference,
            ["warnings"] = warnings,
            ["problems"] = new JsonArray(),
        };
    }

    private static string Shorten(string text) => text.Length <= 120 ? text : text[..117] + "...";
}
