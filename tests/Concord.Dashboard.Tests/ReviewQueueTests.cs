using System.Globalization;
using System.Net;
using Concord.Testing;
using Microsoft.Playwright;

namespace Concord.Dashboard.Tests;

/// <summary>
/// The review queue in a real browser: look-alike companies scored by the matcher, a pair compared side by side and
/// merged (then unmerged from the record page), pairs rejected in bulk, and a viewer who can look but not act.
/// </summary>
public sealed class ReviewQueueTests : IAsyncLifetime
{
    private DashboardRig _rig = null!;

    public async Task InitializeAsync()
    {
        var yaml = TestConfigs.TwoSystems("http://127.0.0.1:9/crm", "http://127.0.0.1:9/sink")
            .Replace("  customer:\n    owner: crm\n    identity: [email]", "  company:\n    owner: crm\n    matching: { model: company, merge: 0.95, review: 0.5 }", StringComparison.Ordinal)
            .Replace("- { system: sink, type: customer, direction: push }", "", StringComparison.Ordinal)
            .Replace("{ system: crm, type: customer, direction: two-way }", "{ system: crm, type: company, direction: pull }", StringComparison.Ordinal);
        _rig = await DashboardRig.StartAsync(yaml);
        await CompanyAsync("1", """{"name":"Acme Corp","domain":"acme.com","city":"Springfield","owner_email":"wile@acme.com"}""");
        await CompanyAsync("2", """{"name":"ACME Corporation","city":"Springfield","owner_email":"road.runner@acme.com"}""");
        await CompanyAsync("3", """{"name":"Acme Corp.","city":"Springfield","phone":"+1 217 555 0100"}""");
        await Eventually.TrueAsync(async () =>
            (await _rig.Hub.Store.QueryFindingsAsync(new Engine.Storage.FindingQuery("possible-duplicate"), default)).Count == 3, "three look-alike pairs");
    }

    public async Task DisposeAsync() => await _rig.DisposeAsync();

    private async Task CompanyAsync(string externalId, string fields)
    {
        using var posted = await _rig.Hub.PostChangesAsync("crm", $$"""{"type":"company","external_id":"{{externalId}}","fields":{{fields}}}""");
        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
    }

    private Task<Engine.Storage.Finding?> FindingAsync(string id) => _rig.Hub.Store.ExecuteAsync(tx => tx.LoadFinding(id), default);

    [Fact]
    public async Task AnOperator_ComparesAPair_MergesIt_AndUnmergesItFromTheRecordPage()
    {
        var page = await _rig.SignInAsync("operator");
        await page.GotoAsync(_rig.Url + "/review");
        Assert.Equal(3, await page.GetByTestId("pairs").Locator("tbody tr").CountAsync());
        await DashboardRig.ScreenshotAsync(page, "review-queue");

        await page.GetByTestId("pairs").GetByRole(AriaRole.Link, new() { Name = "Compare" }).First.ClickAsync();
        await page.WaitForURLAsync(u => u.Contains("/dashboard/review/fnd_", StringComparison.Ordinal));
        var findingId = page.Url[(page.Url.LastIndexOf('/') + 1)..];
        var finding = (await FindingAsync(findingId))!;

        // Field by field, agreement said in words; the score and the matcher's reasons.
        var city = (await page.GetByTestId("side-by-side").GetByRole(AriaRole.Row).Filter(new() { Has = page.Locator("th", new() { HasTextString = "city" }) })
            .Locator("th, td").AllInnerTextsAsync()).Select(t => t.Trim()).ToList();
        Assert.Equal(["city", "Springfield", "Springfield", "same"], city);
        var name = (await page.GetByTestId("side-by-side").GetByRole(AriaRole.Row).Filter(new() { Has = page.Locator("th", new() { HasTextString = "name" }) })
            .Locator("td").Last.InnerTextAsync()).Trim();
        Assert.Equal("different", name);
        var score = double.Parse((await page.GetByTestId("score").Locator(".big").InnerTextAsync()).TrimEnd('%'), CultureInfo.InvariantCulture);
        Assert.InRange(score, 50, 95);
        Assert.Contains("name", await page.GetByTestId("reasons").InnerTextAsync(), StringComparison.Ordinal);
        await DashboardRig.ScreenshotAsync(page, "review-pair");

        await page.GetByRole(AriaRole.Button, new() { Name = "Merge", Exact = true }).ClickAsync();
        var survivorPage = _rig.Url + "/records/company/" + finding.OtherRecordId;
        await page.WaitForURLAsync(survivorPage);
        Assert.StartsWith($"Merged {finding.RecordId} into {finding.OtherRecordId}", await page.GetByTestId("notice").InnerTextAsync(), StringComparison.Ordinal);

        // One golden record, the finding closed.
        Assert.Null(await _rig.Hub.Store.GetRecordAsync(finding.RecordId, default));
        Assert.NotNull((await FindingAsync(findingId))!.ResolvedAt);
        var merge = Assert.Single(await _rig.Hub.Store.GetMergesAsync(finding.OtherRecordId!, default));
        Assert.Equal("dashboard:operator", merge.By);

        // Unmerge from the record page: two records again.
        await page.GetByRole(AriaRole.Button, new() { Name = "Unmerge " + finding.RecordId }).ClickAsync();
        await page.WaitForURLAsync(survivorPage);
        Assert.NotNull(await _rig.Hub.Store.GetRecordAsync(finding.RecordId, default));
        Assert.NotNull(await _rig.Hub.Store.GetRecordAsync(finding.OtherRecordId!, default));
        Assert.NotNull(Assert.Single(await _rig.Hub.Store.GetMergesAsync(finding.OtherRecordId!, default)).UndoneAt);
    }

    [Fact]
    public async Task AnOperator_RejectsPairsInBulk()
    {
        var page = await _rig.SignInAsync("operator");
        await page.GotoAsync(_rig.Url + "/review");
        var boxes = page.GetByTestId("pairs").GetByRole(AriaRole.Checkbox);
        var chosen = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            await boxes.Nth(i).CheckAsync();
            chosen.Add((await boxes.Nth(i).GetAttributeAsync("value"))!);
        }

        await page.GetByRole(AriaRole.Button, new() { Name = "Reject chosen" }).ClickAsync();
        await page.WaitForURLAsync(_rig.Url + "/review");
        Assert.Equal("Rejected 2 pairs.", await page.GetByTestId("notice").InnerTextAsync());
        Assert.Equal(1, await page.GetByTestId("pairs").Locator("tbody tr").CountAsync());
        foreach (var id in chosen)
        {
            Assert.NotNull((await FindingAsync(id))!.ResolvedAt);
        }

        // Nothing ticked: said, and nothing done.
        await page.GetByRole(AriaRole.Button, new() { Name = "Merge chosen" }).ClickAsync();
        await page.WaitForURLAsync(_rig.Url + "/review");
        Assert.Equal("Nothing done: tick the pairs first.", await page.GetByTestId("problem").InnerTextAsync());
        Assert.Single(await _rig.Hub.Store.QueryFindingsAsync(new Engine.Storage.FindingQuery("possible-duplicate"), default));
    }

    [Fact]
    public async Task AViewer_SeesThePairsMasked_WithoutButtons_AndAForgedMergeIsRefused()
    {
        var page = await _rig.SignInAsync("viewer", 390, 844);
        await page.GotoAsync(_rig.Url + "/review");
        Assert.Equal(3, await page.GetByTestId("pairs").Locator("tbody tr").CountAsync());
        Assert.Equal(0, await page.GetByRole(AriaRole.Checkbox).CountAsync());
        Assert.Equal(0, await page.GetByRole(AriaRole.Button, new() { Name = "Merge chosen" }).CountAsync());

        var open = await _rig.Hub.Store.QueryFindingsAsync(new Engine.Storage.FindingQuery("possible-duplicate"), default);
        Engine.Storage.Finding? pair = null;
        foreach (var f in open)
        {
            var left = await _rig.Hub.Store.GetRecordAsync(f.RecordId, default);
            var right = await _rig.Hub.Store.GetRecordAsync(f.OtherRecordId!, default);
            pair = left?.ValueOf("owner_email") is not null && right?.ValueOf("owner_email") is not null ? f : pair;
        }

        // The pair of the two companies with an owner's email (personal data): shown masked, side by side.
        Assert.NotNull(pair);
        await page.GotoAsync(_rig.Url + "/review/" + pair.Id);
        Assert.Equal(0, await page.GetByRole(AriaRole.Button, new() { Name = "Merge", Exact = true }).CountAsync());
        var ownerRow = (await page.GetByTestId("side-by-side").GetByRole(AriaRole.Row).Filter(new() { Has = page.Locator("th", new() { HasTextString = "owner_email" }) })
            .Locator("td").AllInnerTextsAsync()).Select(t => t.Trim()).ToList();
        Assert.Equal("different", ownerRow[2]);
        Assert.Equal(["r***@acme.com", "w***@acme.com"], ownerRow.Take(2).Order(StringComparer.Ordinal));
        var html = await page.ContentAsync();
        Assert.DoesNotContain("wile@acme.com", html, StringComparison.Ordinal);
        Assert.DoesNotContain("road.runner@acme.com", html, StringComparison.Ordinal);
        var width = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
        Assert.True(width <= 390, $"the page is {width.ToString(CultureInfo.InvariantCulture)} px wide on a 390 px screen");
        await DashboardRig.ScreenshotAsync(page, "review-pair-viewer-phone");

        var token = await page.Locator("input[name=__concord_csrf]").First.GetAttributeAsync("value");
        var form = page.Context.APIRequest.CreateFormData();
        form.Set("__concord_csrf", token!);
        var forged = await page.Context.APIRequest.PostAsync(_rig.Url + "/review/" + pair.Id + "?handler=Merge", new() { Form = form, MaxRedirects = 0 });
        Assert.Equal(403, forged.Status);
        var bulk = page.Context.APIRequest.CreateFormData();
        bulk.Set("__concord_csrf", token!);
        bulk.Set("ids", pair.Id);
        Assert.Equal(403, (await page.Context.APIRequest.PostAsync(_rig.Url + "/review?handler=Reject", new() { Form = bulk, MaxRedirects = 0 })).Status);
        Assert.Null((await FindingAsync(pair.Id))!.ResolvedAt);
        Assert.Empty(await _rig.Hub.Store.GetMergesAsync(pair.RecordId, default));
    }
}
