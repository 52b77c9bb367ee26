using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Concord.Engine.Storage;
using Concord.Server.Auth;
using Concord.Storage.Sqlite;
using Concord.Testing;
using Xunit.Abstractions;

namespace Concord.Acceptance.Tests;

/// <summary>
/// kill -9 of the hub while flow runs are in every state (queued, mid-step, retrying, waiting for a
/// delivery, done), then a restart: every run finishes, each side effect reaches a receiver that
/// dedupes by Idempotency-Key once per run, and each golden write is in the record's history once.
/// </summary>
public sealed class FlowCrashTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Customers = 300;

    /// <summary>The receiver's paths the flow's side effects go to, by the step that sends them.</summary>
    private static readonly Dictionary<string, string> SideEffects = new(StringComparer.Ordinal)
    {
        ["announce"] = "/before",
        ["confirm"] = "/after",
        ["tell"] = "/notify",
    };

    private readonly TempDirectory _dir = new();
    private RecordingSink _sink = null!;

    public async Task InitializeAsync() => _sink = await RecordingSink.StartAsync();

    public async Task DisposeAsync()
    {
        await _sink.DisposeAsync();
        _dir.Dispose();
    }

    private string Config() => $$$"""
        version: 1
        systems:
          crm:
            kind: http
            settings:
              url: {{{_sink.Url}}}/crm
              webhook_secret: { env: CRM_WEBHOOK_SECRET }
          books:
            kind: http
            settings:
              url: {{{_sink.Url}}}/books
            retry: { max_attempts: 10, initial_delay: 50ms, max_delay: 500ms, timeout: 5s }
            circuit_breaker: { failure_threshold: 1000, break_duration: 1s }
          alerts:
            kind: http
            settings:
              url: {{{_sink.Url}}}/notify
              signing_secret: { env: SINK_SIGNING_SECRET }
        entities:
          customer:
            owner: crm
            identity: [email]
            matching: off                  # alike test customers are not to be merged: one run each
        syncs:
          - { system: crm, type: customer, direction: pull }
          - { system: books, type: customer, direction: push }
        flows:
          welcome:
            minutes_saved: 2
            concurrency: 12
            trigger: { record: customer, on: created, from: crm }
            steps:
              - id: announce
                http: { url: "{{{_sink.Url}}}/before", body: { run: "{{ run.id }}", customer: "{{ customer.id }}" }, timeout: 5s }
                retry: { attempts: 20, delay: 100ms, max_delay: 1s }
              - id: stamp
                update: { type: customer, record: "{{ customer.id }}", in: books, fields: { lifecycle_stage: welcomed } }
              - id: confirm
                http: { url: "{{{_sink.Url}}}/after", body: { run: "{{ run.id }}", books_id: "{{ steps.stamp.external_id }}" }, timeout: 5s }
                retry: { attempts: 20, delay: 100ms, max_delay: 1s }
              - id: tell
                notify: { via: alerts, body: { run: "{{ run.id }}", text: "Welcome {{ customer.id }}" } }
                retry: { attempts: 20, delay: 100ms, max_delay: 1s }
        """;

    [Fact]
    public async Task KillingTheHubMidRun_FinishesEveryRun_WithEachSideEffectOnce()
    {
        var config = _dir.File("concord.yaml");
        await File.WriteAllTextAsync(config, Config());
        string key;
        await using (var store = new SqliteHubStore(_dir.File("concord.db")))
        {
            await store.InitializeAsync(default);
            (_, key) = await new ApiKeys(store, TimeProvider.System).CreateAsync("flow-crash-test", default);
        }

        // Every request waits a little for its answer, so that runs are mid-step when the hub dies; every
        // fourth new key of the plain HTTP steps is refused once with a 503, so that runs are retrying too.
        _sink.AnswerDelay = TimeSpan.FromMilliseconds(40);
        var seen = new ConcurrentDictionary<string, byte>(StringComparer.Ordinal);
        var fresh = 0;
        var refused = 0;
        _sink.Behavior = request =>
        {
            if (request.Headers["X-Path"] is "/before" or "/after" && seen.TryAdd(request.IdempotencyKey, 0) && Interlocked.Increment(ref fresh) % 4 == 0)
            {
                Interlocked.Increment(ref refused);
                return new SinkAnswer(503, """{"error":"busy"}""");
            }

            return null;
        };

        var port = HubHarness.FreePort();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", key);
        var hub = HubProcess.Start(config, port, TestConfigs.Secrets);
        try
        {
            await hub.WaitUpAsync(http);
            var emails = Enumerable.Range(0, Customers).Select(i => $"c{i}@flowcrash.example").ToList();
            foreach (var batch in emails.Chunk(50))
            {
                var body = new JsonObject
                {
                    ["changes"] = new JsonArray(batch.Select(e => (JsonNode)new JsonObject
                    {
                        ["type"] = "customer", ["external_id"] = e, ["event_id"] = e, ["fields"] = new JsonObject { ["email"] = e, ["name"] = "Crash Test" },
                    }).ToArray()),
                };
                using var posted = await http.PostAsync($"{hub.Url}/api/v1/changes/crm", new StringContent(body.ToJsonString()));
                Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
            }

            await Eventually.TrueAsync(() => NotifiedCount() >= Customers / 4, "a quarter of the runs to finish", TimeSpan.FromSeconds(60));
            await hub.KillAsync();

            var atKill = await StatesAtKillAsync();
            output.WriteLine($"at the kill: {Customers - atKill.Runs.Values.Sum()} customers still in the inbox, runs {string.Join(", ", atKill.Runs.OrderBy(r => r.Key).Select(r => $"{r.Value} {r.Key.ToString().ToLowerInvariant()}"))}; " +
                $"steps started but not finished (side effect possibly sent, answer lost) {atKill.StartedSteps}; side effects applied {_sink.Applied.Count}");
            Assert.True(atKill.Runs.GetValueOrDefault(FlowRunStatus.Succeeded) > 0, "some runs had finished before the kill");
            Assert.True(atKill.Runs.Where(r => r.Key is not FlowRunStatus.Succeeded).Sum(r => r.Value) > 0, "some runs were unfinished at the kill");

            await hub.DisposeAsync();
            hub = HubProcess.Start(config, port, TestConfigs.Secrets);
            await hub.WaitUpAsync(http);
            var lastSeen = "";
            try
            {
                await Eventually.TrueAsync(async () =>
                {
                    var runs = (await GetJsonAsync(http, $"{hub.Url}/api/v1/runs?flow=welcome&limit=1000")).AsArray();
                    lastSeen = string.Join(", ", runs.GroupBy(r => (string?)r!["status"]).Select(g => $"{g.Count()} {g.Key}"));
                    return runs.Count == Customers && runs.All(r => (string?)r!["status"] is "succeeded" or "failed" or "skipped" or "stopped");
                }, $"all {Customers} runs to finish", TimeSpan.FromSeconds(60));
            }
            catch (TimeoutException)
            {
                Assert.Fail($"the runs did not all finish within 60 s after the restart: {lastSeen}");
            }

            await hub.KillAsync();
        }
        finally
        {
            await hub.DisposeAsync();
        }

        await using var after = new SqliteHubStore(_dir.File("concord.db"));
        await after.InitializeAsync(default);
        var finished = await after.QueryFlowRunsAsync(new FlowRunQuery("welcome", Limit: 1000), default);
        output.WriteLine($"after the restart: {finished.Count} runs; {_sink.Applied.Count} requests applied, {refused} refused with a 503 and sent again, " +
            $"{_sink.Repeats - refused} repeated keys answered from the sink's cache");

        // One run per customer, and every one succeeded.
        Assert.Equal(Customers, finished.Count);
        Assert.All(finished, run => Assert.True(run.Status == FlowRunStatus.Succeeded, $"{run.Id} ended {run.Status}: {run.Error}"));
        Assert.Equal(Customers, finished.Select(r => r.RecordId).Distinct().Count());

        // Each side effect applied once per run, under the run's key for that step.
        foreach (var (step, path) in SideEffects)
        {
            var applied = _sink.Applied.Where(r => r.Headers["X-Path"] == path).ToList();
            Assert.Equal(Customers, applied.Count);
            Assert.Equal(finished.Select(r => r.Id).Order(StringComparer.Ordinal), applied.Select(r => (string)r.Body["run"]!).Order(StringComparer.Ordinal));
            Assert.All(applied, r => Assert.Equal($"{r.Body["run"]}.{step}", r.IdempotencyKey));
        }

        // The golden write: one event from the flow per record, made by its run, and its version delivered to books once.
        var books = _sink.Applied.Where(r => r.Headers["X-Path"] == "/books").ToList();
        Assert.Equal(books.Count, books.Select(r => $"{r.Body["record_id"]}.v{r.Body["version"]}").Distinct().Count());
        foreach (var run in finished)
        {
            var fromFlow = (await after.GetHistoryAsync(run.RecordId!, 100, default)).Where(e => e.System == "flow:welcome").ToList();
            var write = Assert.Single(fromFlow);
            Assert.Equal(run.Id, write.ChangeId);
            Assert.Equal("welcomed", (string?)(await after.GetRecordAsync(run.RecordId!, default))!.Fields["lifecycle_stage"].Value);
            var delivered = Assert.Single(books, r => (string?)r.Body["record_id"] == run.RecordId && (long)r.Body["version"]! == write.Version);
            Assert.Equal(run.Id, (string?)delivered.Body["correlation_id"]);
        }
    }

    private int NotifiedCount() => _sink.Applied.Count(r => r.Headers["X-Path"] == "/notify");

    /// <summary>The runs by status as the killed hub left them, and how many steps it left started (sent or about to be, no answer stored).</summary>
    private async Task<(Dictionary<FlowRunStatus, long> Runs, int StartedSteps)> StatesAtKillAsync()
    {
        await using var store = new SqliteHubStore(_dir.File("concord.db"));
        await store.InitializeAsync(default);
        var runs = await store.QueryFlowRunsAsync(new FlowRunQuery("welcome", Limit: 1000), default);
        var started = 0;
        foreach (var run in runs.Where(r => !r.IsFinished))
        {
            started += (await store.GetFlowStepsAsync(run.Id, default)).Count(s => s.Status == FlowStepStatus.Started);
        }

        return (runs.GroupBy(r => r.Status).ToDictionary(g => g.Key, g => (long)g.Count()), started);
    }

    private static async Task<JsonNode> GetJsonAsync(HttpClient http, string url)
    {
        using var response = await http.GetAsync(url);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {url} answered {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!;
    }
}
