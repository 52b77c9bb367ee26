using Concord.Core.Map;
using Concord.Engine.Hosting;
using Concord.Engine.Map;
using Concord.Engine.Storage;
using Concord.Server.Api;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Concord.Server.Dashboard.Pages.Dashboard;

/// <summary>
/// The overview: the health score and its parts, open incidents and each system's state and last 24 hours, read
/// from the hub in-process.
/// </summary>
public sealed class IndexModel(HubRuntime hub) : PageModel
{
    public HealthView Health { get; private set; } = null!;

    public IReadOnlyList<Incident> Incidents { get; private set; } = [];

    public IReadOnlyDictionary<string, SystemStatus> States { get; private set; } = new Dictionary<string, SystemStatus>();

    public IReadOnlyDictionary<string, SystemTrend> Trends { get; private set; } = new Dictionary<string, SystemTrend>();

    /// <summary>
    /// Each thing is read once and given to every part that shows it: the delivery figures to the health view and to the
    /// systems' states, the unresolved incidents to the list and to the states (silence), the health view's lag to the
    /// trends, which read the traffic history.
    /// </summary>
    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var figures = await HealthEndpoints.ReadFiguresAsync(hub, cancellationToken);
        Health = await HealthEndpoints.ReadAsync(hub, figures, cancellationToken);
        var unresolved = await hub.Store.GetUnresolvedIncidentsAsync(cancellationToken);
        Incidents = unresolved.OrderByDescending(i => i.OpenedAt).ToList();
        States = SystemStates.Judge(hub, figures, unresolved);
        Trends = await SystemTrends.ReadAsync(hub, Health, cancellationToken);
    }
}
