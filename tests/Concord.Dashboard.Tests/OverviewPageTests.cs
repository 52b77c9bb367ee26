using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Concord.Engine.Storage;
using Concord.Server.Dashboard;
using Concord.Testing;
using Microsoft.Playwright;

namespace Concord.Dashboard.Tests;

/// <summary>The overview of a hub whose systems are healthy, degraded, circuit open and silent, for real.</summary>
public sealed class OverviewPageTests(TroubledHub hub) : IClassFixture<TroubledHub>
{
    private readonly TroubledHub _hub = hub;

    private ILocator Row(IPage page, string system) =>
        page.GetByTestId("systems").Locator("tbody tr").Filter(new() { Has = page.GetByRole(AriaRole.Rowheader, new() { Name = system, Exact = true }) });

    [Fact]
    public async Task EachSystem_ShowsItsState_InAWordAndAShape_WithTheReason()
    {
        var page = await _hub.Rig.SignInAsync("viewer");

        var states = new Dictionary<string, string>();
        foreach (var system in new[] { "archive", "sink", "ledger", "crm" })
        {
            states[system] = (await Row(page, system).GetByTestId("state").Locator(".state").InnerTextAsync()).Trim();
        }

        Assert.Equal("✓ healthy", states["archive"]);
        Assert.Equal("▲ degraded", states["sink"]);
        Assert.Equal("✕ circuit open", states["ledger"]);
        Assert.Equal("○ silent", states["crm"]);
        Assert.Contains("1 dead delivery", await Row(page, "sink").GetByTestId("state").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("1 crm event in 3 h; 60 expected", await Row(page, "crm").GetByTestId("state").InnerTextAsync(), StringComparison.Ordinal);

        // The first five cells stay what they were: name, kind, circuit, pending, dead.
        Assert.Equal(["ledger", "http", "open", "0", "1"], (await Row(page, "ledger").Locator("th, td").AllInnerTextsAsync()).Take(5).Select(t => t.Trim()));
        // The shape is decoration for sighted users; the word is what is read out.
        Assert.Equal("true", await Row(page, "crm").Locator(".marker").GetAttributeAsync("aria-hidden"));
        await DashboardRig.ScreenshotAsync(page, "overview-states");
    }

    [Fact]
    public async Task TheSparklines_StateTheStoresFigures_InWords()
    {
        var page = await _hub.Rig.SignInAsync("operator");

        var now = DateTimeOffset.UtcNow;
        var hour = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero);
        var traffic = (await _hub.Store.GetTrafficAsync(hour.AddHours(-23), hour.AddHours(1), default)).Where(h => h.Subject == "system:archive").ToList();
        var volume = traffic.Sum(h => h.Inbound + h.Outbound);
        Assert.True(volume >= 1, "the archive's delivery attempt is counted in the current hour");
        var lag = Assert.Single(await _hub.Store.GetDeliveryLagAsync(hour.AddHours(-23), hour.AddHours(1), default), l => l.System == "archive");

        var spark = page.GetByTestId("volume-archive");
        Assert.Equal("img", await spark.GetAttributeAsync("role"));
        Assert.Equal(
            $"changes in and deliveries out per hour over the last 24 h: peak {volume.ToString(CultureInfo.InvariantCulture)}, now {volume.ToString(CultureInfo.InvariantCulture)}, {volume.ToString(CultureInfo.InvariantCulture)} in all",
            await spark.GetAttributeAsync("aria-label"));
        Assert.Equal(24, (await spark.Locator("polyline").GetAttributeAsync("points"))!.Split(' ').Length);
        Assert.Equal(
            $"longest delivery lag per hour over the last 24 h: peak {DashboardText.Seconds(lag.Longest.TotalSeconds)}, now {DashboardText.Seconds(lag.Longest.TotalSeconds)}",
            await page.GetByTestId("lag-archive").GetAttributeAsync("aria-label"));

        // The CRM's four weeks of history are weeks old: its last 24 hours hold only today's one change.
        Assert.StartsWith("changes in and deliveries out per hour over the last 24 h: peak 1, now 1, 1 in all", await page.GetByTestId("volume-crm").GetAttributeAsync("aria-label"), StringComparison.Ordinal);
        // No script draws them: the page has none.
        Assert.Equal(0, await page.Locator("script").CountAsync());
    }

    [Fact]
    public async Task SystemsTypesAndIncidents_LinkToTheirPages()
    {
        var page = await _hub.Rig.SignInAsync("viewer");

        Assert.Equal("/dashboard/deliveries?system=sink", await Row(page, "sink").GetByRole(AriaRole.Link, new() { Name = "sink" }).GetAttributeAsync("href"));
        Assert.Equal("/dashboard/records?type=customer", await page.GetByRole(AriaRole.Link, new() { Name = "customer", Exact = true }).GetAttributeAsync("href"));

        var silence = await _hub.IncidentAsync("silence");
        var link = page.Locator("ul.incidents a").Filter(new() { HasText = "system crm" });
        Assert.Equal($"/dashboard/incidents/{silence.Id}", await link.GetAttributeAsync("href"));
        Assert.Equal(3, await page.Locator("ul.incidents li").CountAsync());
        await link.ClickAsync();
        await page.WaitForURLAsync($"{_hub.Rig.Url}/incidents/{silence.Id}");
        Assert.Equal("system crm", await page.GetByRole(AriaRole.Heading, new() { Level = 1 }).InnerTextAsync());
    }

    [Fact]
    public async Task OnAPhone_NothingScrollsSideways_ButTheTable()
    {
        var page = await _hub.Rig.SignInAsync("viewer", 390, 844);

        var width = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
        Assert.True(width <= 390, $"the page is {width.ToString(CultureInfo.InvariantCulture)} px wide on a 390 px screen");
        // The systems table is wider than the phone: it scrolls in its own box.
        Assert.True(await page.Locator(".table-wrap").Filter(new() { Has = page.GetByTestId("systems") }).EvaluateAsync<bool>("e => e.scrollWidth > e.clientWidth"));
        await DashboardRig.ScreenshotAsync(page, "overview-phone-states");
    }

    /// <summary>
    /// Times 20 warm loads of the overview (the page as the server renders it, every figure read from the store) on a hub
    /// with a day of traffic history and 500 deliveries, and prints the figure; the page must still show what it read.
    /// </summary>
    [Fact]
    public async Task TwentyWarmLoads_OfABusyHubsOverview_AreTimed()
    {
        await using var sink = await RecordingSink.StartAsync();
        await using var rig = await DashboardRig.StartAsync(TestConfigs.TwoSystems(sink.Url + "/crm", sink.Url + "/sink"));
        var now = DateTimeOffset.UtcNow;
        var hour = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero);
        await rig.Hub.Store.AddTrafficAsync([.. from back in Enumerable.Range(1, 23)
                                                from system in new[] { "crm", "sink" }
                                                select new TrafficHour("system:" + system, "customer", hour.AddHours(-back), 40, 40, 1)], default);
        for (var batch = 0; batch < 5; batch++)
        {
            var changes = Enumerable.Range(batch * 100, 100).Select(i => new
            {
                type = "customer", external_id = "c" + i.ToString(CultureInfo.InvariantCulture),
                fields = new { email = $"p{i.ToString(CultureInfo.InvariantCulture)}@example.com", name = "P " + i.ToString(CultureInfo.InvariantCulture) },
            });
            using var posted = await rig.Hub.PostChangesAsync("crm", JsonSerializer.Serialize(changes));
            Assert.True(posted.IsSuccessStatusCode, $"posting changes answered {(int)posted.StatusCode}");
        }

        await Eventually.TrueAsync(() => Task.FromResult(sink.Applied.Count(r => r.Headers.GetValueOrDefault("X-Path") == "/sink") >= 500), "500 deliveries to the sink", TimeSpan.FromSeconds(60));
        var page = await rig.SignInAsync("viewer");
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(200, (await page.Context.APIRequest.GetAsync(rig.Url)).Status);
        }

        var watch = Stopwatch.StartNew();
        string html = "";
        for (var i = 0; i < 20; i++)
        {
            var answer = await page.Context.APIRequest.GetAsync(rig.Url);
            Assert.Equal(200, answer.Status);
            html = await answer.TextAsync();
        }

        watch.Stop();
        Console.WriteLine($"overview: 20 warm loads in {watch.ElapsedMilliseconds.ToString(CultureInfo.InvariantCulture)} ms ({(watch.Elapsed.TotalMilliseconds / 20).ToString("0.0", CultureInfo.InvariantCulture)} ms each)");
        Assert.Equal(2, html.Split("class=\"state state-healthy\"").Length - 1);
        Assert.Equal(2, html.Split(" in all\"").Length - 1);
    }
}
