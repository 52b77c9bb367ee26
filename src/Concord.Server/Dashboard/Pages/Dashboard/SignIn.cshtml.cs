using Concord.Server.Auth;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Concord.Server.Dashboard.Pages.Dashboard;

/// <summary>Signs a local user in with a cookie. A refused attempt says nothing about which of name or password was wrong.</summary>
public sealed class SignInModel(DashboardUsers users) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    [BindProperty]
    public string? Name { get; set; }

    public bool Failed { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync([FromForm] string? password, CancellationToken cancellationToken)
    {
        var user = Name is null || password is null ? null : await users.VerifyAsync(Name, password, cancellationToken);
        if (user is null)
        {
            Failed = true;
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Page();
        }

        await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, DashboardPrincipal.Of(user));

        // Only a path inside the dashboard: an address from the query string must not send the user elsewhere.
        return LocalRedirect(ReturnUrl is { } url && url.StartsWith(DashboardSetup.Path, StringComparison.Ordinal) && Url.IsLocalUrl(url) ? url : DashboardSetup.Path);
    }
}
