using Concord.Engine.Hosting;
using Concord.Engine.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Concord.Server.Dashboard.Pages.Dashboard;

/// <summary>
/// The transaction log: inbound changes and outbound attempts, newest first, with what was sent or received and what
/// the system answered; the same filter as the deliveries list, <see cref="PageSize"/> lines a page.
/// </summary>
public sealed class LogModel(HubRuntime hub) : PageModel
{
    public const int PageSize = 50;

    /// <summary>The log pages back this far (the store's bound on its offset).</summary>
    public const int MaxPage = 200;

    public DeliveryFilter Filter { get; private set; } = DeliveryFilter.Read(_ => null);

    public IReadOnlyList<LogLineView> Lines { get; private set; } = [];

    public int PageNumber { get; private set; } = 1;

    public bool HasMore { get; private set; }

    public string? Problem { get; private set; }

    public DeliveryFilterForm Form => new(Filter, hub.Config.Systems.Keys, hub.Config.Flows.Keys, DeliveryFilter.LogResults, "Result", "/dashboard/log", OnLog: true);

    // The page number is "p": "page" is the route value that names the Razor page itself.
    public async Task<IActionResult> OnGetAsync(int? p, CancellationToken cancellationToken)
    {
        Filter = DeliveryFilter.Of(Request.Query);
        if (p is < 1 or > MaxPage)
        {
            return Refuse($"Page: pick a page from 1 to {MaxPage}.");
        }

        PageNumber = p ?? 1;
        var (query, problem) = await Filter.ToLogQueryAsync(hub, PageSize + 1, (PageNumber - 1) * PageSize, cancellationToken);
        if (query is null)
        {
            return Refuse(problem!);
        }

        var mask = DashboardMask.For(User, hub.Config);
        var found = await hub.Store.QueryLogAsync(query, cancellationToken);
        HasMore = found.Count > PageSize && PageNumber < MaxPage;
        Lines = found.Take(PageSize).Select(e => LogLineView.Of(e, mask)).ToList();
        return Page();
    }

    private PageResult Refuse(string problem)
    {
        Problem = problem;
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }
}
