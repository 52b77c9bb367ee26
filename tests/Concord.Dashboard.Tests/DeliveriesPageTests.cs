using System.Globalization;
using Concord.Engine.Storage;
using Concord.Testing;
using Microsoft.Playwright;

namespace Concord.Dashboard.Tests;

/// <summary>
/// The deliveries list, a delivery's page and the transaction log in a real browser, against a hub whose receiving system
/// refuses everything at first, so its deliveries die; then it recovers and operators replay them from the dashboard.
/// </summary>
public sealed class DeliveriesPageTests : IAsyncLifetime
{
    private const string Refusal = """{"error":"sink says: customer rejected"}""";

    private RecordingSink _sink = null!;
    private DashboardRig _rig = null!;

    private IHubStore Store => _rig.Hub.Store;

    public async Task InitializeAsync()
    {
        _sink = await RecordingSink.StartAsync();
        _sink.Behavior = r => r.Headers["X-Path"].StartsWith("/sink", StringComparison.Ordinal) ? new SinkAnswer(422, Refusal) : null;
        _rig = await DashboardRig.StartAsync(TestConfigs.TwoSystems(_sink.Url + "/crm", _sink.Url + "/sink", "{ max_attempts: 1, initial_delay: 10ms, max_delay: 10ms, timeout: 2s }"));
        foreach (var (id, email) in new[] { ("c1", "ann.lee@example.com"), ("c2", "bo.diaz@example.com"), ("c3", "cy.ng@example.com") })
        {
            using var posted = await _rig.Hub.PostChangesAsync("crm", $$$"""[{"type":"customer","external_id":"{{{id}}}","fields":{"email":"{{{email}}}","name":"Someone"}}]""");
            Assert.True(posted.IsSuccessStatusCode);
        }

        await Eventually.TrueAsync(async () => (await DeadAsync()).Count == 3, "the three deliveries to the sink to die");
    }

    public async Task DisposeAsync()
    {
        await _rig.DisposeAsync();
        await _sink.DisposeAsync();
    }

    private Task<IReadOnlyList<Delivery>> DeadAsync() => Store.QueryDeliveriesAsync(new DeliveryQuery(DeliveryStatus.Dead, "sink"), default);

    private async Task<Delivery> DeadOfAsync(string email)
    {
        foreach (var d in await DeadAsync())
        {
            if (d.Payload.Contains(email, StringComparison.Ordinal))
            {
                return d;
            }
        }

        throw new InvalidOperationException($"no dead delivery for {email}");
    }

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task AnOperator_FiltersTheDeadOnes_SeesWhatTheSinkAnswered_AndReplaysOneThenTheSelected()
    {
        var page = await _rig.SignInAsync("operator");
        await page.GotoAsync(_rig.Url + "/deliveries");
        await page.GetByLabel("System").SelectOptionAsync("sink");
        await page.GetByLabel("Status").SelectOptionAsync("dead");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await page.WaitForURLAsync(u => u.Contains("system=sink", StringComparison.Ordinal) && u.Contains("status=dead", StringComparison.Ordinal));
        Assert.Equal(3, await page.GetByTestId("deliveries").Locator("tbody tr").CountAsync());
        Assert.Contains("3 deliveries, newest first, 50 per page", await page.GetByTestId("count").InnerTextAsync(), StringComparison.Ordinal);
        await DashboardRig.ScreenshotAsync(page, "deliveries-dead");

        // Another system's filter, a record's external id, a bad status: each says what it found or what is wrong.
        await page.GotoAsync(_rig.Url + "/deliveries?system=crm");
        Assert.Equal("No deliveries match this filter.", await page.GetByTestId("empty").InnerTextAsync());
        await page.GotoAsync(_rig.Url + "/deliveries?record=c2");
        var bo = await DeadOfAsync("bo.diaz@example.com");
        Assert.Equal([Id(bo.Id)], await page.GetByTestId("deliveries").Locator("tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.id)"));
        var bad = await page.GotoAsync(_rig.Url + "/deliveries?status=lost");
        Assert.Equal(400, bad!.Status);
        Assert.Equal("Status: 'lost' is not a delivery status; pick pending, retrying, dead or delivered.", await page.GetByTestId("filter-problem").InnerTextAsync());
        Assert.Equal(404, (await page.GotoAsync(_rig.Url + "/deliveries/999"))!.Status);
        Assert.StartsWith("There is no delivery #999.", await page.GetByTestId("missing").InnerTextAsync(), StringComparison.Ordinal);

        // One dead delivery's page: what was sent and what the sink answered.
        var ann = await DeadOfAsync("ann.lee@example.com");
        await page.GotoAsync(_rig.Url + "/deliveries?status=dead");
        await page.GetByRole(AriaRole.Link, new() { Name = "#" + Id(ann.Id), Exact = true }).ClickAsync();
        await page.WaitForURLAsync(_rig.Url + "/deliveries/" + Id(ann.Id));
        Assert.Equal("dead", await page.GetByTestId("status").Locator(".big").InnerTextAsync());
        Assert.Contains("ann.lee@example.com", await page.GetByTestId("payload").InnerTextAsync(), StringComparison.Ordinal);
        var attempt = page.GetByTestId("attempts").Locator("tbody tr");
        Assert.Equal(1, await attempt.CountAsync());
        var cells = await attempt.Locator("th, td").AllInnerTextsAsync();
        Assert.Equal(("1", "dead", "422"), (cells[0], cells[2], cells[3]));
        Assert.Contains("sink says: customer rejected", cells[5], StringComparison.Ordinal);
        Assert.Equal(ann.IdempotencyKey, await page.GetByTestId("idempotency-key").InnerTextAsync());
        Assert.Equal($"/dashboard/records/customer/{ann.RecordId}", await page.GetByTestId("record-link").GetAttributeAsync("href"));
        await DashboardRig.ScreenshotAsync(page, "delivery-dead");

        // The sink recovers; the replay goes through the replayer, reaches the sink once, and the store says delivered.
        _sink.Behavior = _ => null;
        await page.GetByRole(AriaRole.Button, new() { Name = "Replay this delivery" }).ClickAsync();
        Assert.Equal("Queued 1 delivery for replay.", await page.GetByTestId("notice").InnerTextAsync());
        var delivered = await Eventually.GetAsync(async () => await Store.GetDeliveryAsync(ann.Id, default) is { Status: DeliveryStatus.Succeeded } d ? d : null, "the replayed delivery to succeed");
        Assert.Equal("dashboard:operator", delivered.ReplayedBy);
        Assert.Single(_sink.Applied, r => r.Raw.Contains("ann.lee@example.com", StringComparison.Ordinal));
        await page.ReloadAsync();
        Assert.Equal("delivered", await page.GetByTestId("status").Locator(".big").InnerTextAsync());
        Assert.Contains("by dashboard:operator", await page.GetByTestId("replayed").InnerTextAsync(), StringComparison.Ordinal);

        // Tick the two still dead and replay them together.
        await page.GotoAsync(_rig.Url + "/deliveries?system=sink&status=dead");
        var rest = await DeadAsync();
        Assert.Equal(2, rest.Count);
        foreach (var d in rest)
        {
            await page.GetByLabel("Select delivery " + Id(d.Id), new() { Exact = true }).CheckAsync();
        }

        await page.GetByRole(AriaRole.Button, new() { Name = "Replay selected" }).ClickAsync();
        Assert.Equal("Queued 2 deliveries for replay.", await page.GetByTestId("notice").InnerTextAsync());
        Assert.Contains("system=sink", page.Url, StringComparison.Ordinal);
        await Eventually.TrueAsync(async () => (await Store.QueryDeliveriesAsync(new DeliveryQuery(DeliveryStatus.Succeeded, "sink"), default)).Count == 3, "all three to be delivered");
        Assert.Equal(3, _sink.Applied.Count(r => r.Headers["X-Path"].StartsWith("/sink", StringComparison.Ordinal)));
        await page.ReloadAsync();
        Assert.Equal("No dead deliveries match: everything sent was accepted.", await page.GetByTestId("empty").InnerTextAsync());
    }

    [Fact]
    public async Task ReplayAllDeadShown_TakesTheFilteredOnesOnly_AndTheLogShowsTheAnswers()
    {
        var cy = await DeadOfAsync("cy.ng@example.com");
        _sink.Behavior = _ => null;
        var page = await _rig.SignInAsync("admin");
        await page.GotoAsync(_rig.Url + "/deliveries?record=c3&status=dead");
        await page.GetByRole(AriaRole.Button, new() { Name = "Replay all dead shown (1)" }).ClickAsync();
        Assert.Equal("Queued 1 delivery for replay.", await page.GetByTestId("notice").InnerTextAsync());
        await Eventually.TrueAsync(async () => (await Store.GetDeliveryAsync(cy.Id, default))!.Status == DeliveryStatus.Succeeded, "cy's delivery to succeed");
        Assert.Equal(2, (await DeadAsync()).Count);

        // The log, on the same filter: cy's two attempts, the refusal and then the success.
        await page.GetByRole(AriaRole.Link, new() { Name = "Transaction log" }).ClickAsync();
        await page.WaitForURLAsync(u => u.Contains("/dashboard/log?", StringComparison.Ordinal) && u.Contains("record=c3", StringComparison.Ordinal));
        await page.GotoAsync(_rig.Url + "/log?record=c3&system=sink");
        var rows = page.GetByTestId("log").Locator("tbody tr");
        Assert.Equal(2, await rows.CountAsync());
        Assert.Contains("succeeded", await rows.Nth(0).InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("sink says: customer rejected", await rows.Nth(1).InnerTextAsync(), StringComparison.Ordinal);
        await page.GotoAsync(_rig.Url + "/log?status=dead");
        Assert.Equal(3, await page.GetByTestId("log").Locator("tbody tr").CountAsync());
        await DashboardRig.ScreenshotAsync(page, "log-dead");
    }

    [Fact]
    public async Task AViewer_SeesMaskedPayloads_NoReplayButtons_AndAForgedReplayIsRefused()
    {
        var ann = await DeadOfAsync("ann.lee@example.com");
        var page = await _rig.SignInAsync("viewer");
        await page.GotoAsync(_rig.Url + "/deliveries?status=dead");
        Assert.Equal(3, await page.GetByTestId("deliveries").Locator("tbody tr").CountAsync());
        Assert.Equal(0, await page.Locator("input[type=checkbox]").CountAsync());
        Assert.Equal(0, await page.GetByRole(AriaRole.Button, new() { Name = "Replay selected" }).CountAsync());

        await page.GotoAsync(_rig.Url + "/deliveries/" + Id(ann.Id));
        Assert.Contains("a***@example.com", await page.GetByTestId("payload").InnerTextAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain("ann.lee@example.com", await page.ContentAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await page.GetByRole(AriaRole.Button, new() { Name = "Replay this delivery" }).CountAsync());
        await DashboardRig.ScreenshotAsync(page, "delivery-viewer");

        await page.GotoAsync(_rig.Url + "/log");
        var log = await page.ContentAsync();
        Assert.DoesNotContain("ann.lee@example.com", log, StringComparison.Ordinal);
        Assert.Contains("(withheld for viewers)", log, StringComparison.Ordinal);

        // A post with a valid session and form token (the sign-out form's) is still refused: the server checks the role.
        var sent = _sink.Requests.Count;
        var token = await page.Locator("input[name=__concord_csrf]").First.InputValueAsync();
        var form = page.Context.APIRequest.CreateFormData();
        form.Set("__concord_csrf", token);
        var one = await page.Context.APIRequest.PostAsync($"{_rig.Url}/deliveries/{Id(ann.Id)}?handler=Replay", new() { Form = form, MaxRedirects = 0 });
        Assert.Equal(403, one.Status);
        form.Append("selected", Id(ann.Id));
        var many = await page.Context.APIRequest.PostAsync($"{_rig.Url}/deliveries?handler=ReplaySelected", new() { Form = form, MaxRedirects = 0 });
        Assert.Equal(403, many.Status);
        Assert.Equal(DeliveryStatus.Dead, (await Store.GetDeliveryAsync(ann.Id, default))!.Status);
        Assert.Equal(sent, _sink.Requests.Count);
    }

    [Fact]
    public async Task OnAPhone_TheListAndADeliveryFitTheScreen()
    {
        var ann = await DeadOfAsync("ann.lee@example.com");
        var page = await _rig.SignInAsync("operator", 390, 844);
        foreach (var (path, name) in new[] { ("/deliveries?status=dead", "deliveries-phone"), ("/deliveries/" + Id(ann.Id), "delivery-phone"), ("/log", "log-phone") })
        {
            await page.GotoAsync(_rig.Url + path);
            var width = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
            Assert.True(width <= 390, $"{path} is {width.ToString(CultureInfo.InvariantCulture)} px wide on a 390 px screen");
            await DashboardRig.ScreenshotAsync(page, name);
        }

        Assert.True(await page.GetByLabel("System").IsVisibleAsync());
    }
}
