using System.Globalization;
using Concord.Testing;
using Microsoft.Playwright;

namespace Concord.Dashboard.Tests;

/// <summary>The Settings page: the configuration file with secrets kept out, its validation now, a summary and the users; admins only.</summary>
public sealed class SettingsPageTests : IAsyncLifetime
{
    private const string InlineSecret = "inline-secret-typed-into-the-file";

    private static readonly string Yaml = TestConfigs.TwoSystems("http://127.0.0.1:9/crm", "http://127.0.0.1:9/sink") + "\n" + """
        alerts:
          channels:
            ops: { via: sink }
          rules:
            - { rule: dead_letter, to: [ops] }
            - { rule: circuit_open, systems: [sink] }
        """;

    private DashboardRig _rig = null!;

    public async Task InitializeAsync() => _rig = await DashboardRig.StartAsync(Yaml, configFile: true);

    public async Task DisposeAsync() => await _rig.DisposeAsync();

    [Fact]
    public async Task AnAdmin_SeesTheFile_ItsValidation_TheSummary_AndTheUsers_WithoutASecretValue()
    {
        var page = await _rig.SignInAsync("admin");
        await page.GotoAsync(_rig.Url + "/settings");

        Assert.Equal("Settings", await page.GetByRole(AriaRole.Heading, new() { Level = 1 }).InnerTextAsync());
        Assert.Contains("No problems", await page.GetByTestId("validation").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains(_rig.Hub.ConfigPath!, await page.GetByTestId("source").InnerTextAsync(), StringComparison.Ordinal);
        var text = await page.GetByTestId("config-text").InnerTextAsync();
        Assert.Contains("webhook_secret: { env: CRM_WEBHOOK_SECRET }", text, StringComparison.Ordinal);
        Assert.Contains("signing_secret: { env: SINK_SIGNING_SECRET }", text, StringComparison.Ordinal);

        Assert.Equal(["crm", "http", "customer two-way"], Pick(await CellsAsync(page, "systems", "crm", 4), 0, 1, 3));
        Assert.Equal(["sink", "http", "customer push"], Pick(await CellsAsync(page, "systems", "sink", 4), 0, 1, 3));
        Assert.Contains("signing_secret: { env: SINK_SIGNING_SECRET }", await Row(page, "systems", "sink").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(["customer", "crm", "none", "crm, sink"], await CellsAsync(page, "types", "customer", 4));
        Assert.Equal(["ops", "sink"], await CellsAsync(page, "channels", "ops", 2));
        Assert.Equal(["dead_letter", "dead_letter", "ops", "everything"], await CellsAsync(page, "rules", "dead_letter", 4));
        Assert.Equal(["circuit_open", "circuit_open", "every channel", "systems sink"], await CellsAsync(page, "rules", "circuit_open", 4));
        Assert.Equal(["admin", "admin"], await CellsAsync(page, "users", "admin", 2));
        Assert.Equal(["operator", "operator"], await CellsAsync(page, "users", "operator", 2));
        Assert.Equal(["viewer", "viewer"], await CellsAsync(page, "users", "viewer", 2));

        var html = await page.ContentAsync();
        foreach (var secret in TestConfigs.Secrets.Values)
        {
            Assert.DoesNotContain(secret, html, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("AQAAAA", html, StringComparison.Ordinal); // the start of every password hash Identity writes
        await DashboardRig.ScreenshotAsync(page, "settings-admin");

        var phone = await _rig.Browser.NewPageAsync(390, 844, await page.Context.StorageStateAsync());
        await phone.GotoAsync(_rig.Url + "/settings");
        var width = await phone.EvaluateAsync<int>("document.documentElement.scrollWidth");
        Assert.True(width <= 390, $"the page is {width.ToString(CultureInfo.InvariantCulture)} px wide on a 390 px screen");
        await DashboardRig.ScreenshotAsync(phone, "settings-phone");
    }

    [Fact]
    public async Task AFileEditedAfterStart_IsValidatedAsItIsNow_AndALiteralSecretInItIsMasked()
    {
        // Someone writes a secret into the file while the hub runs: the page must show the problem, not the secret.
        var edited = Yaml.Replace("webhook_secret: { env: CRM_WEBHOOK_SECRET }", "webhook_secret: " + InlineSecret, StringComparison.Ordinal);
        await File.WriteAllTextAsync(_rig.Hub.ConfigPath!, edited);
        var lines = edited.Split('\n');
        var secretLine = Array.FindIndex(lines, l => l.Contains(InlineSecret, StringComparison.Ordinal));
        var where = $"concord.yaml:{(secretLine + 1).ToString(CultureInfo.InvariantCulture)}:{(lines[secretLine].IndexOf(InlineSecret, StringComparison.Ordinal) + 1).ToString(CultureInfo.InvariantCulture)}";

        var page = await _rig.SignInAsync("admin");
        await page.GotoAsync(_rig.Url + "/settings");

        Assert.StartsWith("1 error(s) and 0 warning(s) in the file as it is now.", await page.GetByTestId("validation").InnerTextAsync(), StringComparison.Ordinal);
        var problems = page.GetByTestId("problems");
        var inline = problems.GetByRole(AriaRole.Row).Filter(new() { HasText = "inline-secret" });
        Assert.Equal(where, (await inline.Locator("td").First.InnerTextAsync()).Trim());
        Assert.Equal("error", (await inline.Locator("td").Nth(1).InnerTextAsync()).Trim());
        Assert.Contains("systems.crm.settings.webhook_secret is a secret and must not be written in the file", await inline.InnerTextAsync(), StringComparison.Ordinal);

        var text = await page.GetByTestId("config-text").InnerTextAsync();
        Assert.Contains("webhook_secret: <redacted>", text, StringComparison.Ordinal);
        Assert.DoesNotContain(InlineSecret, await page.ContentAsync(), StringComparison.Ordinal);
        await DashboardRig.ScreenshotAsync(page, "settings-problems");
    }

    [Fact]
    public async Task ViewersAndOperators_AreRefusedWith403_InPlace_AndAnonymousUsersAreSentToSignIn()
    {
        foreach (var role in new[] { "viewer", "operator" })
        {
            var page = await _rig.SignInAsync(role);
            var answer = await page.GotoAsync(_rig.Url + "/settings");

            // The refusal is the page at the address asked for, not a redirect to another one.
            Assert.Equal(403, answer!.Status);
            Assert.Equal(_rig.Url + "/settings", page.Url);
            Assert.Equal("Not allowed", await page.GetByRole(AriaRole.Heading, new() { Level = 1 }).InnerTextAsync());
            Assert.Equal("Your role does not allow this. Ask an admin if you need it.", await page.GetByTestId("denied").InnerTextAsync());
            Assert.Equal(9, await page.GetByRole(AriaRole.Navigation, new() { Name = "Dashboard" }).GetByRole(AriaRole.Link).CountAsync());
            Assert.Equal("/dashboard", await page.GetByRole(AriaRole.Link, new() { Name = "Back to the overview" }).GetAttributeAsync("href"));
            Assert.Contains($"({role})", await page.Locator(".who").InnerTextAsync(), StringComparison.Ordinal);
            Assert.DoesNotContain("CRM_WEBHOOK_SECRET", await page.ContentAsync(), StringComparison.Ordinal);

            var direct = await page.Context.APIRequest.GetAsync(_rig.Url + "/settings", new() { MaxRedirects = 0 });
            Assert.Equal(403, direct.Status);
            Assert.False(direct.Headers.ContainsKey("location"));

            // A post is refused the same way, with the sentence alone.
            var form = page.Context.APIRequest.CreateFormData();
            form.Set("__concord_csrf", (await page.Locator("form.signout input[name=__concord_csrf]").GetAttributeAsync("value"))!);
            var posted = await page.Context.APIRequest.PostAsync(_rig.Url + "/settings", new() { Form = form, MaxRedirects = 0 });
            Assert.Equal(403, posted.Status);
            Assert.StartsWith("text/plain", posted.Headers["content-type"], StringComparison.Ordinal);
            Assert.Equal("Your role does not allow this. Ask an admin if you need it.", await posted.TextAsync());
            if (role == "viewer")
            {
                await DashboardRig.ScreenshotAsync(page, "settings-denied");
            }
        }

        // An unknown address under the dashboard is still a plain 404, not the refusal.
        var admin = await _rig.SignInAsync("admin");
        var unknown = await admin.Context.APIRequest.GetAsync(_rig.Url + "/no-such-page", new() { MaxRedirects = 0 });
        Assert.Equal(404, unknown.Status);
        Assert.DoesNotContain("Not allowed", await unknown.TextAsync(), StringComparison.Ordinal);

        var anonymous = await _rig.Browser.NewPageAsync();
        var signIn = await anonymous.Context.APIRequest.GetAsync(_rig.Url + "/settings", new() { MaxRedirects = 0 });
        Assert.Equal(302, signIn.Status);
        Assert.Contains("/dashboard/signin?ReturnUrl=%2Fdashboard%2Fsettings", signIn.Headers["location"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task AHubStartedFromAConfigurationInMemory_SaysSo_AndShowsWhatItRunsWith()
    {
        await using var rig = await DashboardRig.StartAsync(Yaml);
        var page = await rig.SignInAsync("admin");
        await page.GotoAsync(rig.Url + "/settings");

        Assert.Contains("built in memory", await page.GetByTestId("source").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await page.GetByTestId("config-text").CountAsync());
        Assert.Contains("No problems", await page.GetByTestId("validation").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(["crm", "http", "customer two-way"], Pick(await CellsAsync(page, "systems", "crm", 4), 0, 1, 3));
        await DashboardRig.ScreenshotAsync(page, "settings-in-memory");
    }

    private static string[] Pick(string[] cells, params int[] indexes) => indexes.Select(i => cells[i]).ToArray();

    private static ILocator Row(IPage page, string table, string first) =>
        page.GetByTestId(table).Locator("tbody tr").Filter(new() { Has = page.Locator($"th:text-is('{first}')") });

    private static async Task<string[]> CellsAsync(IPage page, string table, string first, int count) =>
        (await Row(page, table, first).Locator("th, td").AllInnerTextsAsync()).Take(count).Select(t => t.Trim()).ToArray();
}
