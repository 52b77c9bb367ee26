using System.Diagnostics;
using System.Globalization;
using Concord.Engine.Storage;
using Concord.Server.Auth;
using Concord.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Concord.Dashboard.Tests;

/// <summary>Signing in to the dashboard in a real browser, against a real hub with a delivery that died.</summary>
public sealed class SignInTests : IAsyncLifetime
{
    private const string Password = "correct horse battery";

    private RecordingSink _sink = null!;
    private HubHarness _hub = null!;
    private Browser _browser = null!;

    public async Task InitializeAsync()
    {
        _sink = await RecordingSink.StartAsync();
        // The sink points at a closed port with one attempt, so its delivery dies: the overview has something to show.
        _hub = await HubHarness.StartAsync(TestConfigs.TwoSystems("http://127.0.0.1:9/crm", "http://127.0.0.1:9/sink", "{ max_attempts: 1, initial_delay: 10ms, max_delay: 10ms, timeout: 1s }"));
        var users = _hub.Hub.Services.GetRequiredService<DashboardUsers>();
        var (user, problem) = await users.CreateAsync("ann", UserRole.Viewer, Password, default);
        Assert.True(user is not null, problem);
        using (var posted = await _hub.PostChangesAsync("crm", """[{"type":"customer","external_id":"c1","fields":{"email":"ann@acme.example","name":"Ann"}}]"""))
        {
            Assert.True(posted.IsSuccessStatusCode);
        }

        await Eventually.TrueAsync(async () => (await _hub.Store.GetHealthAsync(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1), default)).DeliveriesDead == 1, "the sink's delivery died");
        _browser = await Browser.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        await _hub.DisposeAsync();
        await _sink.DisposeAsync();
    }

    [Fact]
    public async Task AUser_SignsIn_AndSeesTheOverview_OnADesktopAndAPhone()
    {
        var page = await _browser.NewPageAsync();
        await page.GotoAsync(_hub.Url + "/dashboard");
        Assert.EndsWith("/dashboard/signin?ReturnUrl=%2Fdashboard", page.Url, StringComparison.Ordinal);

        await page.GetByLabel("User name").FillAsync("ann");
        await page.GetByLabel("Password").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await page.WaitForURLAsync(_hub.Url + "/dashboard");
        Assert.Equal("Overview", await page.GetByRole(AriaRole.Heading, new() { Level = 1 }).InnerTextAsync());
        Assert.Equal("degraded", (await page.GetByTestId("status").Locator(".big").InnerTextAsync()).Trim());
        var sinkRow = page.GetByTestId("systems").GetByRole(AriaRole.Row).Filter(new() { HasText = "sink" });
        Assert.Equal(["sink", "http", "closed", "0", "1"], (await sinkRow.Locator("th, td").AllInnerTextsAsync()).Take(5).Select(t => t.Trim()));
        Assert.Contains("ann (viewer)", await page.Locator(".who").InnerTextAsync(), StringComparison.Ordinal);
        await page.ScreenshotAsync(new() { Path = Path.Combine(Browser.ScreenshotDirectory, "overview-desktop.png"), FullPage = true });

        // The same session on a phone's width: nothing needs sideways scrolling but the tables, which scroll in their own box.
        var watch = Stopwatch.StartNew();
        var phone = await _browser.NewPageAsync(390, 844, await page.Context.StorageStateAsync());
        await phone.GotoAsync(_hub.Url + "/dashboard");
        watch.Stop();
        Assert.Equal("Overview", await phone.GetByRole(AriaRole.Heading, new() { Level = 1 }).InnerTextAsync());
        var bodyWidth = await phone.EvaluateAsync<int>("document.documentElement.scrollWidth");
        Assert.True(bodyWidth <= 390, $"the page is {bodyWidth.ToString(CultureInfo.InvariantCulture)} px wide on a 390 px screen");
        await phone.ScreenshotAsync(new() { Path = Path.Combine(Browser.ScreenshotDirectory, "overview-phone.png"), FullPage = true });
        Console.WriteLine($"overview loaded in {watch.ElapsedMilliseconds.ToString(CultureInfo.InvariantCulture)} ms (phone, signed in)");
    }

    [Fact]
    public async Task AWrongPassword_IsRefused_AndTheOverviewStaysClosed()
    {
        var page = await _browser.NewPageAsync();
        await page.GotoAsync(_hub.Url + "/dashboard/signin");
        await page.GetByLabel("User name").FillAsync("ann");
        await page.GetByLabel("Password").FillAsync("not the password");
        var answer = await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync(),
            r => r.Request.Method == "POST");

        Assert.Equal(401, answer.Status);
        Assert.Equal("The name or password is not right.", await page.GetByRole(AriaRole.Alert).InnerTextAsync());
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == "concord_session");
        await page.GotoAsync(_hub.Url + "/dashboard");
        Assert.Contains("/dashboard/signin", page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFormPostWithoutTheAntiforgeryToken_IsRejected_EvenWithASession()
    {
        var page = await _browser.NewPageAsync();
        await page.GotoAsync(_hub.Url + "/dashboard/signin");
        await page.GetByLabel("User name").FillAsync("ann");
        await page.GetByLabel("Password").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync(_hub.Url + "/dashboard");

        // The browser's own cookies (session and antiforgery) go along; only the form's hidden token is missing.
        var forged = await page.Context.APIRequest.PostAsync(_hub.Url + "/dashboard/signout", new() { Form = page.Context.APIRequest.CreateFormData(), MaxRedirects = 0 });
        Assert.Equal(400, forged.Status);
        await page.ReloadAsync();
        Assert.Equal("Overview", await page.GetByRole(AriaRole.Heading, new() { Level = 1 }).InnerTextAsync());

        // With the token (the page's own sign-out button) it works.
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.WaitForURLAsync(_hub.Url + "/dashboard/signin");
    }
}
