using System.Globalization;
using Concord.Engine.Hosting;
using Concord.Engine.Storage;
using Concord.Server.Api;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Concord.Server.Dashboard.Pages.Dashboard;

/// <summary>The overview: the health score and its parts, open incidents and each system's state, read from the hub in-process.</summary>
public sealed class IndexModel(HubRuntime hub) : PageModel
{
    public HealthView Health { get; private set; } = null!;

    public IReadOnlyList<Incident> Incidents { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Health = await HealthEndpoints.ReadAsync(hub, cancellationToken);
        Incidents = (await hub.Store.GetUnresolvedIncidentsAsync(cancellationToken)).OrderByDescending(i => i.OpenedAt).ToList();
    }

    public static string Percent(double? value) => value is { } v ? (v * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%" : "n/a";

    public static string Seconds(double? value) => value switch
    {
        null => "none",
        < 60 => value.Value.ToString("0", CultureInfo.InvariantCulture) + " s",
        < 3600 => (value.Value / 60).ToString("0", CultureInfo.InvariantCulture) + " min",
        _ => (value.Value / 3600).ToString("0.#", CultureInfo.InvariantCulture) + " h",
    };

    public static string When(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
