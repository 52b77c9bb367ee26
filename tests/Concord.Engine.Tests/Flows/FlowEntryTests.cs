using System.Text;
using System.Text.Json.Nodes;
using Concord.Core.Configuration;
using Concord.Core.Flows.Model;
using Concord.Engine.Connectors;
using Concord.Engine.Flows;
using Concord.Engine.Storage;
using Concord.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using static Concord.Engine.Tests.Flows.FlowBuilder;

namespace Concord.Engine.Tests.Flows;

/// <summary>How runs start besides record events: signed webhooks, schedules, by hand; and dry runs.</summary>
public sealed class FlowEntryTests
{
    private static FlowConfig Hooked() => Flow("lead", new WebhookTrigger(new SecretRef("LEAD_SECRET", SourceSpan.None), SourceSpan.None),
        Step("contact", StepAction.FindOrCreate, """{"type":"customer","fields":{"email":"{{ body.email }}","name":"{{ body.name }}"}}"""));

    private static InboundRequest Request(string body, string? signature, string? delivery = null)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (signature is not null)
        {
            headers["x-concord-signature"] = signature;
        }

        if (delivery is not null)
        {
            headers[FlowWebhookSignature.DeliveryHeader] = delivery;
        }

        return new InboundRequest("lead", headers, Encoding.UTF8.GetBytes(body));
    }

    [Fact]
    public async Task AWebhookStartsARunOnlyWithTheRightSignature_AndADeliveryIdOnce()
    {
        await using var rig = await FlowRig.StartAsync([Hooked()]);
        const string body = """{"email":"lead@example.com","name":"Lee"}""";
        var signature = FlowWebhookSignature.Sign(FlowRig.Secret, Encoding.UTF8.GetBytes(body));
        Assert.Matches("^sha256=[0-9a-f]{64}$", signature);

        var missing = await Assert.ThrowsAsync<WebhookRejectedException>(() => rig.Flows.AcceptWebhookAsync("lead", Request(body, null), default));
        Assert.Contains("missing X-Concord-Signature", missing.Message);
        var wrong = FlowWebhookSignature.Sign("another secret", Encoding.UTF8.GetBytes(body));
        Assert.Equal("signature does not match", (await Assert.ThrowsAsync<WebhookRejectedException>(() => rig.Flows.AcceptWebhookAsync("lead", Request(body, wrong), default))).Message);
        var tampered = Request(body.Replace("Lee", "Eve", StringComparison.Ordinal), signature);
        await Assert.ThrowsAsync<WebhookRejectedException>(() => rig.Flows.AcceptWebhookAsync("lead", tampered, default));
        Assert.Empty(await rig.RunsAsync());

        var run = await rig.Flows.AcceptWebhookAsync("lead", Request(body, signature, "d-1"), default);
        Assert.NotNull(run);
        Assert.Null(await rig.Flows.AcceptWebhookAsync("lead", Request(body, signature, "d-1"), default));
        var done = await rig.FinishedAsync(run.Id);

        Assert.Equal(FlowRunStatus.Succeeded, done.Status);
        Assert.Equal(("webhook", "delivery:d-1"), (done.TriggerKind, done.TriggerKey));
        Assert.Equal("d-1", (string?)JsonNode.Parse(done.Input)!["trigger"]!["delivery"]);
        Assert.Equal("Lee", (string?)(await rig.OutputAsync(run.Id, "contact"))["name"]);
        Assert.Single(await rig.RunsAsync());

        var notAHook = await Assert.ThrowsAsync<FlowRefusedException>(() => rig.Flows.AcceptWebhookAsync("nope", Request(body, signature), default));
        Assert.True(notAHook.NotFound);
    }

    [Fact]
    public async Task AScheduleFiresEachSlotOnce_AndOnlyTheLatestMissedSlotAfterDowntime()
    {
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.Zero));
        var trigger = new ScheduleTrigger(null!, TimeZoneInfo.Utc, SourceSpan.None);
        await using var rig = await FlowRig.StartAsync([Flow("report", trigger, Step("ping", StepAction.Notify))], time, start: false);
        var enqueued = 0;

        // Every quarter of an hour, as "*/15 * * * *" would.
        static DateTimeOffset Quarter(ScheduleTrigger _, DateTimeOffset after) =>
            new DateTimeOffset(after.Year, after.Month, after.Day, after.Hour, after.Minute / 15 * 15, 0, TimeSpan.Zero).AddMinutes(15);
        var scheduler = new FlowScheduler(rig.Config, rig.Store, time, NullLogger.Instance, () => enqueued++, Quarter);

        Assert.Equal(new DateTimeOffset(2026, 11, 22, 9, 15, 0, TimeSpan.Zero), await scheduler.TickAsync(default));
        Assert.Empty(await rig.RunsAsync());

        time.Advance(TimeSpan.FromMinutes(16));
        await scheduler.TickAsync(default);
        await scheduler.TickAsync(default);
        var first = Assert.Single(await rig.RunsAsync());
        Assert.Equal(("schedule", "schedule:2026-11-22T09:15:00Z"), (first.TriggerKind, first.TriggerKey));
        Assert.Equal("2026-11-22T09:15:00Z", (string?)JsonNode.Parse(first.Input)!["trigger"]!["at"]);

        time.Advance(TimeSpan.FromHours(2));
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 11, 30, 0, TimeSpan.Zero), await scheduler.TickAsync(default));
        var runs = await rig.RunsAsync();
        Assert.Equal(["schedule:2026-11-22T09:15:00Z", "schedule:2026-11-22T11:15:00Z"], runs.Select(r => r.TriggerKey));
        Assert.Equal(2, enqueued);
        Assert.Equal("2026-11-22T11:15:00Z", await rig.Store.GetConnectorStateAsync(FlowScheduler.StateSystem, "schedule:report", default));

        // A new scheduler (a restart) goes on from the slot remembered.
        var again = new FlowScheduler(rig.Config, rig.Store, time, NullLogger.Instance, () => enqueued++, Quarter);
        await again.TickAsync(default);
        Assert.Equal(2, (await rig.RunsAsync()).Count);
    }

    [Fact]
    public async Task ADryRunReportsWhatWouldBeWritten_AndWritesNothing()
    {
        var notify = new ScriptedStep(StepAction.Notify, (s, _, _) => ScriptedStep.Done(new { dry_run = s.DryRun, would_send = s.Args["text"]!.ToString() }));
        await using var rig = await FlowRig.StartAsync(
        [
            Flow("signup", Manual,
                Step("contact", StepAction.FindOrCreate, """{"type":"customer","in":"sink","fields":{"email":"{{ input.email }}","name":"{{ input.name }}"}}"""),
                Step("tell", StepAction.Notify, """{"text":"New customer {{ steps.contact.name }} ({{ steps.contact.id }})"}"""),
                Step("never", StepAction.Http, when: "false")),
        ], handlers: [notify]);

        var report = await rig.Flows.TestAsync("signup", new JsonObject { ["email"] = "ann@example.com", ["name"] = "Ann" }, "tests", dryRun: true, TimeSpan.FromSeconds(10), default);

        Assert.Equal(("succeeded", true), (report.Status, report.DryRun));
        Assert.Equal(["contact", "tell", "never"], report.Steps.Select(s => s.Id));
        Assert.Equal(["find_or_create", "notify", "http"], report.Steps.Select(s => s.Action));
        var contact = report.Steps[0];
        Assert.Equal("succeeded", contact.Status);
        Assert.Equal("ann@example.com", (string?)contact.Input!["fields"]!["email"]);
        Assert.True((bool)contact.Output!["dry_run"]!);
        Assert.True((bool)contact.Output["created"]!);
        Assert.False(((JsonObject)contact.Output).ContainsKey("$await"));
        Assert.Equal($"New customer Ann ({contact.Output["id"]})", (string?)report.Steps[1].Output!["would_send"]);
        Assert.True((bool)report.Steps[1].Output!["dry_run"]!);
        Assert.Equal("skipped", report.Steps[2].Status);

        Assert.Empty(await rig.Store.SearchAsync("customer", "ann@example.com", 10, default));
        Assert.Empty(await rig.Store.QueryDeliveriesAsync(new DeliveryQuery(), default));
        Assert.Empty(await rig.RunsAsync());
    }

    [Fact]
    public async Task APausedFlowIsNotStartedByHand()
    {
        await using var rig = await FlowRig.StartAsync([new FlowConfig { Name = "off", Trigger = Manual, Enabled = false }]);

        var refused = await Assert.ThrowsAsync<FlowRefusedException>(() => rig.Flows.StartManualAsync("off", [], "tests", default));

        Assert.Contains("paused", refused.Message);
        Assert.True((await Assert.ThrowsAsync<FlowRefusedException>(() => rig.Flows.StartManualAsync("missing", [], "tests", default))).NotFound);
    }
}
