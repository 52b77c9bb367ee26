using System.Diagnostics;
using System.Globalization;
using Concord.Testing;
using Microsoft.Playwright;

namespace Concord.Dashboard.Tests;

/// <summary>What a newcomer does first: run <c>concord demo</c>, open the printed address, sign in with the printed credentials.</summary>
public sealed class DemoOverviewTests
{
    [Fact]
    public async Task TheDemosPrintedCredentials_OpenTheOverview_WithTheDemosSystems()
    {
        await using var demo = await DemoProcess.StartAsync();
        await using var browser = await Browser.LaunchAsync();
        var page = await browser.NewPageAsync();

        await page.GotoAsync(demo.DashboardUrl);
        await page.GetByLabel("User name").FillAsync(demo.User);
        await page.GetByLabel("Password").FillAsync(demo.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync(demo.DashboardUrl);

        var systems = await page.GetByTestId("systems").Locator("tbody th").AllInnerTextsAsync();
        Assert.Equal(["hubspot", "quickbooks", "slack", "stripe"], systems.Select(s => s.Trim()).Order(StringComparer.Ordinal));
        Assert.Contains("demo (operator)", await page.Locator(".who").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Matches(@"^\d+(\.\d)?%$", (await page.GetByTestId("score").Locator(".big").InnerTextAsync()).Trim());
        await page.ScreenshotAsync(new() { Path = Path.Combine(Browser.ScreenshotDirectory, "demo-overview.png"), FullPage = true });

        // A warm reload, as an operator refreshing the page: the whole page, data read from the store included.
        var watch = Stopwatch.StartNew();
        await page.ReloadAsync();
        watch.Stop();
        Console.WriteLine($"demo overview reloaded in {watch.ElapsedMilliseconds.ToString(CultureInfo.InvariantCulture)} ms");
    }
}
