using System.Globalization;
using Microsoft.Playwright;

namespace Concord.Dashboard.Tests;

/// <summary>The integration map page: the live map inline, every element a link, the same links as a list, the Mermaid text.</summary>
public sealed class MapPageTests(TroubledHub hub) : IClassFixture<TroubledHub>
{
    private static readonly string[] Expected =
    [
        "/dashboard/deliveries?system=archive",
        "/dashboard/deliveries?system=crm",
        "/dashboard/deliveries?system=ledger",
        "/dashboard/deliveries?system=sink",
        "/dashboard/flows/vip",
        "/dashboard/records?type=customer",
    ];

    private readonly TroubledHub _hub = hub;

    [Fact]
    public async Task EverySystemTypeAndFlowOfTheMap_IsAFocusableNamedLink_ToItsPage()
    {
        var page = await _hub.Rig.SignInAsync("viewer");
        await page.GotoAsync(_hub.Rig.Url + "/map");
        Assert.Equal("Integration map", await page.GetByRole(AriaRole.Heading, new() { Level = 1 }).InnerTextAsync());

        var links = page.GetByTestId("map").Locator("svg a");
        var hrefs = new List<string>();
        for (var i = 0; i < await links.CountAsync(); i++)
        {
            hrefs.Add((await links.Nth(i).GetAttributeAsync("href"))!);
            Assert.False(string.IsNullOrWhiteSpace(await links.Nth(i).GetAttributeAsync("aria-label")), $"link {hrefs[^1]} has no name");
        }

        Assert.Equal(Expected, hrefs.Order(StringComparer.Ordinal));
        Assert.Equal("/dashboard/deliveries?system=ledger", await page.GetByTestId("map").GetByRole(AriaRole.Link, new() { NameRegex = new System.Text.RegularExpressions.Regex("^ledger .*, deliveries$") }).GetAttributeAsync("href"));
        Assert.Equal("/dashboard/flows/vip", await page.GetByTestId("map").GetByRole(AriaRole.Link, new() { NameRegex = new System.Text.RegularExpressions.Regex("^vip .*, runs$") }).GetAttributeAsync("href"));

        // Reached with the keyboard: tabbing from the first map link lands on the next one.
        await links.First.FocusAsync();
        Assert.Equal(hrefs[0], await page.EvaluateAsync<string>("document.activeElement.getAttribute('href')"));
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal(hrefs[1], await page.EvaluateAsync<string>("document.activeElement.getAttribute('href')"));

        // The live figures are on it: the ledger's box says it fails, in words.
        Assert.Contains("failing", await page.GetByTestId("map").Locator("svg").TextContentAsync(), StringComparison.Ordinal);
        await DashboardRig.ScreenshotAsync(page, "map-desktop");
    }

    [Fact]
    public async Task TheListBelowTheMap_CarriesTheSameLinks_AndTheMermaidTextIsOffered()
    {
        var page = await _hub.Rig.SignInAsync("viewer");
        await page.GotoAsync(_hub.Rig.Url + "/map");

        var listed = await page.Locator("ul.map-list a").EvaluateAllAsync<string[]>("links => links.map(a => a.getAttribute('href'))");
        Assert.Equal(Expected, listed.Order(StringComparer.Ordinal));
        Assert.Contains("failing: 1 dead delivery", await page.GetByTestId("map-systems").Locator("li").Filter(new() { HasText = "sink" }).InnerTextAsync(), StringComparison.Ordinal);

        var mermaid = page.GetByTestId("mermaid");
        Assert.False(await mermaid.IsVisibleAsync());
        await page.GetByText("Mermaid text").ClickAsync();
        Assert.True(await mermaid.IsVisibleAsync());
        using var api = await _hub.Rig.Hub.Http.GetAsync(_hub.Rig.Hub.Url + "/map.mmd");
        Assert.Equal((await api.Content.ReadAsStringAsync()).Trim(), (await mermaid.InnerTextAsync()).Trim());

        // The API's own map stays a standalone document without links.
        using var svg = await _hub.Rig.Hub.Http.GetAsync(_hub.Rig.Hub.Url + "/map");
        Assert.DoesNotContain("href", await svg.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OnAPhone_TheMapScrollsInItsOwnBox_AndThePageDoesNot()
    {
        var page = await _hub.Rig.SignInAsync("viewer", 390, 844);
        await page.GotoAsync(_hub.Rig.Url + "/map");

        var width = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
        Assert.True(width <= 390, $"the page is {width.ToString(CultureInfo.InvariantCulture)} px wide on a 390 px screen");
        Assert.True(await page.GetByTestId("map").EvaluateAsync<bool>("e => e.scrollWidth > e.clientWidth"), "the map scrolls inside its box");
        await DashboardRig.ScreenshotAsync(page, "map-phone");
    }
}
