using Concord.Engine.Hosting;
using Concord.Engine.Storage;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Concord.Server.Dashboard.Pages.Dashboard;

/// <summary>
/// Incidents: every unresolved one (open, then acknowledged), then the most recently opened resolved ones, a page at a
/// time, saying how many older ones are not shown.
/// </summary>
public sealed class IncidentsModel(HubRuntime hub) : PageModel
{
    /// <summary>Resolved incidents shown at first, and added by "show more".</summary>
    public const int Step = 25;

    /// <summary>At most this many resolved incidents are read, to count what is not shown.</summary>
    public const int MaxResolved = 1000;

    public IReadOnlyList<Incident> Unresolved { get; private set; } = [];

    public IReadOnlyList<Incident> Resolved { get; private set; } = [];

    /// <summary>Resolved incidents not shown; <see cref="MoreThan"/> when there are even more than were counted.</summary>
    public int NotShown { get; private set; }

    public bool MoreThan { get; private set; }

    public int Shown { get; private set; }

    public DateTimeOffset Now { get; private set; }

    public async Task OnGetAsync(int? show, CancellationToken cancellationToken)
    {
        Now = hub.Time.GetUtcNow();
        Shown = Math.Clamp(show ?? Step, 1, MaxResolved);
        Unresolved = (await hub.Store.GetUnresolvedIncidentsAsync(cancellationToken))
            .OrderBy(i => i.Status == IncidentStatus.Open ? 0 : 1).ThenByDescending(i => i.OpenedAt).ToList();
        var resolved = await hub.Store.QueryIncidentsAsync(new IncidentQuery(IncidentStatus.Resolved, Limit: MaxResolved + 1), cancellationToken);
        Resolved = resolved.Take(Shown).ToList();
        MoreThan = resolved.Count > MaxResolved;
        NotShown = Math.Min(resolved.Count, MaxResolved) - Resolved.Count;
    }
}
