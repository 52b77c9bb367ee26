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

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Health = await HealthEndpoints.ReadAsync(hub, cancellationToken);
        Incidents = (await hub.Store.GetUnresolvedIncidentsAsync(cancellationToken)).OrderByDescending(i => i.OpenedAt).ToList();
        States = await SystemStates.ReadAsync(hub, cancellationToken);
        Trends = await SystemTrends.ReadAsync(hub, Health, cancellationToken);
    }
}
