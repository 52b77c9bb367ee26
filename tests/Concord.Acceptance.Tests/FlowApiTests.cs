using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Concord.Engine.Flows;
using Concord.Testing;

namespace Concord.Acceptance.Tests;

/// <summary>
/// The flow endpoints over HTTP: the configured flows, a record-triggered run's history (steps, masked input, the
/// deliveries it caused), manual starts, replay, the ROI report, and signed webhooks to <c>/hooks/flows/{flow}</c>.
/// </summary>
public sealed class FlowApiTests : IAsyncLifetime
{
    private const string SignupSecret = "signup-secret-for-tests";

    private RecordingSink _sink = null!;
    private HubHarness _hub = null!;

    public async Task InitializeAsync()
    {
        _sink = await RecordingSink.StartAsync();
        var secrets = new Dictionary<string, string>(TestConfigs.Secrets) { ["SIGNUP_SECRET"] = SignupSecret };
        _hub = await HubHarness.StartAsync(Yaml(_sink.Url), secrets);
    }

    public async Task DisposeAsync()
    {
        await _hub.DisposeAsync();
        await _sink.DisposeAsync();
    }

    private static string Yaml(string sink) => $$$"""
        version: 1
        systems:
          crm:
            kind: http
            settings:
              url: {{{sink}}}/crm
              webhook_secret: { env: CRM_WEBHOOK_SECRET }
          books:
            kind: http
            settings:
              url: {{{sink}}}/books
            retry: { max_attempts: 3, initial_delay: 50ms, max_delay: 200ms, timeout: 2s }
        entities:
          customer:
            owner: crm
            identity: [email]
        syncs:
          - { system: crm, type: customer, direction: pull }
          - { system: books, type: customer, direction: push }
        flows:
          welcome:
            description: Each new customer from the CRM is stamped, sent to the books and announced
            minutes_saved: 3
            trigger: { record: customer, on: created, from: crm }
            when: "customer.email != null"
            steps:
              - id: stamp
                update: { type: customer, record: "{{ customer.id }}", in: books, fields: { lifecycle_stage: welcomed } }
              - id: ping
                http: { url: "{{{sink}}}/ping", body: { email: "{{ customer.email }}", books_id: "{{ steps.stamp.external_id }}" } }
                retry: { attempts: 2, delay: 100ms }
          signup:
            trigger: { webhook: { secret: { env: SIGNUP_SECRET } } }
            steps:
              - id: note
                http: { url: "{{{sink}}}/signup", body: { plan: "{{ body.plan ?? 'none' }}", via: "{{ trigger.kind }}" } }
          paused:
            enabled: false
            trigger: manual
            steps:
              - lookup: { rows: { a: 1 }, key: a }
        """;

    private async Task<(HttpStatusCode Status, JsonNode? Body)> SendAsync(HttpMethod method, string path, string? json = null, HttpClient? client = null)
    {
        using var request = new HttpRequestMessage(method, _hub.Url + path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using var response = await (client ?? _hub.Http).SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    /// <summary>A customer from the CRM; returns its golden id once the hub has it.</summary>
    private async Task<string> CustomerAsync(string email)
    {
        using var posted = await _hub.PostChangesAsync("crm", $$$"""{"type":"customer","external_id":"{{{email}}}","fields":{"email":"{{{email}}}","name":"Ann Lee"}}""");
        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        return await Eventually.GetAsync(async () =>
            (await _hub.GetJsonAsync($"/api/v1/records/customer?q={email}")).AsArray().SingleOrDefault()?["id"]?.ToString(), $"{email} in the hub");
    }

    private Task<JsonNode> FinishedAsync(string runId) => Eventually.GetAsync(async () =>
    {
        var run = await _hub.GetJsonAsync($"/api/v1/runs/{runId}");
        return (string?)run["run"]!["status"] is "succeeded" or "failed" or "skipped" or "stopped" ? run : null;
    }, $"run {runId} to finish");

    [Fact]
    public async Task TheFlows_AreListedAsConfigured()
    {
        var flows = (await _hub.GetJsonAsync("/api/v1/flows")).AsArray();

        Assert.Equal(["welcome", "signup", "paused"], flows.Select(f => (string)f!["name"]!));
        var welcome = flows[0]!;
        Assert.Equal("Each new customer from the CRM is stamped, sent to the books and announced", (string?)welcome["description"]);
        Assert.Equal(3, (double)welcome["minutes_saved"]!);
        Assert.Equal(4, (int)welcome["concurrency"]!);
        Assert.True((bool)welcome["enabled"]!);
        Assert.Equal("customer.email != null", (string?)welcome["when"]);
        Assert.Equal("""{"kind":"record","type":"customer","on":"created","fields":[],"from":["crm"]}""", welcome["trigger"]!.ToJsonString());
        Assert.Equal(["stamp:update", "ping:http"], welcome["steps"]!.AsArray().Select(s => $"{s!["id"]}:{s["action"]}"));
        Assert.Empty(welcome["runs_30_days"]!.AsObject());
        Assert.Equal("""{"kind":"webhook"}""", flows[1]!["trigger"]!.ToJsonString());
        Assert.False((bool)flows[2]!["enabled"]!);
        Assert.Equal("lookup_1", (string?)flows[2]!["steps"]![0]!["id"]);

        var one = await _hub.GetJsonAsync("/api/v1/flows/welcome");
        Assert.Equal("books", (string?)one["steps"]![0]!["args"]!["in"]);
        Assert.Equal("{{ customer.id }}", (string?)one["steps"]![0]!["args"]!["record"]);
        var (missing, problem) = await SendAsync(HttpMethod.Get, "/api/v1/flows/billing");
        Assert.Equal(HttpStatusCode.NotFound, missing);
        Assert.Equal("no flow named 'billing' is configured", (string?)problem!["detail"]);
    }

    [Fact]
    public async Task ARecordTriggeredRun_IsShownWithItsSteps_MaskedInput_AndTheDeliveriesItCaused()
    {
        var ann = await CustomerAsync("ann.lee@example.com");
        var bo = await CustomerAsync("bo.diaz@example.com");
        var runs = await Eventually.GetAsync(async () =>
        {
            var found = (await _hub.GetJsonAsync("/api/v1/runs?flow=welcome&status=succeeded")).AsArray();
            return found.Count == 2 ? found : null;
        }, "both runs to succeed");

        // Newest first, filtered by record and status.
        Assert.Equal([bo, ann], runs.Select(r => (string)r!["record_id"]!));
        var run = Assert.Single((await _hub.GetJsonAsync($"/api/v1/runs?record={ann}")).AsArray())!;
        Assert.Equal(("welcome", "record", "customer", 0, null), ((string?)run["flow"], (string?)run["trigger"], (string?)run["record_type"], (int)run["depth"]!, (string?)run["error"]));
        Assert.Empty((await _hub.GetJsonAsync("/api/v1/runs?status=failed")).AsArray());
        Assert.Empty((await _hub.GetJsonAsync("/api/v1/runs?flow=signup")).AsArray());
        Assert.Single((await _hub.GetJsonAsync($"/api/v1/runs?flow=welcome&limit=1&before={runs[0]!["sequence"]}")).AsArray(), r => (string?)r!["record_id"] == ann);
        var (badStatus, problem) = await SendAsync(HttpMethod.Get, "/api/v1/runs?status=done");
        Assert.Equal(HttpStatusCode.BadRequest, badStatus);
        Assert.Equal("status: status must be one of pending, running, waiting, retrying, succeeded, failed, skipped, stopped", (string?)problem!["detail"]);
        Assert.Equal(HttpStatusCode.BadRequest, (await SendAsync(HttpMethod.Get, "/api/v1/runs?since=yesterday")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await SendAsync(HttpMethod.Get, "/api/v1/runs?before=last")).Status);

        var runId = (string)run["id"]!;
        var detail = await _hub.GetJsonAsync($"/api/v1/runs/{runId}");
        Assert.DoesNotContain("ann.lee@example.com", detail.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal("a***@example.com", (string?)detail["input"]!["customer"]!["email"]);
        Assert.Equal("A*** L***", (string?)detail["input"]!["customer"]!["name"]);
        var steps = detail["steps"]!.AsArray();
        Assert.Equal(["stamp:succeeded", "ping:succeeded"], steps.Select(s => $"{s!["id"]}:{s["status"]}"));
        Assert.Equal($"{runId}.ping", (string?)steps[1]!["idempotency_key"]);
        Assert.Equal("a***@example.com", (string?)steps[1]!["input"]!["body"]!["email"]);
        Assert.Equal(200, (int)steps[1]!["output"]!["status"]!);
        var externalId = (string)steps[0]!["output"]!["external_id"]!;

        // The log entries correlated with the run: the flow's write reaching the books.
        var log = detail["log"]!.AsArray();
        Assert.NotEmpty(log);
        Assert.All(log, e => Assert.Equal(runId, (string?)e!["correlation_id"]));
        var delivered = Assert.Single(log, e => (string?)e!["result"] == "succeeded")!;
        Assert.Equal(("outbound", "books", ann, externalId), ((string?)delivered["direction"], (string?)delivered["system"], (string?)delivered["record_id"], (string?)delivered["external_id"]));
        Assert.Equal("welcomed", (string?)delivered["payload"]!["lifecycle_stage"]);

        Assert.Equal("""{"succeeded":2}""", (await _hub.GetJsonAsync("/api/v1/flows/welcome"))["runs_30_days"]!.ToJsonString());
        var (succeededReplay, refused) = await SendAsync(HttpMethod.Post, $"/api/v1/runs/{runId}/replay");
        Assert.Equal(HttpStatusCode.Conflict, succeededReplay);
        Assert.Equal($"run {runId} is succeeded; only a failed or stopped run can be replayed", (string?)refused!["detail"]);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Post, "/api/v1/runs/run_0000/replay")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Get, "/api/v1/runs/run_0000")).Status);
    }

    [Fact]
    public async Task AFailedRun_IsReplayedFromTheStepThatFailed()
    {
        _sink.Behavior = r => r.Headers["X-Path"] == "/ping" ? new SinkAnswer(422, """{"error":"unknown customer"}""") : null;
        var ann = await CustomerAsync("ann.lee@example.com");
        var failed = await Eventually.GetAsync(async () => (await _hub.GetJsonAsync("/api/v1/runs?status=failed")).AsArray().SingleOrDefault(), "the run to fail");
        var runId = (string)failed!["id"]!;
        Assert.Equal("ping", (string?)failed["step"]);
        Assert.StartsWith("POST ", (string?)failed["error"], StringComparison.Ordinal);
        Assert.Contains("answered 422", (string?)failed["error"], StringComparison.Ordinal);
        var detail = await _hub.GetJsonAsync($"/api/v1/runs/{runId}");
        Assert.Equal(422, (int)detail["steps"]![1]!["output"]!["status"]!);
        Assert.Equal("""{"error":"unknown customer"}""", (string?)detail["steps"]![1]!["output"]!["body"]);

        _sink.Behavior = _ => null;
        var (status, replayed) = await SendAsync(HttpMethod.Post, $"/api/v1/runs/{runId}/replay");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(("pending", 1, "ping"), ((string?)replayed!["status"], (int)replayed["replays"]!, (string?)replayed["step"]));

        // Who replayed it (the API key's name) and when, as a delivery replay keeps them.
        Assert.Equal("tests", (string?)replayed["replayed_by"]);
        var replayedAt = DateTimeOffset.Parse((string)replayed["replayed_at"]!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(DateTimeOffset.UtcNow - replayedAt, TimeSpan.Zero, TimeSpan.FromMinutes(1));
        Assert.True(failed.AsObject().TryGetPropertyValue("replayed_by", out var never) && never is null, "a run never replayed has replayed_by: null");
        var done = await FinishedAsync(runId);
        Assert.Equal("succeeded", (string?)done["run"]!["status"]);
        Assert.Equal("tests", (string?)done["run"]!["replayed_by"]);
        Assert.Equal(replayedAt.ToUnixTimeMilliseconds(), DateTimeOffset.Parse((string)done["run"]!["replayed_at"]!, System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds());
        Assert.Equal($"{runId}.ping.r1", (string?)done["steps"]![1]!["idempotency_key"]);

        // The write before the failed step was not made again.
        var history = (await _hub.GetJsonAsync($"/api/v1/records/customer/{ann}"))["history"]!.AsArray();
        Assert.Single(history, e => (string?)e!["system"] == "flow:welcome");
        Assert.Single(_sink.Applied, r => r.Headers["X-Path"] == "/ping");
    }

    [Fact]
    public async Task AManualStart_RunsAnyFlowWithTheBodyAsInput_AndABadBodyIsRefusedWithTheReason()
    {
        var (status, started) = await SendAsync(HttpMethod.Post, "/api/v1/flows/signup/runs", """{"body":{"plan":"pro"}}""");
        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal("accepted", (string?)started!["status"]);
        var runId = (string)started["run_id"]!;
        var done = await FinishedAsync(runId);
        Assert.Equal(("succeeded", "manual"), ((string?)done["run"]!["status"], (string?)done["run"]!["trigger"]));
        Assert.Equal("tests", (string?)done["input"]!["trigger"]!["by"]);
        Assert.Equal("""{"plan":"pro","via":"manual"}""", Assert.Single(_sink.Applied, r => r.Headers["X-Path"] == "/signup").Raw);

        // As `curl -d` sends it: JSON with a form content type.
        using (var form = await _hub.Http.PostAsync($"{_hub.Url}/api/v1/flows/signup/runs", new StringContent("""{"body":{"plan":"team"}}""", Encoding.UTF8, "application/x-www-form-urlencoded")))
        {
            Assert.Equal(HttpStatusCode.Accepted, form.StatusCode);
        }

        var (empty, emptyStarted) = await SendAsync(HttpMethod.Post, "/api/v1/flows/signup/runs");
        Assert.Equal(HttpStatusCode.Accepted, empty);
        Assert.Equal("succeeded", (string?)(await FinishedAsync((string)emptyStarted!["run_id"]!))["run"]!["status"]);

        var (array, arrayProblem) = await SendAsync(HttpMethod.Post, "/api/v1/flows/signup/runs", "[1, 2]");
        Assert.Equal(HttpStatusCode.BadRequest, array);
        Assert.Equal("""body: the run's input must be a JSON object ({"name": value, …}), not an array""", (string?)arrayProblem!["detail"]);
        var (malformed, malformedProblem) = await SendAsync(HttpMethod.Post, "/api/v1/flows/signup/runs", """{"plan": """);
        Assert.Equal(HttpStatusCode.BadRequest, malformed);
        Assert.StartsWith("body: not valid JSON: ", (string?)malformedProblem!["detail"], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Post, "/api/v1/flows/billing/runs", "{}")).Status);
        var (paused, pausedProblem) = await SendAsync(HttpMethod.Post, "/api/v1/flows/paused/runs", "{}");
        Assert.Equal(HttpStatusCode.Conflict, paused);
        Assert.Equal("flow 'paused' is paused (enabled: false)", (string?)pausedProblem!["detail"]);

        using var anonymous = new HttpClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(HttpMethod.Post, "/api/v1/flows/signup/runs", "{}", anonymous)).Status);
        Assert.Equal(3, (await _hub.GetJsonAsync("/api/v1/runs")).AsArray().Count);
    }

    [Fact]
    public async Task TheRoiReport_CountsSuccessfulRunsTimesMinutes_ScaledToAMonth()
    {
        await CustomerAsync("ann.lee@example.com");
        await Eventually.TrueAsync(async () => (await _hub.GetJsonAsync("/api/v1/runs?status=succeeded")).AsArray().Count == 1, "the run to succeed");

        // 1 run × 3 min = 0.05 h over 30 days; at 22.50 an hour: 1.125, rounded away from zero.
        var month = await _hub.GetJsonAsync("/api/v1/reports/roi");
        Assert.Equal(("EUR", 22.50m, 1, 0.05, 1.13m), ((string?)month["currency"], (decimal)month["hourly_rate"]!, (int)month["total_runs"]!,
            (double)month["total_hours_per_month"]!, (decimal)month["total_value_per_month"]!));
        Assert.Equal(["welcome", "paused", "signup"], month["lines"]!.AsArray().Select(l => (string)l!["flow"]!));
        Assert.Empty(month["unpriced"]!.AsArray());
        Assert.Equal(30, (double)month["window_days"]!);

        // Over a week: × 30/7 = 0.214 h → 0.21 h; at 30 an hour 6.43.
        var week = await _hub.GetJsonAsync("/api/v1/reports/roi?since=7d&rate=30&currency=usd");
        var welcome = week["lines"]![0]!;
        Assert.Equal(("USD", 7.0, 0.21, 6.43m), ((string?)week["currency"], (double)week["window_days"]!, (double)welcome["hours_per_month"]!, (decimal)welcome["value_per_month"]!));

        var (badSince, problem) = await SendAsync(HttpMethod.Get, "/api/v1/reports/roi?since=yesterday");
        Assert.Equal(HttpStatusCode.BadRequest, badSince);
        Assert.Equal("since: since must be a duration such as 7d or 30d, not 'yesterday'", (string?)problem!["detail"]);
        Assert.Equal(HttpStatusCode.BadRequest, (await SendAsync(HttpMethod.Get, "/api/v1/reports/roi?rate=-1")).Status);
    }

    private async Task<(HttpStatusCode Status, JsonNode? Body)> HookAsync(string flow, string json, string? secret, string? delivery = null)
    {
        var body = Encoding.UTF8.GetBytes(json);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{_hub.Url}/hooks/flows/{flow}") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (secret is not null)
        {
            request.Headers.Add(FlowWebhookSignature.SignatureHeader, FlowWebhookSignature.Sign(secret, body));
        }

        if (delivery is not null)
        {
            request.Headers.Add(FlowWebhookSignature.DeliveryHeader, delivery);
        }

        // No API key: a webhook proves itself with its signature.
        using var http = new HttpClient();
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    [Fact]
    public async Task ASignedWebhook_StartsARun_OncePerDelivery_AndAnUnsignedOneStartsNothing()
    {
        var (status, accepted) = await HookAsync("signup", """{"plan":"team"}""", SignupSecret, delivery: "evt-1");
        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal("accepted", (string?)accepted!["status"]);
        var done = await FinishedAsync((string)accepted["run_id"]!);
        Assert.Equal(("succeeded", "webhook"), ((string?)done["run"]!["status"], (string?)done["run"]!["trigger"]));
        Assert.Equal("evt-1", (string?)done["input"]!["trigger"]!["delivery"]);
        Assert.Equal("""{"plan":"team","via":"webhook"}""", Assert.Single(_sink.Applied).Raw);

        var (again, duplicate) = await HookAsync("signup", """{"plan":"team"}""", SignupSecret, delivery: "evt-1");
        Assert.Equal(HttpStatusCode.Accepted, again);
        Assert.Equal("""{"run_id":null,"status":"duplicate"}""", duplicate!.ToJsonString());

        var (unsigned, unsignedProblem) = await HookAsync("signup", """{"plan":"free"}""", secret: null);
        Assert.Equal(HttpStatusCode.Unauthorized, unsigned);
        Assert.Equal("webhook for flow 'signup' rejected: missing X-Concord-Signature header", (string?)unsignedProblem!["detail"]);
        var (forged, forgedProblem) = await HookAsync("signup", """{"plan":"free"}""", "not-the-secret");
        Assert.Equal(HttpStatusCode.Unauthorized, forged);
        Assert.Equal("webhook for flow 'signup' rejected: signature does not match", (string?)forgedProblem!["detail"]);
        var (empty, emptyProblem) = await HookAsync("signup", "", SignupSecret);
        Assert.Equal(HttpStatusCode.BadRequest, empty);
        Assert.Contains("the request has no body", (string?)emptyProblem!["detail"], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await HookAsync("welcome", "{}", SignupSecret)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await HookAsync("billing", "{}", SignupSecret)).Status);

        // Without a delivery id every signed request starts a run.
        Assert.Equal(HttpStatusCode.Accepted, (await HookAsync("signup", """{"plan":"solo"}""", SignupSecret)).Status);
        Assert.Equal(2, (await _hub.GetJsonAsync("/api/v1/runs?flow=signup")).AsArray().Count);
    }
}
