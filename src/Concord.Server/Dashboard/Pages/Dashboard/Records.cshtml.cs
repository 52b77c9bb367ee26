using Concord.Engine.Hosting;
using Concord.Server.Dashboard.Records;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Concord.Server.Dashboard.Pages.Dashboard;

/// <summary>
/// Customer 360's search: one box that finds records of every configured type (or of <c>?type=</c>) by name,
/// email, company, domain, phone or any system's id, through the store's search, as the API's record search.
/// With a type and no query it lists that type's most recently changed records.
/// </summary>
public sealed class RecordsModel(HubRuntime hub) : PageModel
{
    /// <summary>At most this many records per type, for a search and for a list.</summary>
    public const int Limit = 50;

    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Type { get; set; }

    public IReadOnlyList<string> Types => [.. hub.Config.Entities.Keys.Order(StringComparer.Ordinal)];

    public IReadOnlyList<Row> Results { get; private set; } = [];

    public DateTimeOffset Now => hub.Time.GetUtcNow();

    /// <summary>Whether anything was asked: a query, or a type to list.</summary>
    public bool Asked => !string.IsNullOrWhiteSpace(Q) || !string.IsNullOrEmpty(Type);

    /// <summary>Whether one of the types came back full, so there may be more than shown.</summary>
    public bool Cut { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(Type) && !hub.Config.Entities.ContainsKey(Type))
        {
            Response.StatusCode = 400;
            TempData.Remove("Problem");
            ViewData["Problem"] = $"There is no record type '{Type}'. The types are: {string.Join(", ", Types)}.";
            Type = null;
            return Page();
        }

        if (!Asked)
        {
            return Page();
        }

        var mask = DashboardMask.For(User, hub.Config);
        var rows = new List<Row>();
        foreach (var type in string.IsNullOrEmpty(Type) ? Types : [Type])
        {
            var found = await hub.Store.SearchAsync(type, Q ?? "", Limit, cancellationToken);
            Cut |= found.Count == Limit;
            foreach (var record in found)
            {
                var links = await hub.Store.GetLinksAsync(record.Id, cancellationToken);
                rows.Add(new Row(
                    record.Id,
                    record.Type,
                    RecordText.Name(mask, record),
                    RecordText.Value(mask, record.Type, "email", record.BestValueOf("email") ?? record.BestValueOf("customer_email")),
                    [.. links.Select(l => l.System).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
                    record.UpdatedAt));
            }
        }

        Results = [.. rows.OrderByDescending(r => r.UpdatedAt).ThenBy(r => r.Id, StringComparer.Ordinal)];
        return Page();
    }

    /// <summary>One record found, as the table shows it.</summary>
    public sealed record Row(string Id, string Type, string Name, string Email, IReadOnlyList<string> Systems, DateTimeOffset UpdatedAt)
    {
        public string Href => RecordText.Href(Type, Id);
    }
}
