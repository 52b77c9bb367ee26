using System.Globalization;
using System.Text.Json.Nodes;
using Concord.Engine.Storage;
using Concord.Storage.Sqlite;
using Concord.Testing;

namespace Concord.Cli.Tests;

/// <summary>
/// <c>concord flow</c> against a hub's database: listing flows, a dry run that sends and writes nothing, a
/// manual run that a running hub (on the same database file) executes, the run history, and a replay.
/// </summary>
public sealed class FlowCommandTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    private readonly TempDirectory _dir = new();
    private RecordingSink _sink = null!;

    public async Task InitializeAsync()
    {
        _sink = await RecordingSink.StartAsync();
        await File.WriteAllTextAsync(_dir.File("concord.yaml"), Yaml());
        await File.WriteAllTextAsync(_dir.File("ann.json"), """{ "email": "ann.lee@example.com", "name": "Ann Lee" }""");
    }

    public async Task DisposeAsync()
    {
        await _sink.DisposeAsync();
        _dir.Dispose();
    }

    /// <summary>
    /// The database is named by its full path, so that a hub started by the test (whose own base directory
    /// is elsewhere) and the command line work on the same file.
    /// </summary>
    private string Yaml() => $$$"""
        version: 1
        hub:
          data: {{{_dir.File("concord.db")}}}
        systems:
          crm:
            kind: http
            settings:
              url: {{{_sink.Url}}}/crm
              webhook_secret: { env: CRM_WEBHOOK_SECRET }
          alerts:
            kind: http
            settings:
              url: {{{_sink.Url}}}/notify
        entities:
          customer:
            owner: crm
            identity: [email]
        syncs:
          - { system: crm, type: customer, direction: pull }
        flows:
          onboard:
            description: A new customer is announced, recorded, booked and told
            minutes_saved: 6
            trigger: manual
            steps:
              - id: announce
                http: { url: "{{{_sink.Url}}}/announce", body: { email: "{{ email }}" } }
              - id: record
                create: { type: customer, fields: { email: "{{ email }}", name: "{{ name }}" } }
              - id: book
                http: { url: "{{{_sink.Url}}}/book", body: { customer: "{{ steps.record.id }}" } }
                retry: { attempts: 2, delay: 100ms }
              - id: tell
                notify: { via: alerts, text: "Onboarded {{ name }}" }
          nightly:
            trigger: { schedule: "0 3 * * *", timezone: Europe/Amsterdam }
            steps:
              - lookup: { rows: { a: 1 }, key: a }
        """;

    private Task<(int ExitCode, string Output)> Concord(params string[] args) => CliRunner.RunAsync(_dir.Path, Timeout, args);

    [Fact]
    public async Task List_ShowsEachFlowsTriggerAndSteps()
    {
        var (code, output) = await Concord("flow", "list");

        Assert.True(code == 0, output);
        Assert.Contains("onboard: manual → announce → record → book → tell; no runs in 30 days", output, StringComparison.Ordinal);
        Assert.Contains("nightly: schedule '0 3 * * *' (Europe/Amsterdam) → lookup_1; no runs in 30 days", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TestDryRun_PrintsEachStepsInputAndOutput_AndSendsAndWritesNothing()
    {
        var (code, output) = await Concord("flow", "test", "onboard", "--input", "ann.json", "--dry-run");

        Assert.True(code == 0, output);
        Assert.Matches(@"flow onboard · run_[0-9a-f]+ · succeeded \(dry run: nothing was sent or written\)", output);
        Assert.Matches(@"1\. announce +http +succeeded\s+input:  \{""url"":""[^""]+/announce"",""body"":\{""email"":""ann.lee@example.com""\}\}", output);
        Assert.Matches(@"2\. record +create +succeeded\s+input: .*\s+output: \{""id"":""rec_[0-9a-f]+"",""type"":""customer"",""version"":1,.*""created"":true,""dry_run"":true\}", output);
        Assert.Matches(@"3\. book +http +succeeded\s+input:  \{""url"":""[^""]+/book"",""body"":\{""customer"":""rec_[0-9a-f]+""\}\}", output);
        Assert.Contains(@"""would_send"":{""method"":""POST""", output, StringComparison.Ordinal);
        Assert.Contains(@"output: {""dry_run"":true,""via"":""alerts"",""would_send"":{""text"":""Onboarded Ann Lee""}}", output, StringComparison.Ordinal);

        var (jsonCode, json) = await Concord("flow", "test", "onboard", "--input", """{"email":"bo@example.com","name":"Bo"}""", "--dry-run", "--json");
        Assert.True(jsonCode == 0, json);
        var report = JsonNode.Parse(json)!;
        Assert.True((bool)report["dry_run"]!);
        Assert.Equal(["announce", "record", "book", "tell"], report["steps"]!.AsArray().Select(s => (string)s!["id"]!));
        Assert.All(report["steps"]!.AsArray(), s => Assert.Equal("succeeded", (string?)s!["status"]));

        Assert.Empty(_sink.Requests);
        await using var store = new SqliteHubStore(_dir.File("concord.db"));
        await store.InitializeAsync(default);
        Assert.Empty(await store.QueryFlowRunsAsync(new FlowRunQuery(), default));
        Assert.Equal(0, (await store.GetHealthAsync(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1), default)).RecordsByType.GetValueOrDefault("customer"));
    }

    [Fact]
    public async Task Run_IsExecutedByTheRunningHub_ThenListedAndShownWithPersonalDataMasked()
    {
        await using var hub = await HubHarness.StartAsync(Yaml());

        var (code, output) = await Concord("flow", "run", "onboard", "--input", "ann.json");

        Assert.True(code == 0, output);
        var runId = Assert.Single(System.Text.RegularExpressions.Regex.Matches(output, @"flow onboard · (run_[0-9a-f]+) · succeeded")).Groups[1].Value;
        foreach (var step in new[] { "announce", "record", "book", "tell" })
        {
            Assert.Matches($@"\d\. {step} +\w+ +succeeded", output);
        }

        Assert.Contains(@"output: {""status"":200,", output, StringComparison.Ordinal);
        Assert.Contains(@"""email"":""a***@example.com""", output, StringComparison.Ordinal);
        Assert.DoesNotContain("ann.lee@example.com", output, StringComparison.Ordinal);
        Assert.Equal([$"{runId}.announce", $"{runId}.book", $"{runId}.tell"], _sink.Applied.Select(r => r.IdempotencyKey));

        var (_, listed) = await Concord("flow", "runs", "--flow", "onboard");
        Assert.Matches($@"{runId}  \d{{4}}-\d\d-\d\d \d\d:\d\d:\d\d  onboard +succeeded manual", listed);
        var (_, none) = await Concord("flow", "runs", "--flow", "nightly");
        Assert.Contains("No runs.", none, StringComparison.Ordinal);
        var (_, failed) = await Concord("flow", "runs", "--status", "failed");
        Assert.Contains("No runs.", failed, StringComparison.Ordinal);
        var (_, succeeded) = await Concord("flow", "runs", "--status", "Succeeded");
        Assert.Contains(runId, succeeded, StringComparison.Ordinal);

        var (showCode, shown) = await Concord("flow", "show", runId);
        Assert.True(showCode == 0, shown);
        Assert.Contains($"flow onboard · {runId} · succeeded", shown, StringComparison.Ordinal);
        Assert.DoesNotContain("ann.lee@example.com", shown, StringComparison.Ordinal);
        Assert.Contains(@"""name"":""A*** L***""", shown, StringComparison.Ordinal);
        Assert.Contains(@"""email"":""a***@example.com""", shown, StringComparison.Ordinal);

        var (jsonCode, json) = await Concord("flow", "show", runId, "--json");
        Assert.True(jsonCode == 0, json);
        Assert.DoesNotContain("ann.lee@example.com", json, StringComparison.Ordinal);
        var detail = JsonNode.Parse(json)!;
        Assert.Equal("succeeded", (string?)detail["run"]!["status"]);
        Assert.Equal("a***@example.com", (string?)detail["input"]!["email"]);
        Assert.Equal(4, detail["steps"]!.AsArray().Count);

        var (_, afterRun) = await Concord("flow", "list");
        Assert.Contains("onboard: manual → announce → record → book → tell; 1 succeeded", afterRun, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_OfARunThatFailedForGood_ResumesAtTheFailedStep_WithoutRunningEarlierStepsAgain()
    {
        _sink.Behavior = r => r.Headers["X-Path"] == "/book" ? new SinkAnswer(400, """{"error":"no such ledger"}""") : null;
        await using var hub = await HubHarness.StartAsync(Yaml());

        var (code, output) = await Concord("flow", "run", "onboard", "--input", "ann.json");

        Assert.True(code == 1, output);
        var runId = Assert.Single(System.Text.RegularExpressions.Regex.Matches(output, @"flow onboard · (run_[0-9a-f]+) · failed")).Groups[1].Value;
        Assert.Matches(@"3\. book +http +failed", output);
        Assert.Contains("answered 400 Bad Request", output, StringComparison.Ordinal);
        Assert.Matches(@"4\. tell +notify +not-run", output);
        var (_, failed) = await Concord("flow", "runs", "--status", "failed");
        Assert.Contains($"{runId}", failed, StringComparison.Ordinal);
        Assert.Contains("at book: POST", failed, StringComparison.Ordinal);

        // The cause is fixed; the replay goes on from the step that failed.
        _sink.Behavior = _ => null;
        var (replayCode, replayed) = await Concord("flow", "replay", runId);
        Assert.True(replayCode == 0, replayed);
        Assert.Contains($"{runId} queued again from step book (replay 1).", replayed, StringComparison.Ordinal);
        var run = await Eventually.GetAsync(async () => await hub.Store.GetFlowRunAsync(runId, default) is { IsFinished: true } r ? r : null, "the replayed run to finish");
        Assert.Equal(FlowRunStatus.Succeeded, run.Status);
        Assert.Equal("cli", run.ReplayedBy);
        var (_, shown) = await Concord("flow", "show", runId);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"replayed 1× by cli at {run.ReplayedAt:yyyy-MM-dd HH:mm:ss} UTC"), shown, StringComparison.Ordinal);

        Assert.Single(_sink.Requests, r => r.Headers["X-Path"] == "/announce");
        Assert.Equal([$"{runId}.announce", $"{runId}.book.r1", $"{runId}.tell.r1"], _sink.Applied.Select(r => r.IdempotencyKey));
        var record = (string)JsonNode.Parse((await hub.Store.GetFlowStepsAsync(runId, default)).Single(s => s.StepId == "record").Output!)!["id"]!;
        Assert.Single(await hub.Store.GetHistoryAsync(record, 10, default));

        var (again, refused) = await Concord("flow", "replay", runId);
        Assert.Equal(1, again);
        Assert.Contains($"run {runId} is succeeded; only a failed or stopped run can be replayed", refused, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_WithNoHubRunning_SaysTheRunIsQueued()
    {
        var (code, output) = await Concord("flow", "run", "onboard", "--input", "ann.json", "--wait", "1s");
        Assert.Equal(3, code);
        Assert.Matches(@"run_[0-9a-f]+ is queued, but no hub has started it within 1s: start one with `concord run`", output);

        var (now, queued) = await Concord("flow", "run", "onboard", "--input", "ann.json", "--wait", "0");
        Assert.True(now == 0, queued);
        Assert.Matches(@"run_[0-9a-f]+ queued; a running hub starts it within a second", queued);

        var (_, pending) = await Concord("flow", "runs", "--status", "pending");
        Assert.Equal(2, pending.Split('\n').Count(l => l.Contains(" pending ", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("flow test onboard --input missing.json --dry-run", 2, "--input: no file 'missing.json'")]
    [InlineData("flow run onboard --input list.json", 2, "list.json: the run's input must be a JSON object ({\"name\": value, …}), not an array")]
    [InlineData("flow test onboard --input [1] --dry-run", 2, "--input: the run's input must be a JSON object ({\"name\": value, …}), not an array")]
    [InlineData("flow test onboard --input {\"a\": --dry-run", 2, "--input: not valid JSON:")]
    [InlineData("flow test billing --input ann.json --dry-run", 1, "no flow named 'billing' is configured")]
    [InlineData("flow run billing --input ann.json", 1, "no flow named 'billing' is configured")]
    [InlineData("flow show run_0000", 1, "no flow run run_0000")]
    [InlineData("flow replay run_0000", 1, "no flow run run_0000")]
    [InlineData("flow runs --status done", 2, "--status: 'done' is not one of pending, running, waiting, retrying, succeeded, failed, skipped, stopped")]
    [InlineData("flow runs --status 4", 2, "--status: '4' is not one of")]
    [InlineData("flow run onboard --input ann.json --wait soon", 2, "--wait: 'soon' is not a duration such as 30s")]
    [InlineData("report roi --since yesterday", 2, "--since: 'yesterday' is not a duration such as 7d or 30d")]
    [InlineData("report roi --since 0s", 2, "--since: '0s' is not a duration such as 7d or 30d")]
    [InlineData("report roi --rate -1", 2, "--rate: must not be negative")]
    public async Task BadInput_IsNamed_AndNothingIsQueued(string command, int exitCode, string message)
    {
        await File.WriteAllTextAsync(_dir.File("list.json"), "[1, 2]");

        var (code, output) = await Concord(command.Split(' '));

        Assert.True(code == exitCode, $"exit {code}: {output}");
        Assert.Contains(message, output, StringComparison.Ordinal);
        await using var store = new SqliteHubStore(_dir.File("concord.db"));
        await store.InitializeAsync(default);
        Assert.Empty(await store.QueryFlowRunsAsync(new FlowRunQuery(), default));
    }
}
