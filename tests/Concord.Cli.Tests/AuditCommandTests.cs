using System.Text.Json.Nodes;
using Concord.Core.Records;
using Concord.Engine.Storage;
using Concord.Storage.Sqlite;
using Concord.Testing;

namespace Concord.Cli.Tests;

/// <summary>
/// <c>concord audit</c> over a sample stack with planted problems: a paid tool connected to nothing, two money
/// tools syncing invoices, an integration silent for 120 days and one with dead deliveries this week.
/// </summary>
public sealed class AuditCommandTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private static readonly DateTimeOffset Now = new(2026, 6, 30, 12, 0, 0, TimeSpan.Zero);

    private readonly TempDirectory _dir = new();

    public async Task InitializeAsync()
    {
        await File.WriteAllTextAsync(_dir.File("concord.yaml"), """
            version: 1
            systems:
              crm:
                kind: http
                layer: customers
                cost: { monthly: 45, currency: EUR }
                settings:
                  url: http://127.0.0.1:9/crm
                  webhook_secret: { env: CRM_WEBHOOK_SECRET }
              books:
                kind: http
                layer: money
                cost: { monthly: 30, currency: EUR }
                settings:
                  url: http://127.0.0.1:9/books
                  webhook_secret: { env: BOOKS_WEBHOOK_SECRET }
              billing:
                kind: http
                layer: money
                cost: { monthly: 25, currency: EUR }
                settings:
                  url: http://127.0.0.1:9/billing
                  webhook_secret: { env: BILLING_WEBHOOK_SECRET }
              dashboard:
                kind: http
                layer: insight
                cost: { monthly: 19, currency: EUR }
                settings:
                  url: http://127.0.0.1:9/dashboard
            tools:
              asana:
                layer: delivery
                url: https://app.asana.com
                cost: { monthly: 24, currency: EUR }
            entities:
              customer: { owner: crm }
              invoice: { owner: books, fill_in: true }   # billing may enter invoices the books have not
            syncs:
              - { system: crm, type: customer, direction: two-way }
              - { system: books, type: customer, direction: push }
              - { system: books, type: invoice, direction: two-way }
              - { system: billing, type: invoice, direction: two-way }
              - { system: dashboard, type: customer, direction: push }
            """);

        await using var store = new SqliteHubStore(_dir.File("concord.db"));
        await store.InitializeAsync(default);
        await store.AppendAsync([Inbound("crm", Now.AddDays(-1))], default);
        await DeliverAsync(store, "dashboard", Now.AddDays(-120), DeliveryStatus.Succeeded);
        await DeliverAsync(store, "billing", Now.AddDays(-1), DeliveryStatus.Succeeded);
        await DeliverAsync(store, "books", Now.AddDays(-3), DeliveryStatus.Succeeded);
        await DeliverAsync(store, "books", Now.AddDays(-2), DeliveryStatus.Dead);
        await DeliverAsync(store, "books", Now.AddDays(-2), DeliveryStatus.Dead);
    }

    public Task DisposeAsync()
    {
        _dir.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task The_audit_flags_each_planted_problem_and_sums_the_spend()
    {
        var (code, output) = await CliRunner.RunAsync(_dir.Path, Timeout, "audit", "--now", "2026-06-30T12:00:00Z");

        Assert.True(code == 0, output);
        var findings = output.Split('\n').Where(l => l.StartsWith("- **", StringComparison.Ordinal)).ToList();
        Assert.Equal(4, findings.Count);
        Assert.StartsWith("- **error** `broken` books: 2 deliveries to 'books' dead-lettered in the last 7 days", findings[0], StringComparison.Ordinal);
        Assert.StartsWith("- **warning** `overlap` billing, books: 'billing' and 'books' are both in money: both are sources of invoice", findings[1], StringComparison.Ordinal);
        Assert.StartsWith("- **warning** `silent` dashboard: no traffic with 'dashboard' since 2026-03-02 (120 days)", findings[2], StringComparison.Ordinal);
        Assert.StartsWith("- **warning** `unused-subscription` asana: 'asana' costs 24.00 EUR a month", findings[3], StringComparison.Ordinal);
        Assert.Contains("**Total spend:** 143.00 EUR per month", output, StringComparison.Ordinal);
        Assert.Contains("| Delivery | asana | not connected | 24.00 EUR | - |", output, StringComparison.Ordinal);
        Assert.Contains("| Customers and sales | crm | connected (http) | 45.00 EUR | 2026-06-29 |", output, StringComparison.Ordinal);
        Assert.Contains("- [ ] Cancel unused subscriptions — review: dashboard, asana", output, StringComparison.Ordinal);
        Assert.Contains("- [ ] Fix broken integrations — failing: books", output, StringComparison.Ordinal);
        Assert.Contains("- [x] One owner per data type — customer: crm; invoice: books", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_system_heard_from_only_in_the_traffic_history_is_not_silent()
    {
        // The log forgot the dashboard's deliveries after 30 days; the hourly history kept the one 60 days ago.
        await using (var store = new SqliteHubStore(_dir.File("concord.db")))
        {
            await store.InitializeAsync(default);
            await store.AddTrafficAsync([new TrafficHour("system:dashboard", "customer", new DateTimeOffset(2026, 5, 1, 10, 0, 0, TimeSpan.Zero), 0, 3, 1)], default);
        }

        var (code, output) = await CliRunner.RunAsync(_dir.Path, Timeout, "audit", "--now", "2026-06-30T12:00:00Z");

        Assert.True(code == 0, output);
        Assert.DoesNotContain("`silent` dashboard", output, StringComparison.Ordinal);
        Assert.Contains("| Insight | dashboard | connected (http) | 19.00 EUR | 2026-05-01 |", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_report_is_written_to_files_and_the_html_page_is_self_contained_and_escaped()
    {
        var yaml = await File.ReadAllTextAsync(_dir.File("concord.yaml"));
        await File.WriteAllTextAsync(_dir.File("concord.yaml"), yaml.Replace("url: https://app.asana.com", "url: \"https://app.asana.com/?a=<b>&c\"", StringComparison.Ordinal)
            .Replace("  asana:", "  tasks-<board>:", StringComparison.Ordinal));

        var (code, output) = await CliRunner.RunAsync(_dir.Path, Timeout, "audit", "--now", "2026-06-30T12:00:00Z", "--out", "audit.md", "--html", "audit.html");

        // A tool name must be an identifier, so the configuration with '<board>' in it is refused with its line.
        Assert.Equal(1, code);
        Assert.Contains("concord.yaml:31:3: error bad-name", output, StringComparison.Ordinal);
        Assert.False(File.Exists(_dir.File("audit.html")));

        await File.WriteAllTextAsync(_dir.File("concord.yaml"), yaml);
        (code, output) = await CliRunner.RunAsync(_dir.Path, Timeout, "audit", "--now", "2026-06-30T12:00:00Z", "--out", "audit.md", "--html", "audit.html");

        Assert.True(code == 0, output);
        Assert.DoesNotContain("Total spend", output, StringComparison.Ordinal);
        Assert.Contains("**Total spend:** 143.00 EUR per month", await File.ReadAllTextAsync(_dir.File("audit.md")), StringComparison.Ordinal);
        var html = await File.ReadAllTextAsync(_dir.File("audit.html"));
        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.Contains("<style>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&#39;billing&#39; and &#39;books&#39; are both in money", html, StringComparison.Ordinal);
        Assert.Contains("<span class=\"error\">error</span> <code>broken</code> books", html, StringComparison.Ordinal);
        Assert.Contains("143.00 EUR per month", html, StringComparison.Ordinal);
    }

    private static InboundChange Inbound(string system, DateTimeOffset at) =>
        new($"chg_{Guid.NewGuid():N}", new Change(system, "customer", "c-1", Guid.NewGuid().ToString("N"), at,
            new Dictionary<string, JsonNode?> { ["email"] = "ann@example.com" }, false), "{}", at, "api");

    /// <summary>One delivery to a system, enqueued and finished at <paramref name="at"/>.</summary>
    private static async Task DeliverAsync(SqliteHubStore store, string system, DateTimeOffset at, DeliveryStatus status)
    {
        var recordId = $"rec_{Guid.NewGuid():N}";
        await store.AppendAsync([Inbound("crm", at.AddDays(-200))], default);
        await store.ProcessInboxAsync(10, (tx, batch) =>
        {
            tx.EnqueueDelivery(new Delivery
            {
                System = system, Type = "customer", RecordId = recordId, Version = 1, Operation = "upsert",
                Payload = "{}", Changed = "[]", IdempotencyKey = $"{recordId}.v1.{system}", CorrelationId = $"chg_{recordId}",
                CreatedAt = at, NextAttemptAt = at,
            });
            tx.CompleteChange(batch[0].Sequence, "updated", null, null);
        }, default);
        var due = Assert.Single(await store.ClaimDueAsync(system, at, 10, [], default));
        await store.CompleteAsync([new DeliveryOutcome(due.Id, status, 1, at, TimeSpan.Zero, status == DeliveryStatus.Succeeded ? 200 : 400, "{}",
            status == DeliveryStatus.Succeeded ? null : "rejected", null, null)], default);
    }
}
