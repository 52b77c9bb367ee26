using System.Diagnostics;
using System.Globalization;
using Concord.Core.Audit;
using Concord.Engine.Audit;
using Concord.Server.Dashboard;
using Concord.Storage.Sqlite;
using Concord.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Concord.Dashboard.Tests;

/// <summary>
/// The Audit page over a running hub with planted problems: a system whose delivery died (and that never answered),
/// a system no sync uses, a paid tool connected to nothing and an unpriced one.
/// </summary>
public sealed class AuditPageTests : IAsyncLifetime
{
    private const string Yaml = """
        version: 1
        systems:
          crm:
            kind: http
            layer: customers
            cost: { monthly: 45, currency: EUR }
            settings:
              url: http://127.0.0.1:9/crm
              webhook_secret: { env: CRM_WEBHOOK_SECRET }
          sink:
            kind: http
            layer: insight
            cost: { monthly: 19, currency: EUR }
            settings:
              url: http://127.0.0.1:9/sink
            retry: { max_attempts: 1, initial_delay: 10ms, max_delay: 10ms, timeout: 1s }
          spare:
            kind: http
            settings:
              url: http://127.0.0.1:9/spare
        tools:
          asana:
            layer: delivery
            url: https://app.asana.com
            cost: { monthly: 24, currency: EUR }
          wiki:
            layer: storage
        entities:
          customer: { owner: crm, identity: [email] }
        syncs:
          - { system: crm, type: customer, direction: two-way }
          - { system: sink, type: customer, direction: push }
        """;

    private DashboardRig _rig = null!;

    public async Task InitializeAsync()
    {
        _rig = await DashboardRig.StartAsync(Yaml);
        using (var posted = await _rig.Hub.PostChangesAsync("crm", """[{"type":"customer","external_id":"c1","fields":{"email":"ann@acme.example","name":"Ann"}}]"""))
        {
            Assert.True(posted.IsSuccessStatusCode);
        }

        await Eventually.TrueAsync(async () => (await _rig.Hub.Store.GetHealthAsync(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1), default)).DeliveriesDead == 1, "the sink's delivery died");
    }

    public async Task DisposeAsync() => await _rig.DisposeAsync();

    [Fact]
    public async Task TheFindings_AreGroupedBySeverity_EachWithWhatToDo()
    {
        var page = await _rig.SignInAsync("viewer");
        await page.GotoAsync(_rig.Url + "/audit");

        Assert.Equal("Stack audit", await page.GetByRole(AriaRole.Heading, new() { Level = 1 }).InnerTextAsync());
        Assert.Equal(["Failing now (1)", "Act this quarter (3)", "Worth a look (1)"], (await page.Locator("#main h3").AllInnerTextsAsync()).Select(t => t.Trim()));
        Assert.Equal("1", (await page.GetByTestId("count-error").Locator(".big").InnerTextAsync()).Trim());
        Assert.Equal("88.00 EUR", (await page.GetByTestId("spend").Locator(".big").InnerTextAsync()).Trim());

        var error = Assert.Single(await page.GetByTestId("findings-error").Locator("li").AllInnerTextsAsync());
        Assert.Contains("broken sink: 1 delivery to 'sink' dead-lettered in the last 7 days.", error, StringComparison.Ordinal);
        Assert.Contains("What to do: run `concord replay --all-dead --system sink`", error, StringComparison.Ordinal);

        var warnings = await page.GetByTestId("findings-warning").Locator("li").AllInnerTextsAsync();
        Assert.Equal(3, warnings.Count);
        Assert.Contains("silent sink: no traffic with 'sink' in the kept log.", warnings[0], StringComparison.Ordinal);
        Assert.Contains("unconnected spare: system 'spare' is configured but no sync rule or flow uses it.", warnings[1], StringComparison.Ordinal);
        Assert.Contains("What to do: add a sync rule for it under syncs:, or remove it from concord.yaml.", warnings[1], StringComparison.Ordinal);
        Assert.Contains("unused-subscription asana: 'asana' costs 24.00 EUR a month", warnings[2], StringComparison.Ordinal);
        Assert.Contains("What to do: ask who used asana this quarter", warnings[2], StringComparison.Ordinal);
        Assert.Contains("unconnected wiki", Assert.Single(await page.GetByTestId("findings-info").Locator("li").AllInnerTextsAsync()), StringComparison.Ordinal);

        var crm = page.GetByTestId("tools").Locator("tbody tr").Filter(new() { Has = page.Locator("th:text-is('crm')") });
        Assert.Equal(["crm", "Customers and sales", "connected (http)", "45.00 EUR", DateTimeOffset.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)],
            (await crm.Locator("th, td").AllInnerTextsAsync()).Select(t => t.Trim()));
        Assert.Contains("Fix broken integrations: failing: sink", await page.GetByTestId("checklist").InnerTextAsync(), StringComparison.Ordinal);
        await DashboardRig.ScreenshotAsync(page, "audit-viewer");

        var phone = await _rig.Browser.NewPageAsync(390, 844, await page.Context.StorageStateAsync());
        await phone.GotoAsync(_rig.Url + "/audit");
        var width = await phone.EvaluateAsync<int>("document.documentElement.scrollWidth");
        Assert.True(width <= 390, $"the page is {width.ToString(CultureInfo.InvariantCulture)} px wide on a 390 px screen");
        await DashboardRig.ScreenshotAsync(phone, "audit-phone");
    }

    [Fact]
    public async Task TheReport_IsKeptForHalfAMinute_ThenRunAgain()
    {
        var time = new ManualTimeProvider(DateTimeOffset.UtcNow);
        var audit = new DashboardAudit(time);
        var first = await audit.ReadAsync(_rig.Hub.Hub.Runtime, default);
        time.Advance(TimeSpan.FromSeconds(29));
        Assert.Same(first, await audit.ReadAsync(_rig.Hub.Hub.Runtime, default));
        time.Advance(TimeSpan.FromSeconds(2));
        var next = await audit.ReadAsync(_rig.Hub.Hub.Runtime, default);
        Assert.NotSame(first, next);
        Assert.Equal(first.Findings, next.Findings);

        // The page uses the hub's own instance.
        Assert.NotNull(_rig.Hub.Hub.Services.GetService<DashboardAudit>());
    }

    /// <summary>How long the audit takes over a store with 100,000 log lines; printed, with the report checked.</summary>
    [Fact]
    public async Task OnAStoreWith100kLogLines_TheAuditIsMeasured()
    {
        using var dir = new TempDirectory();
        var path = dir.File("hub.db");
        await using var store = new SqliteHubStore(path, durable: false);
        await store.InitializeAsync(default);
        var now = DateTimeOffset.UtcNow;
        FillInbox(path, 100_000, now - TimeSpan.FromDays(30), TimeSpan.FromDays(30));
        var config = TestConfigs.Load(Yaml);

        var cold = Stopwatch.StartNew();
        var report = await AuditTraffic.AuditAsync(config, store, now, default);
        cold.Stop();
        var warm = Stopwatch.StartNew();
        await AuditTraffic.AuditAsync(config, store, now, default);
        warm.Stop();
        await store.RollUpTrafficAsync(now, now - TimeSpan.FromDays(180), default);
        var rolled = Stopwatch.StartNew();
        var after = await AuditTraffic.AuditAsync(config, store, now, default);
        rolled.Stop();

        Assert.DoesNotContain(report.Findings, f => f.Code == "silent" && f.Subject == "crm");
        Assert.Equal(report.Findings, after.Findings);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"audit over 100000 log lines: first {cold.ElapsedMilliseconds} ms, again {warm.ElapsedMilliseconds} ms, after the hourly rollup {rolled.ElapsedMilliseconds} ms"));
    }

    /// <summary>Inbox lines from crm and sink, spread evenly over <paramref name="span"/>, as the log holds them.</summary>
    private static void FillInbox(string path, int count, DateTimeOffset start, TimeSpan span)
    {
        using var connection = new SqliteConnection($"Data Source={path}");
        connection.Open();
        using var tx = connection.BeginTransaction();
        using var insert = connection.CreateCommand();
        insert.Transaction = tx;
        insert.CommandText = """
            INSERT INTO inbox(change_id, system, event_id, type, external_id, occurred_at, received_at, via, change, payload, processed_at, result, record_id)
            VALUES ($id, $system, $id, 'customer', $id, $at, $at, 'webhook', NULL, '{}', $at, 'updated', NULL)
            """;
        var id = insert.Parameters.Add("$id", SqliteType.Text);
        var system = insert.Parameters.Add("$system", SqliteType.Text);
        var at = insert.Parameters.Add("$at", SqliteType.Integer);
        var step = span.TotalMilliseconds / count;
        for (var i = 0; i < count; i++)
        {
            id.Value = "chg_" + i.ToString(CultureInfo.InvariantCulture);
            system.Value = i % 2 == 0 ? "crm" : "sink";
            at.Value = start.ToUnixTimeMilliseconds() + (long)(i * step);
            insert.ExecuteNonQuery();
        }

        tx.Commit();
    }
}
