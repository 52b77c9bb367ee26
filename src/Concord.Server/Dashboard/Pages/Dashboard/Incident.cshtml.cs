using Concord.Engine.Hosting;
using Concord.Server.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Concord.Server.Dashboard.Pages.Dashboard;

/// <summary>
/// One incident as <c>GET /api/v1/incidents/{id}</c> returns it (the same code): its rule, cause, summary, times, and
/// each notification with its attempts. Operators and admins acknowledge it here.
/// </summary>
public sealed class IncidentModel(HubRuntime hub) : PageModel
{
    public string Id { get; private set; } = "";

    /// <summary>Null for an unknown id (the page says so, with 404).</summary>
    public IncidentDetailView? Detail { get; private set; }

    public bool CanAcknowledge => DashboardPrincipal.CanOperate(User) && Detail?.Incident.Status != "resolved";

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken)
    {
        Id = id;
        Detail = await IncidentEndpoints.ReadAsync(hub, id, cancellationToken);
        if (Detail is null)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
        }

        return Page();
    }

    /// <summary>
    /// Acknowledges in the user's name. The role is checked here, on the server: a viewer's post (with a valid form
    /// token, which every signed-in page carries) is refused with 403.
    /// </summary>
    public async Task<IActionResult> OnPostAcknowledgeAsync(string id, string? note, CancellationToken cancellationToken)
    {
        if (!DashboardPrincipal.CanOperate(User))
        {
            return Forbid();
        }

        var acknowledged = await hub.Store.AcknowledgeIncidentAsync(id, DashboardPrincipal.Actor(User), IncidentEndpoints.Text(note?.Trim()), hub.Time.GetUtcNow(), cancellationToken);
        if (acknowledged is null)
        {
            return NotFound();
        }

        TempData["Notice"] = $"Acknowledged as {DashboardPrincipal.Actor(User)}. It still resolves by itself when its cause clears.";
        return RedirectToPage(new { id });
    }
}
