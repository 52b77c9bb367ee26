using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace Concord.Server.Dashboard;

/// <summary>
/// The one answer to a signed-in user whose role does not allow what they asked: 403 at the address they asked for.
/// A page they open (Settings for a viewer) shows the dashboard's <em>Not allowed</em> page there; a change they post
/// anyway (a forged form, an old tab) gets the sentence alone. Pages refuse with <c>Forbid()</c>, as the authorization
/// middleware does for a page's policy, and both reach <see cref="RefuseAsync"/> through the cookie handler, whose own
/// answer (a redirect to a page that answers 200) a script or a monitor would read as success.
/// </summary>
public static class DashboardRefusal
{
    /// <summary>The <em>Not allowed</em> page, shown in place of what was refused and reachable on its own.</summary>
    public const string DeniedPath = DashboardSetup.Path + "/denied";

    public const string Sentence = "Your role does not allow this. Ask an admin if you need it.";

    /// <summary>
    /// The cookie handler's access-denied event: 403 instead of a redirect. A read is left without a body, so
    /// <see cref="UseDashboardRefusals"/> renders the <em>Not allowed</em> page into it; anything else gets the sentence.
    /// </summary>
    public static Task RefuseAsync(RedirectContext<CookieAuthenticationOptions> context)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status403Forbidden;
        if (IsRead(context.Request))
        {
            return Task.CompletedTask;
        }

        response.ContentType = "text/plain; charset=utf-8";
        return response.WriteAsync(Sentence, context.HttpContext.RequestAborted);
    }

    /// <summary>
    /// Renders the <em>Not allowed</em> page (with the layout and navigation) into a bodiless 403 for a dashboard page
    /// read with GET or HEAD, keeping the status and the address. Other statuses (an unknown address's 404) are left as
    /// they are. Runs before routing so the page is routed and authorized like any other.
    /// </summary>
    public static void UseDashboardRefusals(this IApplicationBuilder app) =>
        app.UseWhen(
            context => context.Request.Path.StartsWithSegments(DashboardSetup.Path) && IsRead(context.Request),
            branch =>
            {
                branch.UseStatusCodePagesWithReExecute(DeniedPath);
                branch.Use(async (context, next) =>
                {
                    await next(context);
                    if (context.Response.StatusCode != StatusCodes.Status403Forbidden && context.Features.Get<IStatusCodePagesFeature>() is { } pages)
                    {
                        pages.Enabled = false;
                    }
                });
            });

    private static bool IsRead(HttpRequest request) => HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method);
}
