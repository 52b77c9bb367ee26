using System.Security.Claims;
using Concord.Engine.Storage;
using Concord.Server.Auth;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Concord.Server.Dashboard;

/// <summary>The claims a signed-in dashboard user carries: id, name and role.</summary>
public static class DashboardPrincipal
{
    public const string IdClaim = "concord:user_id";

    public static ClaimsPrincipal Of(UserAccount user) => new(new ClaimsIdentity(
        [new Claim(IdClaim, user.Id), new Claim(ClaimTypes.Name, user.Name), new Claim(ClaimTypes.Role, Roles.Name(user.Role))],
        CookieAuthenticationDefaults.AuthenticationScheme));

    public static string RoleOf(ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.Role) ?? Roles.Viewer;

    /// <summary>Viewers see personal data masked; operators and admins see it in clear.</summary>
    public static bool SeesPersonalData(ClaimsPrincipal user) => user.IsInRole(Roles.Operator) || user.IsInRole(Roles.Admin);

    /// <summary>Whether the user may change things: replay, merge, unmerge, reject, acknowledge.</summary>
    public static bool CanOperate(ClaimsPrincipal user) => user.IsInRole(Roles.Operator) || user.IsInRole(Roles.Admin);

    /// <summary>
    /// Who did it, as the audit trail and the transaction log record it: the dashboard user's name, marked as such so it
    /// is told apart from an API key's name.
    /// </summary>
    public static string Actor(ClaimsPrincipal user) => "dashboard:" + (user.Identity?.Name ?? "unknown");
}
