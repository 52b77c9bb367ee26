using System.Globalization;
using Concord.Engine.Storage;
using Concord.Testing;
using Microsoft.Playwright;

namespace Concord.Dashboard.Tests;

/// <summary>The incidents the alert rules opened on a troubled hub: the list, one incident's page, and acknowledging it.</summary>
public sealed class IncidentsPageTests(TroubledHub hub) : IClassFixture<TroubledHub>
{
    private readonly TroubledHub _hub = hub;

    /// <summary>Incidents resolved long ago, straight into the store, so the list has more than one page of them.</summary>
    private async Task ResolvedAsync(int count)
    {
        var at = DateTimeOffset.UtcNow.AddDays(-30);
        for (var i = 0; i < count; i++)
        {
            var opened = at.AddMinutes(i);
            var incident = new Incident($"inc_old{i.ToString("00", CultureInfo.InvariantCulture)}", "dead_letter", "dead_letter", $"old{i.ToString(CultureInfo.InvariantCulture)}",
                $"system old{i.ToString(CultureInfo.InvariantCulture)}", "1 delivery gave up", null, IncidentStatus.Open, opened, opened);
            Assert.True(await _hub.Store.OpenIncidentAsync(incident, [], default));
            Assert.True(await _hub.Store.ResolveIncidentAsync(incident.Id, opened.AddMinutes(5), [], default));
        }
    }

    [Fact]
    public async Task TheList_ShowsOpenFirst_ThenTheMostRecentResolved_AndSaysHowManyAreNotShown()
    {
        await ResolvedAsync(27);
        var page = await _hub.Rig.SignInAsync("viewer");
        await page.GotoAsync(_hub.Rig.Url + "/incidents");

        var open = await page.GetByTestId("unresolved").Locator("tbody th").AllInnerTextsAsync();
        Assert.Equal(["system crm", "system ledger", "system sink"], open.Select(t => t.Trim()).Order(StringComparer.Ordinal));
        var resolved = page.GetByTestId("resolved").Locator("tbody tr");
        Assert.Equal(25, await resolved.CountAsync());
        Assert.Equal("system old26", (await resolved.First.Locator("th").InnerTextAsync()).Trim());
        Assert.StartsWith("25 most recent shown; 2 older not shown.", (await page.GetByTestId("not-shown").InnerTextAsync()).Trim(), StringComparison.Ordinal);

        await page.GetByRole(AriaRole.Link, new() { Name = "Show 25 more" }).ClickAsync();
        await page.WaitForURLAsync(_hub.Rig.Url + "/incidents?show=50");
        Assert.Equal(27, await page.GetByTestId("resolved").Locator("tbody tr").CountAsync());
        Assert.Equal("Every resolved incident is shown.", (await page.GetByTestId("not-shown").InnerTextAsync()).Trim());
        await DashboardRig.ScreenshotAsync(page, "incidents-list");
    }

    [Fact]
    public async Task AnIncidentsPage_ShowsItsRuleCauseAndTimes_AndEachNotificationWithItsAttempts()
    {
        var dead = await _hub.IncidentAsync("dead_letter");
        await Eventually.TrueAsync(async () => (await _hub.Store.GetNotificationsAsync(dead.Id, default)).Any(n => n.Status == NotificationStatus.Sent),
            "the incident's notification sent through the archive");
        var page = await _hub.Rig.SignInAsync("viewer");
        await page.GotoAsync($"{_hub.Rig.Url}/incidents/{dead.Id}");

        Assert.Equal("system sink", await page.GetByRole(AriaRole.Heading, new() { Level = 1 }).InnerTextAsync());
        var facts = await page.GetByTestId("incident").InnerTextAsync();
        Assert.Contains("dead_letter (dead_letter)", facts, StringComparison.Ordinal);
        Assert.Contains(dead.Summary, facts, StringComparison.Ordinal);
        Assert.Contains("Cause\tsink", facts.Replace("\n", "\t", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Equal("open", await page.GetByTestId("incident-status").InnerTextAsync());
        Assert.Contains("sent · 1 attempt", await page.GetByTestId("notification").First.InnerTextAsync(), StringComparison.Ordinal);
        var attempt = (await page.Locator("section table tbody tr").First.Locator("th, td").AllInnerTextsAsync()).Select(t => t.Trim()).ToList();
        Assert.Equal(("1", "succeeded", "200"), (attempt[0], attempt[3], attempt[4]));

        await page.GotoAsync($"{_hub.Rig.Url}/incidents/inc_nope");
        Assert.Equal("Incident not found", await page.GetByRole(AriaRole.Heading, new() { Level = 1 }).InnerTextAsync());
        var missing = await page.Context.APIRequest.GetAsync($"{_hub.Rig.Url}/incidents/inc_nope");
        Assert.Equal(404, missing.Status);
    }

    [Fact]
    public async Task AnOperator_Acknowledges_AndTheStoreAndThePageSayWho()
    {
        var silence = await _hub.IncidentAsync("silence");
        var page = await _hub.Rig.SignInAsync("operator");
        await page.GotoAsync($"{_hub.Rig.Url}/incidents/{silence.Id}");

        await page.GetByLabel("Note (optional)").FillAsync("looking at the CRM's webhook");
        await page.GetByRole(AriaRole.Button, new() { Name = "Acknowledge" }).ClickAsync();
        await page.WaitForURLAsync($"{_hub.Rig.Url}/incidents/{silence.Id}");

        var stored = (await _hub.Store.GetIncidentAsync(silence.Id, default))!;
        Assert.Equal(IncidentStatus.Acknowledged, stored.Status);
        Assert.Equal("dashboard:operator", stored.AcknowledgedBy);
        Assert.Equal("looking at the CRM's webhook", stored.AcknowledgementNote);
        Assert.StartsWith("Acknowledged as dashboard:operator.", await page.GetByTestId("notice").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("acknowledged", await page.GetByTestId("incident-status").InnerTextAsync());
        Assert.Contains("by dashboard:operator", await page.GetByTestId("acknowledged").InnerTextAsync(), StringComparison.Ordinal);
        await DashboardRig.ScreenshotAsync(page, "incident-acknowledged");

        // The list now puts it after the open ones, saying who.
        await page.GotoAsync(_hub.Rig.Url + "/incidents");
        var last = page.GetByTestId("unresolved").Locator("tbody tr").Last;
        Assert.Equal("system crm", (await last.Locator("th").InnerTextAsync()).Trim());
        Assert.Contains("acknowledged by dashboard:operator", await last.InnerTextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AViewer_SeesNoButton_AndAForgedPostWithAValidToken_IsRefused()
    {
        var dead = await _hub.IncidentAsync("dead_letter");
        var page = await _hub.Rig.SignInAsync("viewer");
        await page.GotoAsync($"{_hub.Rig.Url}/incidents/{dead.Id}");
        Assert.Equal(0, await page.GetByRole(AriaRole.Button, new() { Name = "Acknowledge" }).CountAsync());

        // The sign-out form carries this session's antiforgery token: the post passes that check and meets the role check.
        var token = await page.Locator("form.signout input[name='__concord_csrf']").GetAttributeAsync("value");
        var form = page.Context.APIRequest.CreateFormData();
        form.Set("__concord_csrf", token!);
        form.Set("note", "forged");
        var forged = await page.Context.APIRequest.PostAsync($"{_hub.Rig.Url}/incidents/{dead.Id}?handler=Acknowledge", new() { Form = form, MaxRedirects = 0 });

        Assert.Equal(403, forged.Status);
        Assert.Equal("Your role does not allow this. Ask an admin if you need it.", await forged.TextAsync());
        var stored = (await _hub.Store.GetIncidentAsync(dead.Id, default))!;
        Assert.Equal(IncidentStatus.Open, stored.Status);
        Assert.Null(stored.AcknowledgedBy);
    }

    [Fact]
    public async Task OnAPhone_AnIncidentsPage_DoesNotScrollSideways()
    {
        var dead = await _hub.IncidentAsync("dead_letter");
        var page = await _hub.Rig.SignInAsync("operator", 390, 844);
        foreach (var path in new[] { "/incidents", $"/incidents/{dead.Id}" })
        {
            await page.GotoAsync(_hub.Rig.Url + path);
            var width = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
            Assert.True(width <= 390, $"{path} is {width.ToString(CultureInfo.InvariantCulture)} px wide on a 390 px screen");
        }

        await DashboardRig.ScreenshotAsync(page, "incident-phone");
    }
}
