using System.Globalization;
using System.Text;
using System.Text.Json;
using Concord.Testing;
using Microsoft.Playwright;

namespace Concord.Dashboard.Tests;

/// <summary>
/// Every dashboard page, checked with axe-core in Chromium against a hub with something to show: a violation of
/// impact serious or critical fails the test, with each violation's rule, impact and the elements it found.
/// </summary>
public sealed class AccessibilityTests(AccessibilityTests.Hub hub) : IClassFixture<AccessibilityTests.Hub>
{
    /// <summary>The pages checked: <see cref="DashboardPage.All"/>, where a page is added when it is built.</summary>
    public static readonly TheoryData<string> Pages = new(DashboardPage.All.Select(p => p.Name));

    private static readonly string[] Failing = ["serious", "critical"];

    private DashboardRig Rig => hub.Rig;

    /// <summary>One hub for every page, with something to show: the sink's delivery dies, so the overview and the audit have a problem.</summary>
    public sealed class Hub : IAsyncLifetime
    {
        public DashboardRig Rig { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Rig = await DashboardRig.StartAsync(TestConfigs.TwoSystems("http://127.0.0.1:9/crm", "http://127.0.0.1:9/sink", "{ max_attempts: 1, initial_delay: 10ms, max_delay: 10ms, timeout: 1s }"), configFile: true);
            using (var posted = await Rig.Hub.PostChangesAsync("crm", """[{"type":"customer","external_id":"c1","fields":{"email":"ann@acme.example","name":"Ann"}}]"""))
            {
                Assert.True(posted.IsSuccessStatusCode);
            }

            await Eventually.TrueAsync(async () => (await Rig.Hub.Store.GetHealthAsync(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1), default)).DeliveriesDead == 1, "the sink's delivery died");
        }

        public async Task DisposeAsync() => await Rig.DisposeAsync();
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task APage_HasNoSeriousOrCriticalViolation(string name)
    {
        var target = DashboardPage.All.Single(p => p.Name == name);
        var page = target.Role is { } role ? await Rig.SignInAsync(role) : await Rig.Browser.NewPageAsync();
        var response = await page.GotoAsync(Rig.Url + target.Path);
        Assert.Equal(200, response?.Status);
        Assert.EndsWith(target.Path.Split('?')[0], new Uri(page.Url).AbsolutePath, StringComparison.Ordinal);
        if (target.Follow is { } link)
        {
            var href = await page.Locator(link).First.GetAttributeAsync("href");
            Assert.False(string.IsNullOrEmpty(href), $"no link {link} on {target.Path}");
            response = await page.GotoAsync(Rig.Hub.Url + href);
            Assert.Equal(200, response?.Status);
        }

        var violations = await AxeAsync(page);
        await DashboardRig.ScreenshotAsync(page, "a11y-" + name);
        var failing = violations.Where(v => Failing.Contains(v.Impact)).ToList();
        var report = new StringBuilder();
        foreach (var v in violations)
        {
            report.Append(CultureInfo.InvariantCulture, $"{v.Id} ({v.Impact}): {v.Help}; {string.Join(" | ", v.Targets)}\n");
        }

        Console.Write(report.Length == 0 ? $"{name}: no violations\n" : $"{name}:\n{report}");
        Assert.True(failing.Count == 0, $"{failing.Count.ToString(CultureInfo.InvariantCulture)} serious or critical violation(s) on {target.Path}:\n{report}");
    }

    /// <summary>The violations axe-core finds in the page as it is.</summary>
    private static async Task<IReadOnlyList<Violation>> AxeAsync(IPage page)
    {
        var script = Path.Combine(RepoPaths.Root, "tests", "Concord.Dashboard.Tests", "node_modules", "axe-core", "axe.min.js");
        Assert.True(File.Exists(script), $"axe-core is not installed at {script}: run ./test.sh, or npm ci --prefix tests/Concord.Dashboard.Tests");
        await page.AddScriptTagAsync(new() { Path = script });
        var json = await page.EvaluateAsync<string>("""
            async () => {
              const result = await axe.run(document, { resultTypes: ['violations'] });
              return JSON.stringify(result.violations.map(v => ({ id: v.id, impact: v.impact ?? 'unknown', help: v.help, targets: v.nodes.map(n => n.target.join(' ')) })));
            }
            """);
        return JsonSerializer.Deserialize<List<Violation>>(json, new JsonSerializerOptions { PropertyNameCaseInsensitive = true }) ?? [];
    }

    private sealed record Violation(string Id, string Impact, string Help, IReadOnlyList<string> Targets);
}
