using System.Text.Json.Nodes;
using Concord.Engine.Storage;
using Concord.Storage.Sqlite;
using Concord.Testing;

namespace Concord.Cli.Tests;

/// <summary><c>concord report roi</c> over a run history: only successful runs in the window count, scaled to a 30-day month.</summary>
public sealed class ReportCommandTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly TempDirectory _dir = new();

    public async Task InitializeAsync()
    {
        await File.WriteAllTextAsync(_dir.File("concord.yaml"), """
            version: 1
            systems:
              crm:
                kind: http
                settings:
                  url: http://127.0.0.1:9/crm
                  webhook_secret: { env: CRM_WEBHOOK_SECRET }
            entities:
              customer: { owner: crm }
            syncs:
              - { system: crm, type: customer, direction: two-way }
            flows:
              onboard:
                minutes_saved: 6
                trigger: manual
                steps:
                  - lookup: { rows: { a: 1 }, key: a }
              tag:
                minutes_saved: 1.5
                trigger: manual
                steps:
                  - lookup: { rows: { a: 1 }, key: a }
              ping:
                trigger: manual
                steps:
                  - lookup: { rows: { a: 1 }, key: a }
            """);

        // onboard: 2 successful runs this week, 1 ten days ago, 1 forty days ago (outside every window), 1 failed and 1 skipped;
        // tag: 10 successful runs today; ping: 3 successful runs, but it declares no minutes_saved.
        var now = DateTimeOffset.UtcNow;
        await using var store = new SqliteHubStore(_dir.File("concord.db"));
        await store.InitializeAsync(default);
        var n = 0;
        await store.ExecuteAsync(tx =>
        {
            void Run(string flow, FlowRunStatus status, TimeSpan ago) => tx.EnqueueFlowRun(new FlowRun
            {
                Id = $"run_{++n:D4}", Flow = flow, TriggerKind = "manual", Status = status, Input = "{}",
                CreatedAt = now - ago, UpdatedAt = now - ago, NextAt = now - ago, FinishedAt = now - ago,
            });

            Run("onboard", FlowRunStatus.Succeeded, TimeSpan.FromHours(1));
            Run("onboard", FlowRunStatus.Succeeded, TimeSpan.FromDays(2));
            Run("onboard", FlowRunStatus.Succeeded, TimeSpan.FromDays(10));
            Run("onboard", FlowRunStatus.Succeeded, TimeSpan.FromDays(40));
            Run("onboard", FlowRunStatus.Failed, TimeSpan.FromHours(1));
            Run("onboard", FlowRunStatus.Skipped, TimeSpan.FromHours(1));
            for (var i = 0; i < 10; i++)
            {
                Run("tag", FlowRunStatus.Succeeded, TimeSpan.FromMinutes(5));
            }

            for (var i = 0; i < 3; i++)
            {
                Run("ping", FlowRunStatus.Succeeded, TimeSpan.FromMinutes(5));
            }

            return true;
        }, default);
    }

    public Task DisposeAsync()
    {
        _dir.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Roi_OverThirtyDays_CountsSuccessfulRunsTimesMinutes_AtTheDefaultRate()
    {
        var (code, output) = await CliRunner.RunAsync(_dir.Path, Timeout, "report", "roi");

        Assert.True(code == 0, output);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd()).ToList();
        Assert.Equal("Manual work saved over the last 30d, per 30-day month, at EUR 22.50/hour", lines[0]);
        Assert.Equal("flow         runs  min/run  hours/month     value/month", lines[1]);

        // onboard: 3 runs × 6 min = 0.3 h → EUR 6.75; tag: 10 × 1.5 min = 0.25 h → EUR 5.625, rounded away from zero;
        // the biggest saving first, and ping's runs are not counted.
        Assert.Equal("onboard         3        6          0.3        EUR 6.75", lines[2]);
        Assert.Equal("tag            10      1.5          0.3        EUR 5.63", lines[3]);
        Assert.Equal("ping            3        -          0.0        EUR 0.00", lines[4]);
        Assert.Equal("total          16                   0.6       EUR 12.38", lines[5]);
        Assert.Equal("note: flow 'ping' ran but declares no minutes_saved; its runs are not counted", lines[6]);
    }

    [Fact]
    public async Task Roi_OverAWeek_IsScaledToAMonth_AtTheGivenRate_AsJson()
    {
        var (code, output) = await CliRunner.RunAsync(_dir.Path, Timeout, "report", "roi", "--since", "7d", "--rate", "40", "--currency", "usd", "--json");

        Assert.True(code == 0, output);
        var report = JsonNode.Parse(output)!;
        Assert.Equal("USD", (string?)report["currency"]);
        Assert.Equal(7, (double)report["window_days"]!);
        Assert.Null(report["window"]);
        Assert.Equal(40m, (decimal)report["hourly_rate"]!);
        var onboard = report["lines"]!.AsArray().Single(l => (string?)l!["flow"] == "onboard")!;

        // 2 runs × 6 min = 0.2 h in 7 days → × 30/7 = 0.857 h a month → 0.86 h, USD 34.29.
        Assert.Equal(2, (long)onboard["runs"]!);
        Assert.Equal(6, (double)onboard["minutes_per_run"]!);
        Assert.Equal(0.86, (double)onboard["hours_per_month"]!);
        Assert.Equal(34.29m, (decimal)onboard["value_per_month"]!);

        // 10 runs × 1.5 min = 0.25 h → × 30/7 = 1.071 h a month → 1.07 h, USD 42.86.
        var tag = report["lines"]!.AsArray().Single(l => (string?)l!["flow"] == "tag")!;
        Assert.Equal(1.07, (double)tag["hours_per_month"]!);
        Assert.Equal(42.86m, (decimal)tag["value_per_month"]!);
        Assert.Equal(15, (long)report["total_runs"]!);
        Assert.Equal(34.29m + 42.86m, (decimal)report["total_value_per_month"]!);
    }
}
