using System.Text.RegularExpressions;
using Concord.Testing;
using Microsoft.Playwright;

namespace Concord.Dashboard.Tests;

/// <summary>
/// The promise, walked as a newcomer walks it: run <c>concord demo</c>, open the printed address, sign in with
/// the printed credentials, find the Acme duplicates, the double-billing alert and the delivery that failed while billing
/// was down, and fix each from the browser: merge (and unmerge, and merge again), cancel the second subscription in Stripe,
/// acknowledge and replay. Each step checks the page and then what the hub did. The screenshots are the README's tour.
/// </summary>
public sealed class DemoNewcomerTests
{
    [Fact]
    public async Task ANewcomer_FindsWhatTheDemoBroke_AndFixesEachFromTheBrowser()
    {
        await using var demo = await DemoProcess.StartAsync();
        await using var browser = await Browser.LaunchAsync();
        var page = await browser.NewPageAsync(1280, 900);
        await DashboardRig.SignInAsync(page, demo.DashboardUrl, demo.User, demo.Password);

        // The overview says something is wrong: the two incidents the story left open.
        Assert.Equal("Open incidents (2)", await page.Locator("#incidents-heading").InnerTextAsync());
        await Shoot(page, "tour-overview");

        // 1. The Acme duplicates: the review queue holds the look-alike; compare it field by field and merge.
        await page.GetByRole(AriaRole.Link, new() { Name = "Review", Exact = true }).ClickAsync();
        var pairs = page.GetByTestId("pairs");
        Assert.Equal(1, await pairs.Locator("tbody tr").CountAsync());
        Assert.Contains("ACME Corporation", await pairs.InnerTextAsync(), StringComparison.Ordinal);
        await Shoot(page, "tour-review");
        await pairs.GetByRole(AriaRole.Link, new() { Name = "Compare" }).ClickAsync();
        Assert.Contains("different", await page.GetByTestId("side-by-side").InnerTextAsync(), StringComparison.Ordinal);
        await Shoot(page, "tour-review-pair");
        await page.GetByRole(AriaRole.Button, new() { Name = "Merge", Exact = true }).ClickAsync();
        Assert.StartsWith("Merged", await page.GetByTestId("notice").InnerTextAsync(), StringComparison.Ordinal);

        // Find Acme with the search box: one customer now, holding both HubSpot contacts.
        await page.GetByRole(AriaRole.Link, new() { Name = "Customers", Exact = true }).ClickAsync();
        await page.GetByLabel("Search").FillAsync("acme corp");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        var results = page.GetByTestId("results");
        Assert.Equal(1, await results.Locator("tbody tr").CountAsync());
        await results.Locator("tbody tr th a").First.ClickAsync();
        var recordUrl = page.Url;
        var links = await page.GetByTestId("links").InnerTextAsync();
        Assert.Contains("hubspot", links, StringComparison.Ordinal);
        Assert.Contains("stripe", links, StringComparison.Ordinal);
        Assert.True(await page.GetByTestId("links").Locator("a[href^='https://dashboard.stripe.com/']").CountAsync() >= 1, "the record links to Stripe's own page for it");
        Assert.True(await page.GetByTestId("timeline").Locator("li").CountAsync() >= 3, "the timeline shows the record's history across systems");
        await Shoot(page, "tour-record");

        // Unmerge from the record page, and the two are apart again; merge them back with "Merge with…".
        var merges = page.GetByTestId("merges");
        var absorbed = (await merges.Locator("tbody tr td a").First.InnerTextAsync()).Trim();
        await merges.GetByRole(AriaRole.Button, new() { Name = "Unmerge" }).First.ClickAsync();
        Assert.StartsWith("Unmerged", await page.GetByTestId("notice").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("undone", await page.GetByTestId("merges").InnerTextAsync(), StringComparison.Ordinal);
        await page.GetByLabel("Merge with…").FillAsync(absorbed);
        await page.GetByRole(AriaRole.Button, new() { Name = "Merge into this record" }).ClickAsync();
        Assert.StartsWith("Merged", await page.GetByTestId("notice").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(recordUrl, page.Url);

        // 2. The double-billing alert: open under Incidents; its finding is under Review, where one subscription is cancelled in Stripe.
        await page.GetByRole(AriaRole.Link, new() { Name = "Incidents", Exact = true }).ClickAsync();
        var billing = page.GetByTestId("unresolved").Locator("tbody tr").Filter(new() { HasText = "billing_guardrail" });
        Assert.Equal(1, await billing.CountAsync());
        var dead = page.GetByTestId("unresolved").Locator("tbody tr").Filter(new() { HasText = "dead_letter" });
        Assert.Equal(1, await dead.CountAsync());
        await Shoot(page, "tour-incidents");

        await page.GetByRole(AriaRole.Link, new() { Name = "Review", Exact = true }).ClickAsync();
        var doubleBilling = page.GetByTestId("others").Locator("tbody tr").Filter(new() { HasText = "double-billing" });
        Assert.Equal(1, await doubleBilling.CountAsync());
        await doubleBilling.GetByText("Cancel a subscription…").ClickAsync();
        var cancel = doubleBilling.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Cancel sub_\\w+ in stripe now$") });
        Assert.Equal(2, await cancel.CountAsync());
        await Shoot(page, "tour-cancel-subscription");
        var later = (await cancel.First.InnerTextAsync()).Split(' ')[1];
        var laterRecord = (string)(await demo.GetJsonAsync("/api/v1/findings?kind=double-billing"))[0]!["record_id"]!;
        await cancel.First.ClickAsync();
        Assert.Equal($"Cancelled {later} in stripe. The finding closes when the system's event reaches the hub.", await page.GetByTestId("notice").InnerTextAsync());
        await Eventually.TrueAsync(async () =>
        {
            await page.ReloadAsync();
            return await page.GetByTestId("others").Locator("tbody tr").Filter(new() { HasText = "double-billing" }).CountAsync() == 0;
        }, "the double-billing finding to close when Stripe's event arrives", TimeSpan.FromSeconds(30));

        // Closed by Stripe's own word: its customer.subscription.deleted ended the hub's record of the later subscription.
        var ended = await demo.GetJsonAsync($"/api/v1/records/subscription/{laterRecord}");
        Assert.True((bool)ended["deleted"]!);
        Assert.Equal("stripe", (string?)ended["history"]![0]!["system"]);
        Assert.Contains(ended["links"]!.AsArray(), l => (string?)l!["external_id"] == later);

        // 3. The delivery that failed while billing was down: acknowledge its incident, find it, read Stripe's answer, replay it.
        await page.GetByRole(AriaRole.Link, new() { Name = "Incidents", Exact = true }).ClickAsync();
        await page.GetByTestId("unresolved").Locator("tbody tr").Filter(new() { HasText = "dead_letter" }).Locator("th a").ClickAsync();
        await page.GetByLabel("Note (optional)").FillAsync("replaying it now");
        await page.GetByRole(AriaRole.Button, new() { Name = "Acknowledge" }).ClickAsync();
        Assert.Contains("demo", await page.GetByTestId("acknowledged").InnerTextAsync(), StringComparison.Ordinal);

        await page.GotoAsync(demo.DashboardUrl + "/deliveries?status=dead&system=stripe");
        var deadRows = page.GetByTestId("deliveries").Locator("tbody tr");
        Assert.Equal(1, await deadRows.CountAsync());
        await deadRows.Locator("a[href^='/dashboard/deliveries/']").First.ClickAsync();
        Assert.Contains("dead", await page.GetByTestId("status").InnerTextAsync(), StringComparison.Ordinal);
        Assert.True(await page.GetByTestId("attempts").Locator("tbody tr").CountAsync() >= 1, "each failed attempt is shown with Stripe's answer");
        await Shoot(page, "tour-delivery");
        await page.GetByRole(AriaRole.Button, new() { Name = "Replay this delivery" }).ClickAsync();
        await Eventually.TrueAsync(async () =>
        {
            await page.ReloadAsync();
            return (await page.GetByTestId("status").InnerTextAsync()).Contains("delivered", StringComparison.OrdinalIgnoreCase);
        }, "the replayed delivery to reach Stripe", TimeSpan.FromSeconds(30));

        // Everything fixed: no open incident, nothing dead, nothing left to review.
        await Eventually.TrueAsync(async () =>
        {
            await page.GotoAsync(demo.DashboardUrl + "/incidents");
            return await page.GetByTestId("unresolved").CountAsync() == 0;
        }, "both incidents to resolve", TimeSpan.FromSeconds(30));
        await page.GotoAsync(demo.DashboardUrl + "/review");
        Assert.Equal(1, await page.GetByTestId("no-pairs").CountAsync());
        await page.GotoAsync(demo.DashboardUrl + "/deliveries?status=dead");
        Assert.Equal(0, await page.GetByTestId("deliveries").Locator("tbody tr").CountAsync());
        await page.GotoAsync(demo.DashboardUrl + "/map");
        await Shoot(page, "tour-map");
        await page.GotoAsync(demo.DashboardUrl);
        await Shoot(page, "tour-overview-fixed");

        // The same overview on a phone.
        var phone = await browser.NewPageAsync(390, 844, await page.Context.StorageStateAsync());
        await phone.GotoAsync(demo.DashboardUrl);
        Assert.True(await phone.EvaluateAsync<int>("document.documentElement.scrollWidth") <= 390, "nothing scrolls sideways on a phone");
        await Shoot(phone, "tour-phone");
    }

    private static Task Shoot(IPage page, string name) => DashboardRig.ScreenshotAsync(page, name);
}
