using Microsoft.AspNetCore.Mvc;

namespace Concord.Server.Dashboard;

/// <summary>
/// The answer to a change a viewer posts anyway (a forged form, an old tab): 403 with a plain sentence. Not the
/// cookie handler's Forbid, which answers a redirect to the sign-in flow that a script would read as success.
/// </summary>
public static class DashboardRefusal
{
    public static IActionResult Forbidden() =>
        new ContentResult { StatusCode = 403, ContentType = "text/plain; charset=utf-8", Content = "Your role does not allow this. Ask an admin if you need it." };
}
