using Concord.Testing;

namespace Concord.Dashboard.Tests;

/// <summary>The browser itself works here: Chromium opens a page served by a real hub on loopback.</summary>
public sealed class BrowserSmokeTests
{
    [Fact]
    public async Task Chromium_OpensAPageOfARealHub_AndTakesAScreenshot()
    {
        await using var sink = await RecordingSink.StartAsync();
        await using var hub = await HubHarness.StartAsync(TestConfigs.TwoSystems("http://127.0.0.1:9/crm", sink.Url));
        await using var browser = await Browser.LaunchAsync();
        var page = await browser.NewPageAsync();

        var response = await page.GotoAsync(hub.Url + "/healthz");

        Assert.NotNull(response);
        Assert.Equal(200, response.Status);
        Assert.Equal("ok", (await page.InnerTextAsync("body")).Trim());
        var file = Path.Combine(Browser.ScreenshotDirectory, "healthz.png");
        await page.ScreenshotAsync(new() { Path = file });
        Assert.True(new FileInfo(file).Length > 1000, "the screenshot has content");
    }
}
