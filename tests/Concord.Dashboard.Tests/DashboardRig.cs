using Concord.Engine.Storage;
using Concord.Server.Auth;
using Concord.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Concord.Dashboard.Tests;

/// <summary>
/// A real hub on loopback with one dashboard user per role (named after the role, same password) and a real
/// browser: what a page test needs to sign in as a viewer, an operator or an admin and look around.
/// </summary>
public sealed class DashboardRig : IAsyncDisposable
{
    public const string Password = "correct horse battery";

    private DashboardRig(HubHarness hub, Browser browser)
    {
        Hub = hub;
        Browser = browser;
    }

    public HubHarness Hub { get; }

    public Browser Browser { get; }

    public string Url => Hub.Url + "/dashboard";

    /// <summary>A hub with <paramref name="yaml"/>, read from a file when <paramref name="configFile"/> (see <see cref="HubHarness.ConfigPath"/>).</summary>
    public static async Task<DashboardRig> StartAsync(string yaml, IReadOnlyDictionary<string, string>? secrets = null, bool configFile = false)
    {
        var hub = await HubHarness.StartAsync(yaml, secrets, configFile);
        var users = hub.Hub.Services.GetRequiredService<DashboardUsers>();
        foreach (var role in new[] { UserRole.Viewer, UserRole.Operator, UserRole.Admin })
        {
            var (user, problem) = await users.CreateAsync(role.ToString().ToLowerInvariant(), role, Password, default);
            Assert.True(user is not null, problem);
        }

        return new DashboardRig(hub, await Browser.LaunchAsync());
    }

    /// <summary>A page signed in as the user of <paramref name="role"/> ("viewer", "operator", "admin"), left on the overview.</summary>
    public async Task<IPage> SignInAsync(string role, int width = 1280, int height = 800)
    {
        var page = await Browser.NewPageAsync(width, height);
        await SignInAsync(page, Url, role, Password);
        return page;
    }

    /// <summary>Signs in through the form, as a person does, and waits for the overview.</summary>
    public static async Task SignInAsync(IPage page, string dashboardUrl, string user, string password)
    {
        await page.GotoAsync(dashboardUrl + "/signin");
        await page.GetByLabel("User name").FillAsync(user);
        await page.GetByLabel("Password").FillAsync(password);
        var answer = await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync(),
            r => r.Request.Method == "POST");

        // A refusal says so here, with what the page said, rather than as a wait for the overview that runs out.
        if (answer.Status != 302)
        {
            await page.WaitForLoadStateAsync();
            Assert.Fail($"signing in as {user} was answered {answer.Status}: {await page.Locator("main").InnerTextAsync()}");
        }

        await page.WaitForURLAsync(dashboardUrl);
    }

    /// <summary>A full-page screenshot in the test output's screenshots folder.</summary>
    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new() { Path = Path.Combine(Browser.ScreenshotDirectory, name + ".png"), FullPage = true });

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        await Hub.DisposeAsync();
    }
}
