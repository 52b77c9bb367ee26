using Concord.Server.Auth;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Concord.Server.Dashboard.Pages.Dashboard;

/// <summary>
/// Signs a local user in with a cookie. A refused attempt says nothing about which of name or password was wrong; too
/// many refused attempts for a name from an address, from an address, or for a name from everywhere are answered 429
/// with Retry-After (<see cref="SignInLimiter"/>).
/// </summary>
public sealed class SignInModel(DashboardUsers users, SignInLimiter limiter) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    [BindProperty]
    public string? Name { get; set; }

    public bool Failed { get; private set; }

    /// <summary>Set when sign-in is refused for now: how long until it is checked again.</summary>
    public TimeSpan? Limited { get; private set; }

    /// <summary>"5 minutes", "1 minute": the wait, rounded up to whole minutes.</summary>
    public string LimitedFor
    {
        get
        {
            var minutes = (int)Math.Ceiling((Limited ?? TimeSpan.Zero).TotalMinutes);
            return minutes <= 1 ? "1 minute" : minutes.ToString(System.Globalization.CultureInfo.InvariantCulture) + " minutes";
        }
    }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync([FromForm] string? password, CancellationToken cancellationToken)
    {
        var name = Name ?? "";
        var address = HttpContext.Connection.RemoteIpAddress?.ToString();
        if (limiter.RetryAfter(name, address) is { } wait)
        {
            Limited = wait;
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            Response.Headers.RetryAfter = Math.Ceiling(wait.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Page();
        }

        var user = Name is null || password is null ? null : await users.VerifyAsync(Name, password, cancellationToken);
        if (user is null)
        {
            limiter.Failed(name, address);
            Failed = true;
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Page();
        }

        limiter.Succeeded(name, address);
        await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, DashboardPrincipal.Of(user));

        // Only a path inside the dashboard: an address from the query string must not send the user elsewhere.
        return LocalRedirect(ReturnUrl is { } url && url.StartsWith(DashboardSetup.Path, StringComparison.Ordinal) && Url.IsLocalUrl(url) ? url : DashboardSetup.Path);
    }
}
