using Concord.Engine.Hosting;
using Concord.Engine.Storage;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Concord.Server.Dashboard.Pages.Dashboard;

/// <summary>
/// The configuration the hub runs with, read-only and for admins only (it names every system, address and variable):
/// the file with literal secrets masked, what validation says of it now, a summary of the running model, and the users.
/// </summary>
[Authorize(Policy = DashboardSetup.AdminPolicy)]
public sealed class SettingsModel(HubRuntime hub, ConfigSource source, IUserStore users) : PageModel
{
    public ConfigCheck Check { get; private set; } = null!;

    public ConfigSummary Summary { get; private set; } = null!;

    public IReadOnlyList<UserAccount> Users { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Check = await ConfigCheck.RunAsync(source, hub.Config, cancellationToken);
        Summary = ConfigSummary.Of(hub.Config);
        Users = (await users.ListUsersAsync(cancellationToken)).OrderBy(u => u.Name, StringComparer.OrdinalIgnoreCase).ToList();
    }
}
