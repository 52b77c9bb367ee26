using System.Globalization;
using Microsoft.Playwright;

namespace Concord.Dashboard.Tests;

/// <summary>Customer 360's search box, in a real browser: by email, phone digits, another system's id, company; lists; masking for viewers.</summary>
public sealed class CustomerSearchTests : IAsyncLifetime
{
    private PeopleStack _stack = null!;
    private string _stripeId = "";

    public async Task InitializeAsync()
    {
        _stack = await PeopleStack.StartAsync();
        await _stack.PostAsync("customer", "c1", """{"email":"ann.lee@acme.example","name":"Ann Lee","phone":"+1 (217) 555-0100","company":"Acme Corp"}""");
        await _stack.PostAsync("customer", "c2", """{"email":"bob@globex.example","name":"Bob Stone","phone":"+44 20 7946 0958"}""");
        await _stack.PostAsync("company", "co1", """{"name":"Acme Corp","domain":"acme.example"}""");
        (_, _stripeId) = await _stack.CustomerInStripeAsync("ann.lee@acme.example");
    }

    public async Task DisposeAsync() => await _stack.DisposeAsync();

    private static async Task<IReadOnlyList<string>> NamesAsync(IPage page) =>
        [.. (await page.GetByTestId("results").Locator("tbody th").AllInnerTextsAsync()).Select(t => t.Trim())];

    private static async Task SearchAsync(IPage page, string query)
    {
        await page.GetByLabel("Search").FillAsync(query);
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await page.WaitForURLAsync(u => u.Contains("q=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnOperator_FindsACustomer_ByEmail_PhoneDigits_StripeId_AndCompany()
    {
        var page = await _stack.Rig.SignInAsync("operator");
        await page.GotoAsync(_stack.Rig.Url + "/records");
        Assert.Equal("Customer 360", await page.GetByRole(AriaRole.Heading, new() { Level = 1 }).InnerTextAsync());

        await SearchAsync(page, "ANN.LEE@acme.example");
        Assert.Equal(["Ann Lee"], await NamesAsync(page));
        var row = page.GetByTestId("results").Locator("tbody tr").First;
        Assert.Equal(["Ann Lee", "ann.lee@acme.example", "customer", "crm, stripe"], (await row.Locator("th, td").AllInnerTextsAsync()).Take(4).Select(t => t.Trim()));
        await DashboardRig.ScreenshotAsync(page, "customers-search-email");

        // Digits only, whatever the separators on either side.
        await SearchAsync(page, "2175550100");
        Assert.Equal(["Ann Lee"], await NamesAsync(page));
        await SearchAsync(page, "20-7946-0958");
        Assert.Equal(["Bob Stone"], await NamesAsync(page));

        // The id Stripe gave the customer when the hub pushed it there.
        await SearchAsync(page, _stripeId);
        Assert.Equal(["Ann Lee"], await NamesAsync(page));

        // A company name finds the company and the customer working there, each with its type.
        await SearchAsync(page, "acme corp");
        var types = await page.GetByTestId("results").Locator("tbody td:nth-child(3)").AllInnerTextsAsync();
        Assert.Equal(["company", "customer"], types.Select(t => t.Trim()).Order(StringComparer.Ordinal));

        // The result opens the record page.
        await SearchAsync(page, "ann.lee@acme.example");
        await page.GetByRole(AriaRole.Link, new() { Name = "Ann Lee" }).ClickAsync();
        await page.WaitForURLAsync(u => u.Contains("/dashboard/records/customer/", StringComparison.Ordinal));
        Assert.Equal("Ann Lee", await page.GetByRole(AriaRole.Heading, new() { Level = 1 }).InnerTextAsync());

        await page.GotoAsync(_stack.Rig.Url + "/records");
        await SearchAsync(page, "nobody@nowhere.example");
        Assert.Contains("No record matches", await page.GetByTestId("no-results").InnerTextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AType_WithoutAQuery_ListsItsRecentRecords_AndAnUnknownTypeIsExplained()
    {
        var page = await _stack.Rig.SignInAsync("operator");
        await page.GotoAsync(_stack.Rig.Url + "/records?type=customer");
        Assert.Equal(["Bob Stone", "Ann Lee"], await NamesAsync(page));
        Assert.StartsWith("2 records, most recently changed first", (await page.GetByTestId("result-count").InnerTextAsync()).Trim(), StringComparison.Ordinal);

        var answer = await page.GotoAsync(_stack.Rig.Url + "/records?type=supplier");
        Assert.Equal(400, answer!.Status);
        Assert.Contains("There is no record type 'supplier'", await page.GetByTestId("search-problem").InnerTextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AViewer_SeesPersonalDataMasked_AndTheResultsFitAPhone()
    {
        var page = await _stack.Rig.SignInAsync("viewer", 390, 844);
        await page.GotoAsync(_stack.Rig.Url + "/records?q=" + Uri.EscapeDataString("ann.lee@acme.example"));
        var row = page.GetByTestId("results").Locator("tbody tr").First;
        Assert.Equal(["A*** L***", "a***@acme.example"], (await row.Locator("th, td").AllInnerTextsAsync()).Take(2).Select(t => t.Trim()));
        var html = await page.ContentAsync();
        Assert.DoesNotContain("ann.lee@acme.example", html.Replace("value=\"ann.lee@acme.example\"", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("Ann Lee", html, StringComparison.Ordinal);

        var width = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
        Assert.True(width <= 390, $"the page is {width.ToString(CultureInfo.InvariantCulture)} px wide on a 390 px screen");
        await DashboardRig.ScreenshotAsync(page, "customers-search-viewer-phone");
    }
}
