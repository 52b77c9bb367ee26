using System.Globalization;
using Concord.Engine.Storage;
using Concord.Testing;
using Microsoft.Playwright;

namespace Concord.Dashboard.Tests;

/// <summary>
/// Customer 360's record page, in a real browser: provenance per field, the record in Stripe with a link into Stripe's
/// dashboard, one timeline (an invoice, the delivery to Stripe), merge and unmerge from the page, and a viewer's view.
/// </summary>
public sealed class RecordPageTests : IAsyncLifetime
{
    private PeopleStack _stack = null!;
    private string _annId = "";
    private string _stripeId = "";

    public async Task InitializeAsync()
    {
        _stack = await PeopleStack.StartAsync();
        await _stack.PostAsync("customer", "c1", """{"email":"ann.lee@acme.example","name":"Ann Lee","phone":"+1 (217) 555-0100","company":"Acme Corp"}""");
        await _stack.PostAsync("invoice", "inv1", """{"number":"INV-1001","customer":"c1","amount":3200,"currency":"usd","status":"open"}""");
        var (ann, stripeId) = await _stack.CustomerInStripeAsync("ann.lee@acme.example");
        _annId = ann.Id;
        _stripeId = stripeId;
    }

    public async Task DisposeAsync() => await _stack.DisposeAsync();

    private string Page(string id) => _stack.Rig.Url + "/records/customer/" + id;

    [Fact]
    public async Task TheRecordPage_ShowsProvenance_TheStripeLink_AndOneTimeline()
    {
        var page = await _stack.Rig.SignInAsync("operator");
        await page.GotoAsync(Page(_annId));
        Assert.Equal("Ann Lee", await page.GetByRole(AriaRole.Heading, new() { Level = 1 }).InnerTextAsync());

        var email = page.GetByTestId("fields").GetByRole(AriaRole.Row).Filter(new() { Has = page.Locator("th", new() { HasTextString = "email" }) });
        var cells = (await email.Locator("th, td").AllInnerTextsAsync()).Select(t => t.Trim()).ToList();
        Assert.Equal(["email", "ann.lee@acme.example", "crm", "c1"], cells.Take(4));
        Assert.Matches(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC \(v1\)$", cells[4]);

        var stripe = page.GetByTestId("links").GetByRole(AriaRole.Link, new() { NameString = _stripeId });
        Assert.Equal("https://dashboard.stripe.com/customers/" + _stripeId, await stripe.GetAttributeAsync("href"));
        Assert.Contains("crm", await page.GetByTestId("links").InnerTextAsync(), StringComparison.Ordinal);

        var delivery = Assert.Single(await _stack.Hub.Store.QueryDeliveriesAsync(new DeliveryQuery(System: "stripe", RecordId: _annId), default));
        var timeline = page.GetByTestId("timeline");
        Assert.Equal("/dashboard/deliveries/" + delivery.Id.ToString(CultureInfo.InvariantCulture),
            await timeline.GetByRole(AriaRole.Link, new() { NameString = "upsert of version 1 to stripe: succeeded" }).GetAttributeAsync("href"));
        var invoice = timeline.GetByRole(AriaRole.Link).Filter(new() { HasTextString = "invoice INV-1001" });
        Assert.Contains("status open", await invoice.InnerTextAsync(), StringComparison.Ordinal);
        await invoice.ClickAsync();
        await page.WaitForURLAsync(u => u.Contains("/dashboard/records/invoice/", StringComparison.Ordinal));
        Assert.Equal("INV-1001", await page.GetByRole(AriaRole.Heading, new() { Level = 1 }).InnerTextAsync());
        await page.GoBackAsync();
        await DashboardRig.ScreenshotAsync(page, "record-page");

        var missing = await page.GotoAsync(Page("rec_nope"));
        Assert.Equal(404, missing!.Status);
        Assert.Equal("Record not found", await page.GetByRole(AriaRole.Heading, new() { Level = 1 }).InnerTextAsync());
    }

    [Fact]
    public async Task AnOperator_MergesAnotherRecordIn_ThenUnmergesIt_AndTheStoreFollows()
    {
        await _stack.PostAsync("customer", "c9", """{"email":"a.lee@acme.example","name":"Ann Lee (old)"}""");
        var (twin, _) = await _stack.CustomerInStripeAsync("a.lee@acme.example");

        var page = await _stack.Rig.SignInAsync("operator");
        await page.GotoAsync(Page(_annId));
        await page.GetByLabel("Merge with…").FillAsync("a.lee@acme.example");
        await page.GetByRole(AriaRole.Button, new() { Name = "Merge into this record" }).ClickAsync();
        await page.WaitForURLAsync(Page(_annId));
        Assert.StartsWith($"Merged {twin.Id} into this record", await page.GetByTestId("notice").InnerTextAsync(), StringComparison.Ordinal);

        Assert.Null(await _stack.Hub.Store.GetRecordAsync(twin.Id, default));
        var merge = Assert.Single(await _stack.Hub.Store.GetMergesAsync(_annId, default));
        Assert.Equal("dashboard:operator", merge.By);
        Assert.Contains(await _stack.Hub.Store.GetLinksAsync(_annId, default), l => l.System == "crm" && l.ExternalId == "c9");

        // The merged-away id leads to the record it became part of.
        await page.GotoAsync(Page(twin.Id));
        Assert.Equal(Page(_annId), page.Url);
        await DashboardRig.ScreenshotAsync(page, "record-merged");

        await page.GetByRole(AriaRole.Button, new() { Name = "Unmerge " + twin.Id }).ClickAsync();
        await page.WaitForURLAsync(Page(_annId));
        Assert.StartsWith("Unmerged", await page.GetByTestId("notice").InnerTextAsync(), StringComparison.Ordinal);
        Assert.NotNull(await _stack.Hub.Store.GetRecordAsync(twin.Id, default));
        Assert.NotNull(Assert.Single(await _stack.Hub.Store.GetMergesAsync(_annId, default)).UndoneAt);
        Assert.DoesNotContain(await _stack.Hub.Store.GetLinksAsync(_annId, default), l => l.ExternalId == "c9");
        Assert.Contains("undone", await page.GetByTestId("merges").InnerTextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AViewer_SeesMaskedValues_NoButtons_AndAForgedMergeIsRefused()
    {
        await _stack.PostAsync("customer", "c9", """{"email":"a.lee@acme.example","name":"Ann Lee (old)"}""");
        var (twin, _) = await _stack.CustomerInStripeAsync("a.lee@acme.example");

        var page = await _stack.Rig.SignInAsync("viewer", 390, 844);
        await page.GotoAsync(Page(_annId));
        var html = await page.ContentAsync();
        foreach (var clear in new[] { "ann.lee@acme.example", "Ann Lee", "555-0100", "2175550100" })
        {
            Assert.DoesNotContain(clear, html, StringComparison.Ordinal);
        }

        Assert.Equal("A*** L***", await page.GetByRole(AriaRole.Heading, new() { Level = 1 }).InnerTextAsync());
        Assert.Contains("a***@acme.example", await page.GetByTestId("fields").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await page.GetByLabel("Merge with…").CountAsync());
        Assert.Equal(0, await page.GetByRole(AriaRole.Button, new() { Name = "Merge into this record" }).CountAsync());

        var width = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
        Assert.True(width <= 390, $"the page is {width.ToString(CultureInfo.InvariantCulture)} px wide on a 390 px screen");
        await DashboardRig.ScreenshotAsync(page, "record-viewer-phone");

        // A valid session and antiforgery token (the sign-out form's) are not enough: the server checks the role.
        var token = await page.Locator("input[name=__concord_csrf]").First.GetAttributeAsync("value");
        var form = page.Context.APIRequest.CreateFormData();
        form.Set("__concord_csrf", token!);
        form.Set("other", twin.Id);
        var forged = await page.Context.APIRequest.PostAsync(Page(_annId) + "?handler=Merge", new() { Form = form, MaxRedirects = 0 });
        Assert.Equal(403, forged.Status);
        Assert.NotNull(await _stack.Hub.Store.GetRecordAsync(twin.Id, default));
        Assert.Empty(await _stack.Hub.Store.GetMergesAsync(_annId, default));
    }
}
