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

    /// <summary>The state of each of the troubled hub's systems, as the overview writes it.</summary>
    private static readonly (string System, string State)[] States =
    [
        ("archive", "✓ healthy"),
        ("sink", "▲ degraded"),
        ("ledger", "✕ circuit open"),
        ("crm", "○ silent"),
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

        // The live figures are on it: each system's box says its state with the overview's shape and word.
        foreach (var (system, state) in States)
        {
            Assert.StartsWith($"{system} http {state} ", await page.GetByTestId("map").Locator($"svg a[href='/dashboard/deliveries?system={system}']").GetAttributeAsync("aria-label"), StringComparison.Ordinal);
        }

        await DashboardRig.ScreenshotAsync(page, "map-desktop");
    }

    [Fact]
    public async Task TheListBelowTheMap_CarriesTheSameLinks_AndTheMermaidTextIsOffered()
    {
        var page = await _hub.Rig.SignInAsync("viewer");
        await page.GotoAsync(_hub.Rig.Url + "/map");

        var listed = await page.Locator("ul.map-list a").EvaluateAllAsync<string[]>("links => links.map(a => a.getAttribute('href'))");
        Assert.Equal(Expected, listed.Order(StringComparer.Ordinal));
        Assert.Contains("▲ degraded 1 dead delivery", await page.GetByTestId("map-systems").Locator("li").Filter(new() { HasText = "sink" }).InnerTextAsync(), StringComparison.Ordinal);

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
    public async Task EachSystem_IsInTheSameState_OnTheOverview_TheMapPage_TheApisMap_AndItsMermaid_SilentIncluded()
    {
        var page = await _hub.Rig.SignInAsync("viewer");
        await page.GotoAsync(_hub.Rig.Url);
        var overview = new Dictionary<string, (string State, string Reason)>();
        foreach (var (system, _) in States)
        {
            var cell = page.GetByTestId("systems").GetByRole(AriaRole.Row).Filter(new() { Has = page.GetByRole(AriaRole.Link, new() { Name = system, Exact = true }) }).GetByTestId("state");
            var reason = await cell.Locator(".small").CountAsync() == 0 ? "" : (await cell.Locator(".small").InnerTextAsync()).Trim();
            overview[system] = ((await cell.Locator(".state").InnerTextAsync()).Trim(), reason);
        }

        Assert.Equal(States.ToDictionary(s => s.System, s => s.State), overview.ToDictionary(o => o.Key, o => o.Value.State));

        await page.GotoAsync(_hub.Rig.Url + "/map");
        var svg = page.GetByTestId("map").Locator("svg");
        foreach (var (system, (state, reason)) in overview)
        {
            var item = page.GetByTestId("map-systems").Locator("li").Filter(new() { Has = page.GetByRole(AriaRole.Link, new() { Name = system, Exact = true }) });
            Assert.Equal(state, (await item.GetByTestId("map-state").InnerTextAsync()).Trim());
            // A silence reason ends with the hours it compares ("(20/h on Mondays 01:00–04:00 UTC)"), which the next
            // evaluation moves on when the clock passes the hour between the two reads: the counts before it must agree.
            Assert.Contains(reason.Split(" (")[0], await item.InnerTextAsync(), StringComparison.Ordinal);
            Assert.Equal($"system system-{Slug(state)}", await svg.Locator($"a[href='/dashboard/deliveries?system={system}'] rect.system").GetAttributeAsync("class"));
        }

        Assert.Contains("1 crm event in 3 h; 60 expected", overview["crm"].Reason, StringComparison.Ordinal);
        Assert.Equal("system system-silent", await svg.Locator("a[href='/dashboard/deliveries?system=crm'] rect.system").GetAttributeAsync("class"));
        Assert.Contains("○ silent: dash-dot", await svg.TextContentAsync(), StringComparison.Ordinal);
        await DashboardRig.ScreenshotAsync(page, "map-states");

        // The API's map, which `concord map --live` fetches, and its Mermaid text say the same.
        using var api = await _hub.Rig.Hub.Http.GetAsync(_hub.Rig.Hub.Url + "/map");
        var standalone = System.Xml.Linq.XDocument.Parse(await api.Content.ReadAsStringAsync());
        System.Xml.Linq.XNamespace ns = "http://www.w3.org/2000/svg";
        var titles = standalone.Descendants(ns + "rect").Where(r => ((string?)r.Attribute("class") ?? "").StartsWith("system ", StringComparison.Ordinal))
            .ToDictionary(r => r.Element(ns + "title")!.Value.Split(' ')[0], r => r.Element(ns + "title")!.Value);
        foreach (var (system, (state, reason)) in overview)
        {
            if (reason == "")
            {
                Assert.EndsWith($"; {state[2..]}", titles[system], StringComparison.Ordinal);
            }
            else
            {
                Assert.Contains($"; {state[2..]}: {reason.Split(" (")[0]}", titles[system], StringComparison.Ordinal);
            }
        }

        using var mmd = await _hub.Rig.Hub.Http.GetAsync(_hub.Rig.Hub.Url + "/map.mmd");
        Assert.Contains("crm<br/><small>http · silent</small>", await mmd.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>"✕ circuit open" → "circuit-open", the class the map gives the state.</summary>
    private static string Slug(string state) => state[2..].Replace(' ', '-');

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
