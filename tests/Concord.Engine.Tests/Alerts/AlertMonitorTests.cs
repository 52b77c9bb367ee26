using System.Text.Json.Nodes;
using Concord.Core.Alerts;
using Concord.Engine.Alerts;
using Concord.Engine.Storage;

namespace Concord.Engine.Tests.Alerts;

public sealed class AlertMonitorTests
{
    private const string Yaml = """
        systems:
          crm: { kind: webhook, settings: { secret: { env: CRM_SECRET } } }
          chat: { kind: slack, settings: { bot_token: { env: SLACK_TOKEN }, channel: C0GENERAL1 } }
          mail: { kind: smtp, settings: { host: 127.0.0.1, from: hub@example.com } }
        entities:
          customer: { owner: crm }
        syncs:
          - { system: crm, type: customer, direction: pull }
        alerts:
          every: 1s
          channels:
            ops-slack: { via: chat, channel: "#ops" }
            ops-email: { via: mail, to: ops@example.com }
          rules:
            - rule: error_rate
            - { rule: circuit_open, to: [ops-email] }
        """;

    private static readonly AlertCause Stripe = new("stripe", "system stripe", "12 of 40 delivery attempts failed in the last 15m (30%, above 20%)");

    [Fact]
    public async Task ACause_OpensOneIncident_NotifiesEachChannelOnce_AndResolvesAfterTwoEvaluationsWithoutIt()
    {
        var signal = new ScriptedSignal(AlertRuleKind.ErrorRate);
        var (slack, mail) = (new RecordingNotifier("channel", "text"), new RecordingNotifier("to", "cc", "subject", "text"));
        await using var rig = await AlertRig.StartAsync(Yaml, [signal], new() { ["chat"] = slack, ["mail"] = mail });

        signal.Causes.Add(Stripe);
        Assert.Equal(1, (await rig.Monitor.EvaluateAsync(default)).Opened);
        for (var i = 0; i < 3; i++)
        {
            rig.Time.Advance(TimeSpan.FromSeconds(1));
            Assert.Equal(0, (await rig.Monitor.EvaluateAsync(default)).Opened);
        }

        await rig.Outbox.SendDueAsync(default);
        var incident = Assert.Single(await rig.Store.QueryIncidentsAsync(new IncidentQuery(), default));
        Assert.Equal(("error_rate", "stripe", IncidentStatus.Open), (incident.Rule, incident.Key, incident.Status));
        var chat = Assert.Single(slack.Sent);
        Assert.Equal("#ops", (string?)chat.Args["channel"]);
        Assert.Contains("*error_rate* on system stripe", (string?)chat.Args["text"], StringComparison.Ordinal);
        Assert.Contains("12 of 40", (string?)chat.Args["text"], StringComparison.Ordinal);
        Assert.Contains($"/api/v1/incidents/{incident.Id}", (string?)chat.Args["text"], StringComparison.Ordinal);
        Assert.Equal((incident.Id + ":opened:ops-slack", incident.Id), (chat.IdempotencyKey, chat.CorrelationId));
        var email = Assert.Single(mail.Sent);
        Assert.Equal(("ops@example.com", "[Concord] error_rate on system stripe"), ((string?)email.Args["to"], (string?)email.Args["subject"]));

        signal.Causes.Clear();
        rig.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(0, (await rig.Monitor.EvaluateAsync(default)).Resolved);
        rig.Time.Advance(TimeSpan.FromMinutes(12));
        Assert.Equal(1, (await rig.Monitor.EvaluateAsync(default)).Resolved);
        rig.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(0, (await rig.Monitor.EvaluateAsync(default)).Resolved);

        await rig.Outbox.SendDueAsync(default);
        Assert.Equal(2, slack.Sent.Count);
        Assert.Equal(2, mail.Sent.Count);
        var resolution = slack.Sent.Last();
        Assert.Contains("Resolved: *error_rate* on system stripe, after 12m", (string?)resolution.Args["text"], StringComparison.Ordinal);
        Assert.StartsWith("[Concord] Resolved after 12m", (string?)mail.Sent.Last().Args["subject"], StringComparison.Ordinal);
        Assert.Equal(IncidentStatus.Resolved, (await rig.Store.GetIncidentAsync(incident.Id, default))!.Status);
    }

    [Fact]
    public async Task ARateHoveringAtTheThreshold_DoesNotStorm_AndACauseBackLaterIsANewIncident()
    {
        var signal = new ScriptedSignal(AlertRuleKind.ErrorRate);
        await using var rig = await AlertRig.StartAsync(Yaml, [signal]);

        // Seen, missed once, seen, missed once: one incident throughout.
        foreach (var present in new[] { true, false, true, false, true })
        {
            signal.Causes.Clear();
            if (present)
            {
                signal.Causes.Add(Stripe);
            }

            await rig.Monitor.EvaluateAsync(default);
            rig.Time.Advance(TimeSpan.FromSeconds(1));
        }

        var first = Assert.Single(await rig.Store.QueryIncidentsAsync(new IncidentQuery(), default));
        Assert.Null(first.ResolvedAt);

        signal.Causes.Clear();
        await rig.Monitor.EvaluateAsync(default);
        await rig.Monitor.EvaluateAsync(default);
        signal.Causes.Add(Stripe);
        Assert.Equal(1, (await rig.Monitor.EvaluateAsync(default)).Opened);

        var all = await rig.Store.QueryIncidentsAsync(new IncidentQuery(), default);
        Assert.Equal(2, all.Count);
        Assert.Equal(IncidentStatus.Resolved, all.Single(i => i.Id == first.Id).Status);
        Assert.Equal(IncidentStatus.Open, all.Single(i => i.Id != first.Id).Status);
    }

    [Fact]
    public async Task TwoCausesOfOneRule_AreTwoIncidents_AndARuleGoesOnlyToItsChannels()
    {
        var errors = new ScriptedSignal(AlertRuleKind.ErrorRate);
        var circuits = new ScriptedSignal(AlertRuleKind.CircuitOpen);
        await using var rig = await AlertRig.StartAsync(Yaml, [errors, circuits], new() { ["chat"] = new RecordingNotifier("channel", "text"), ["mail"] = new RecordingNotifier("to", "subject", "text") });
        errors.Causes.AddRange([Stripe, Stripe with { Summary = "the same key twice counts once" }, new AlertCause("flow:invoice_paid", "flow invoice_paid", "3 of 4 runs failed")]);
        circuits.Causes.Add(new AlertCause("stripe", "system stripe", "the circuit to stripe is open"));

        Assert.Equal(3, (await rig.Monitor.EvaluateAsync(default)).Opened);
        var circuit = (await rig.Store.QueryIncidentsAsync(new IncidentQuery(Rule: "circuit_open"), default)).Single();
        Assert.Equal(["ops-email"], (await rig.Store.GetNotificationsAsync(circuit.Id, default)).Select(n => n.Channel));
        var errorIncidents = await rig.Store.QueryIncidentsAsync(new IncidentQuery(Rule: "error_rate"), default);
        Assert.Equal(["flow:invoice_paid", "stripe"], errorIncidents.Select(i => i.Key).Order());
        Assert.Equal(2, (await rig.Store.GetNotificationsAsync(errorIncidents[0].Id, default)).Count);
    }

    [Fact]
    public async Task ASignalThatFails_LeavesItsIncidentsAsTheyAre()
    {
        var signal = new ScriptedSignal(AlertRuleKind.ErrorRate);
        await using var rig = await AlertRig.StartAsync(Yaml, [signal]);
        signal.Causes.Add(Stripe);
        await rig.Monitor.EvaluateAsync(default);

        signal.Throw = true;
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(0, (await rig.Monitor.EvaluateAsync(default)).Resolved);
        }

        Assert.Equal(0, Assert.Single(await rig.Store.GetUnresolvedIncidentsAsync(default)).Misses);
    }

    [Fact]
    public async Task Delivery_RetriesWithTheSameKey_LogsEveryAttempt_AndGivesUpOnAPermanentFailure()
    {
        var signal = new ScriptedSignal(AlertRuleKind.ErrorRate);
        var slack = new RecordingNotifier("channel", "text") { FailNext = 2 };
        var mail = new RecordingNotifier("to", "subject", "text") { FailNext = 1, Permanent = true };
        await using var rig = await AlertRig.StartAsync(Yaml, [signal], new() { ["chat"] = slack, ["mail"] = mail });
        signal.Causes.Add(Stripe);
        await rig.Monitor.EvaluateAsync(default);
        var incident = Assert.Single(await rig.Store.GetUnresolvedIncidentsAsync(default));

        for (var i = 0; i < 5; i++)
        {
            await rig.Outbox.SendDueAsync(default);
            rig.Time.Advance(TimeSpan.FromMinutes(1));
        }

        var sent = Assert.Single(slack.Sent);
        Assert.Equal(incident.Id + ":opened:ops-slack", sent.IdempotencyKey);
        Assert.Empty(mail.Sent);
        var notifications = await rig.Store.GetNotificationsAsync(incident.Id, default);
        Assert.Equal((NotificationStatus.Sent, 3), (notifications.Single(n => n.Channel == "ops-slack").Status, notifications.Single(n => n.Channel == "ops-slack").Attempts));
        Assert.Equal(NotificationStatus.Dead, notifications.Single(n => n.Channel == "ops-email").Status);

        var log = await rig.Store.QueryLogAsync(new LogQuery(CorrelationId: incident.Id), default);
        Assert.Equal(["dead", "retrying", "retrying", "succeeded"], log.Select(l => l.Result).Order());
        Assert.Equal(["chat", "chat", "chat", "mail"], log.Select(l => l.System).Order());
    }

    [Fact]
    public async Task WithoutChannels_IncidentsAreKept_AndNothingIsOwed()
    {
        var signal = new ScriptedSignal(AlertRuleKind.ErrorRate);
        await using var rig = await AlertRig.StartAsync("""
            systems:
              crm: { kind: webhook, settings: { secret: { env: CRM_SECRET } } }
            entities:
              customer: { owner: crm }
            syncs:
              - { system: crm, type: customer, direction: pull }
            """, [signal]);
        Assert.Equal(AlertRuleKinds.All.Count, rig.Config.Alerts.Rules.Count);
        signal.Causes.Add(Stripe);
        await rig.Monitor.EvaluateAsync(default);
        var incident = Assert.Single(await rig.Store.GetUnresolvedIncidentsAsync(default));
        Assert.Empty(await rig.Store.GetNotificationsAsync(incident.Id, default));
    }

    [Fact]
    public void AWebhookChannel_GetsTheIncidentAsJson()
    {
        var incident = new Incident("inc_1", "dead_letter", "dead_letter", "stripe", "system stripe", "3 deliveries to stripe gave up", null, IncidentStatus.Open,
            DateTimeOffset.Parse("2026-11-22T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture), DateTimeOffset.Parse("2026-11-22T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var args = AlertMessages.For(incident, AlertMessages.Opened, new AlertChannel("pager", "pagerhook", new Dictionary<string, string>(), default), ["body", "text"]);
        var body = (JsonObject)args["body"]!;
        Assert.Equal(("incident.opened", "inc_1", "/api/v1/incidents/inc_1"), ((string?)body["event"], (string?)body["incident"]!["id"], (string?)body["incident"]!["link"]));
        Assert.Null(args["text"]);
    }
}
