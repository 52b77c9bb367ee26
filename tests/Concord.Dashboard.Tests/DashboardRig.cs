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

        try
        {
            await page.WaitForURLAsync(dashboardUrl, new() { Timeout = 20_000 });
        }
        catch (TimeoutException)
        {
            // Under load, headless Chromium has now and then been seen to take the redirect and never draw the page it
            // leads to, while the hub answers that page at once. The session cookie is set: open the overview directly.
            Console.WriteLine($"signed in as {user}, but the overview had not come after 20 s (the page is at {page.Url}; {await ProbeAsync(page, dashboardUrl)}); opening it again");
            try
            {
                await page.GotoAsync(dashboardUrl);
            }
            catch (TimeoutException waited)
            {
                await ScreenshotAsync(page, "signin-stuck-" + user);
                throw new TimeoutException($"signed in as {user}, but the overview did not come, even opened again; the page is at {page.Url}; {await ProbeAsync(page, dashboardUrl)}", waited);
            }
        }

        Assert.Equal(dashboardUrl, page.Url);
    }

    /// <summary>Whether the hub answers at all, and how busy this process's thread pool is (the hub of a rig runs in it).</summary>
    private static async Task<string> ProbeAsync(IPage page, string dashboardUrl)
    {
        var pool = $"thread pool {ThreadPool.ThreadCount} threads, {ThreadPool.PendingWorkItemCount} work items waiting";
        var cookies = string.Join("; ", (await page.Context.CookiesAsync()).Select(c => $"{c.Name}={c.Value}"));
        return $"{await TimeAsync(dashboardUrl + "/signin", null)}; {await TimeAsync(dashboardUrl, cookies)}; {pool}";
    }

    private static async Task<string> TimeAsync(string url, string? cookies)
    {
        using var http = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(10) };
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (cookies is not null)
        {
            request.Headers.Add("Cookie", cookies);
        }

        var watch = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            using var answer = await http.SendAsync(request);
            return $"{url} answered {(int)answer.StatusCode} in {watch.ElapsedMilliseconds} ms";
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return $"{url} did not answer in {watch.ElapsedMilliseconds} ms ({ex.Message})";
        }
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
