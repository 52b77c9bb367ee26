using System.Globalization;
using Concord.Engine.Storage;
using Concord.Server.Dashboard;
using Concord.Testing;
using Microsoft.Playwright;

namespace Concord.Dashboard.Tests;

/// <summary>
/// The flows pages in a real browser: a flow whose second step fails because the system it calls refuses, its run
/// opened step by step, and replayed from the failed step once the cause is fixed.
/// </summary>
public sealed class FlowsPageTests : IAsyncLifetime
{
    private RecordingSink _sink = null!;
    private DashboardRig _rig = null!;
    private string _runId = "";

    public async Task InitializeAsync()
    {
        _sink = await RecordingSink.StartAsync();
        _sink.Behavior = r => r.Headers["X-Path"] == "/ping" ? new SinkAnswer(422, """{"error":"unknown customer"}""") : null;
        _rig = await DashboardRig.StartAsync(Yaml(_sink.Url));
        using var posted = await _rig.Hub.PostChangesAsync("crm", """{"type":"customer","external_id":"c1","fields":{"email":"ann.lee@example.com","name":"Ann Lee"}}""");
        Assert.True(posted.IsSuccessStatusCode);
        var failed = await Eventually.GetAsync(
            async () => (await _rig.Hub.Store.QueryFlowRunsAsync(new FlowRunQuery("welcome", Status: FlowRunStatus.Failed), default)).SingleOrDefault(), "the run to fail");
        _runId = failed.Id;
    }

    public async Task DisposeAsync()
    {
        await _rig.DisposeAsync();
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
            description: Each new customer from the CRM is stamped in the books and announced
            minutes_saved: 3
            trigger: { record: customer, on: created, from: crm }
            steps:
              - id: stamp
                update: { type: customer, record: "{{ customer.id }}", in: books, fields: { lifecycle_stage: welcomed } }
              - id: ping
                http: { url: "{{{sink}}}/ping", body: { email: "{{ customer.email }}" } }
                retry: { attempts: 1, delay: 10ms }
          nightly:
            trigger: { schedule: "0 2 * * *" }
            steps:
              - lookup: { rows: { a: 1 }, key: a }
        """;

    [Fact]
    public async Task AnOperator_OpensTheFailedRun_SeesTheStepsAnswer_AndReplaysItFromTheFailedStep()
    {
        var page = await _rig.SignInAsync("operator");
        await page.GotoAsync(_rig.Url + "/flows");
        var welcome = page.GetByTestId("flows").Locator("tr[data-flow=welcome]");
        var cells = await welcome.Locator("th, td").AllInnerTextsAsync();
        Assert.Equal(("welcome", "a customer is created from crm", "1", "1", "1", "0"), (cells[0], cells[1], cells[2], cells[3], cells[4], cells[5]));
        Assert.Contains("schedule 0 2 * * *", await page.GetByTestId("flows").Locator("tr[data-flow=nightly]").InnerTextAsync(), StringComparison.Ordinal);
        await DashboardRig.ScreenshotAsync(page, "flows-failed");

        // The failures link opens the flow's failed runs; the run shows each step, the failed one with the system's answer.
        await welcome.GetByRole(AriaRole.Link, new() { Name = "1" }).ClickAsync();
        await page.WaitForURLAsync(_rig.Url + "/flows/welcome?status=failed");
        await page.GetByRole(AriaRole.Link, new() { Name = _runId }).ClickAsync();
        await page.WaitForURLAsync(_rig.Url + "/flows/runs/" + _runId);
        Assert.Equal("failed", await page.GetByTestId("run-status").Locator(".big").InnerTextAsync());
        Assert.Contains("answered 422", await page.GetByTestId("run-error").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(["stamp: succeeded", "ping: failed"], await page.Locator("article.step h3").AllInnerTextsAsync());
        var output = await page.GetByTestId("output-ping").InnerTextAsync();
        Assert.Contains("422", output, StringComparison.Ordinal);
        Assert.Contains("unknown customer", output, StringComparison.Ordinal);
        Assert.Contains("ann.lee@example.com", await page.GetByTestId("run-input").InnerTextAsync(), StringComparison.Ordinal);
        await DashboardRig.ScreenshotAsync(page, "flow-run-failed");

        // The cause is fixed; replay from the failed step: the write before it is not made again.
        _sink.Behavior = _ => null;
        await page.GetByRole(AriaRole.Button, new() { Name = "Replay from the failed step" }).ClickAsync();
        Assert.Equal($"Replaying run {_runId} from step ping.", await page.GetByTestId("notice").InnerTextAsync());
        await Eventually.TrueAsync(async () => (await _rig.Hub.Store.GetFlowRunAsync(_runId, default))!.Status == FlowRunStatus.Succeeded, "the replayed run to succeed");
        Assert.Single(_sink.Applied, r => r.Headers["X-Path"] == "/ping");
        Assert.Single(_sink.Applied, r => r.Headers["X-Path"].StartsWith("/books", StringComparison.Ordinal) && r.Raw.Contains("welcomed", StringComparison.Ordinal));
        var replayed = (await _rig.Hub.Store.GetFlowRunAsync(_runId, default))!;
        Assert.Equal("dashboard:operator", replayed.ReplayedBy);
        await page.ReloadAsync();
        Assert.Equal("succeeded", await page.GetByTestId("run-status").Locator(".big").InnerTextAsync());
        Assert.Equal($"Replayed by dashboard:operator at {DashboardText.When(replayed.ReplayedAt!.Value)}", await page.GetByTestId("replayed").InnerTextAsync());
        Assert.Equal(["stamp: succeeded", "ping: succeeded"], await page.Locator("article.step h3").AllInnerTextsAsync());
        Assert.Equal(0, await page.GetByRole(AriaRole.Button, new() { Name = "Replay from the failed step" }).CountAsync());

        // The successful run now counts as work saved: 3 minutes a run.
        await page.GotoAsync(_rig.Url + "/flows");
        Assert.Equal("3", (await page.GetByTestId("flows").Locator("tr[data-flow=welcome] td").AllInnerTextsAsync())[4]);
        await page.GotoAsync(_rig.Url + "/flows/welcome?status=failed");
        Assert.Equal("No failed runs.", await page.GetByTestId("empty").InnerTextAsync());
        var bad = await page.GotoAsync(_rig.Url + "/flows/welcome?status=broken");
        Assert.Equal(400, bad!.Status);
        Assert.Equal(404, (await page.GotoAsync(_rig.Url + "/flows/billing"))!.Status);
        Assert.Equal("No flow named 'billing' is configured.", await page.GetByTestId("missing").InnerTextAsync());
        Assert.Equal(404, (await page.GotoAsync(_rig.Url + "/flows/runs/run_0000"))!.Status);
        Assert.Equal("There is no flow run run_0000.", await page.GetByTestId("missing").InnerTextAsync());
        Assert.Equal("Flows", await page.Locator("nav a[aria-current=page]").InnerTextAsync());
    }

    [Fact]
    public async Task AViewer_SeesTheRunMasked_WithoutTheReplayButton_AndAForgedReplayIsRefused()
    {
        var page = await _rig.SignInAsync("viewer");
        await page.GotoAsync(_rig.Url + "/flows/runs/" + _runId);
        Assert.Contains("a***@example.com", await page.GetByTestId("run-input").InnerTextAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain("ann.lee@example.com", await page.ContentAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await page.GetByRole(AriaRole.Button, new() { Name = "Replay from the failed step" }).CountAsync());
        Assert.Equal(0, await page.GetByTestId("replayed").CountAsync());
        await DashboardRig.ScreenshotAsync(page, "flow-run-viewer");

        var token = await page.Locator("input[name=__concord_csrf]").First.InputValueAsync();
        var form = page.Context.APIRequest.CreateFormData();
        form.Set("__concord_csrf", token);
        var forged = await page.Context.APIRequest.PostAsync($"{_rig.Url}/flows/runs/{_runId}?handler=Replay", new() { Form = form, MaxRedirects = 0 });
        Assert.Equal(403, forged.Status);
        Assert.Equal(FlowRunStatus.Failed, (await _rig.Hub.Store.GetFlowRunAsync(_runId, default))!.Status);
    }

    [Fact]
    public async Task OnAPhone_TheFlowPagesFitTheScreen()
    {
        var page = await _rig.SignInAsync("operator", 390, 844);
        foreach (var (path, name) in new[] { ("/flows", "flows-phone"), ("/flows/welcome", "flow-phone"), ("/flows/runs/" + _runId, "flow-run-phone") })
        {
            await page.GotoAsync(_rig.Url + path);
            var width = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
            Assert.True(width <= 390, $"{path} is {width.ToString(CultureInfo.InvariantCulture)} px wide on a 390 px screen");
            await DashboardRig.ScreenshotAsync(page, name);
        }
    }
}
