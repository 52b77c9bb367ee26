using System.Reflection;
using Concord.Server.Auth;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.ApplicationParts;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Concord.Server.Dashboard;

/// <summary>
/// The web dashboard: Razor Pages compiled into this assembly (no front-end build), under <c>/dashboard</c>,
/// signed in with a cookie for a local user. Every page needs a signed-in user; what changes data needs
/// <see cref="OperatorPolicy"/>. Razor Pages checks the antiforgery token of every form post.
/// </summary>
internal static class DashboardSetup
{
    public const string Path = "/dashboard";

    /// <summary>Replay, merge, unmerge, acknowledge: operators and admins.</summary>
    public const string OperatorPolicy = "operator";

    /// <summary>Users and settings: admins only.</summary>
    public const string AdminPolicy = "admin";

    private const string StylesheetResource = "Concord.Server.Dashboard.site.css";

    public static void AddDashboard(this IServiceCollection services, string dataPath)
    {
        services.AddSingleton<DashboardUsers>();
        services.AddSingleton<SignInLimiter>();
        services.AddSingleton<DashboardAudit>();
        services.Configure<RouteOptions>(o => o.LowercaseUrls = true);

        // Sign-in cookies and antiforgery tokens must survive a restart, so the keys that protect them live
        // next to the database (the folder the hub already owns), not in the service account's home.
        var keys = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(dataPath))!, "dashboard-keys");
        var protection = services.AddDataProtection().SetApplicationName("concord").PersistKeysToFileSystem(KeyFolder(keys));
        if (OperatingSystem.IsWindows())
        {
            // Windows can encrypt the keys at rest for the service account (DPAPI); elsewhere there is nothing to encrypt
            // them with that is not itself kept beside them (see QuietKeyWarning).
            protection.ProtectKeysWithDpapi();
        }

        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie(o =>
        {
            o.Cookie.Name = "concord_session";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.Cookie.Path = Path;
            o.LoginPath = Path + "/signin";
            o.LogoutPath = Path + "/signout";
            o.Events.OnRedirectToAccessDenied = DashboardRefusal.RefuseAsync;
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            o.SlidingExpiration = true;
        });
        services.AddAuthorizationBuilder()
            .AddPolicy(OperatorPolicy, p => p.RequireRole(Roles.Operator, Roles.Admin))
            .AddPolicy(AdminPolicy, p => p.RequireRole(Roles.Admin));
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "concord_antiforgery";
            o.Cookie.Path = Path;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.FormFieldName = "__concord_csrf";
        });

        services.AddRazorPages(o =>
            {
                o.RootDirectory = "/Dashboard/Pages";
                o.Conventions.AuthorizeFolder("/Dashboard");
                o.Conventions.AllowAnonymousToPage("/Dashboard/SignIn");
            })
            .ConfigureApplicationPartManager(m =>
            {
                // Only this assembly holds pages; scanning the host's (a test runner, the CLI) finds nothing and costs start-up time.
                m.ApplicationParts.Clear();
                // The assembly's own factory yields its types and its compiled views.
                var assembly = typeof(DashboardSetup).Assembly;
                foreach (var part in ApplicationPartFactory.GetApplicationPartFactory(assembly).GetApplicationParts(assembly))
                {
                    m.ApplicationParts.Add(part);
                }
            });
    }

    /// <summary>The data protection key manager's category, whose warning about unencrypted keys is not shown (see <see cref="QuietKeyWarning"/>).</summary>
    public const string KeyManagerCategory = "Microsoft.AspNetCore.DataProtection.KeyManagement.XmlKeyManager";

    /// <summary>
    /// Leaves out the warning "No XML encryptor configured. Key … may be persisted to storage in unencrypted form", which
    /// the key manager logs each time it makes a key where the platform offers no encryption of keys at rest (all but
    /// Windows). The keys sit in a folder only the hub's account can read, beside the database and the credential key,
    /// which are not encrypted at rest either: the folder's permissions (and the disk's encryption) protect all three, and an
    /// encryptor whose own key lies in the same folder would add nothing. A warning on every first start that asks for
    /// nothing to be done would only teach people to ignore the hub's warnings. The key manager's other warnings concern
    /// hubs without a key folder, which this one always has; its errors still show.
    /// </summary>
    public static void QuietKeyWarning(this ILoggingBuilder logging) =>
        logging.AddFilter(KeyManagerCategory, OperatingSystem.IsWindows() ? LogLevel.Warning : LogLevel.Error);

    /// <summary>The key folder, readable by the hub's account only where the platform has such permissions.</summary>
    private static DirectoryInfo KeyFolder(string path) => OperatingSystem.IsWindows()
        ? Directory.CreateDirectory(path)
        : Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

    public static void MapDashboard(this WebApplication app)
    {
        app.MapRazorPages();
        var css = ReadStylesheet();
        app.MapGet(Path + "/site.css", (HttpContext context) =>
        {
            context.Response.Headers.CacheControl = "public, max-age=3600";
            return Results.Text(css, "text/css; charset=utf-8");
        }).ExcludeFromDescription().AllowAnonymous();
    }

    private static string ReadStylesheet()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(StylesheetResource)
            ?? throw new InvalidOperationException($"the dashboard stylesheet {StylesheetResource} is not embedded");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
