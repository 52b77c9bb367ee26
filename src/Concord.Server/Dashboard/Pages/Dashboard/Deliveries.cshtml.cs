using Concord.Engine.Hosting;
using Concord.Engine.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Concord.Server.Dashboard.Pages.Dashboard;

/// <summary>
/// Deliveries, newest first, filtered by system, record, flow, status and time (a GET form, so a filtered view is a
/// link to share), a page of <see cref="PageSize"/> at a time; operators replay dead ones, one by one or all shown.
/// </summary>
public sealed class DeliveriesModel(HubRuntime hub) : PageModel
{
    public const int PageSize = 50;

    public DeliveryFilter Filter { get; private set; } = DeliveryFilter.Read(_ => null);

    public IReadOnlyList<Delivery> Deliveries { get; private set; } = [];

    /// <summary>The id to continue below, when there are older deliveries than this page's.</summary>
    public long? NextBefore { get; private set; }

    public bool Paged { get; private set; }

    public string? Problem { get; private set; }

    public DeliveryFilterForm Form => new(Filter, hub.Config.Systems.Keys, hub.Config.Flows.Keys, DeliveryFilter.DeliveryStatuses, "Status", "/dashboard/deliveries", OnLog: false);

    public bool CanOperate => DashboardPrincipal.CanOperate(User);

    public async Task<IActionResult> OnGetAsync(long? before, CancellationToken cancellationToken)
    {
        Filter = DeliveryFilter.Of(Request.Query);
        Paged = before is not null;
        var (query, problem) = await Filter.ToDeliveryQueryAsync(hub, PageSize + 1, before, cancellationToken);
        if (query is null)
        {
            Problem = problem;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        var found = await hub.Store.QueryDeliveriesAsync(query, cancellationToken);
        Deliveries = found.Take(PageSize).ToList();
        NextBefore = found.Count > PageSize ? Deliveries[^1].Id : null;
        return Page();
    }

    /// <summary>Replays the deliveries ticked in the list.</summary>
    public Task<IActionResult> OnPostReplaySelectedAsync(long[] selected, CancellationToken cancellationToken) =>
        ReplayAsync(selected, "Tick the dead deliveries to replay first.", cancellationToken);

    /// <summary>Replays every dead delivery the filtered page showed.</summary>
    public Task<IActionResult> OnPostReplayShownAsync(long[] shown, CancellationToken cancellationToken) =>
        ReplayAsync(shown, "No dead deliveries were shown, so none were replayed.", cancellationToken);

    private async Task<IActionResult> ReplayAsync(long[] ids, string none, CancellationToken cancellationToken)
    {
        if (!CanOperate)
        {
            return Forbid();
        }

        var filter = DeliveryFilter.Of(Request.Form);
        if (ids.Length == 0)
        {
            TempData["Problem"] = none;
        }
        else
        {
            var outcome = await DeliveryReplays.ReplayAsync(hub, ids.Distinct().ToList(), DashboardPrincipal.Actor(User), cancellationToken);
            outcome.Tell(TempData);
        }

        return RedirectToPage("/Dashboard/Deliveries", filter.RouteValues());
    }
}
