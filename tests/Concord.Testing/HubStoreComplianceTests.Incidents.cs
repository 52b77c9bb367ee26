using Concord.Engine.Alerts;
using Concord.Engine.Storage;
using Xunit;

namespace Concord.Testing;

/// <summary>What every store must do for incidents: one unresolved per cause, notifications with them, attempts in the log.</summary>
public abstract partial class HubStoreComplianceTests
{
    private Incident NewIncident(string id, string rule = "error_rate", string key = "stripe") =>
        new(id, rule, "error_rate", key, $"system {key}", "12 of 40 failed", null, IncidentStatus.Open, Time.GetUtcNow(), Time.GetUtcNow());

    private AlertNotification Owed(string incident, string evt, string channel = "ops-slack") =>
        new($"ntf_{incident}_{evt}_{channel}", incident, evt, channel, "slack", """{"text":"hi"}""", $"{incident}:{evt}:{channel}", NotificationStatus.Pending, 0,
            Time.GetUtcNow(), Time.GetUtcNow());

    [Fact]
    public async Task Incident_OnePerRuleAndKeyWhileUnresolved_AndANewOneAfterItResolves()
    {
        var store = await Open();
        Assert.True(await store.OpenIncidentAsync(NewIncident("inc_1"), [Owed("inc_1", "opened")], default));
        Assert.False(await store.OpenIncidentAsync(NewIncident("inc_2"), [Owed("inc_2", "opened")], default));
        Assert.True(await store.OpenIncidentAsync(NewIncident("inc_3", key: "hubspot"), [], default));
        Assert.True(await store.OpenIncidentAsync(NewIncident("inc_4", rule: "other"), [], default));

        Assert.Null(await store.GetIncidentAsync("inc_2", default));
        Assert.Single(await store.GetNotificationsAsync("inc_1", default));
        Assert.Empty(await store.GetNotificationsAsync("inc_2", default));

        Time.Advance(TimeSpan.FromMinutes(5));
        Assert.True(await store.ResolveIncidentAsync("inc_1", Time.GetUtcNow(), [Owed("inc_1", "resolved")], default));
        Assert.False(await store.ResolveIncidentAsync("inc_1", Time.GetUtcNow(), [Owed("inc_1", "resolved", "again")], default));
        var resolved = await store.GetIncidentAsync("inc_1", default);
        Assert.Equal((IncidentStatus.Resolved, Time.GetUtcNow()), (resolved!.Status, resolved.ResolvedAt!.Value));
        Assert.Equal(["opened", "resolved"], (await store.GetNotificationsAsync("inc_1", default)).Select(n => n.Event));

        Assert.True(await store.OpenIncidentAsync(NewIncident("inc_5"), [], default));
        Assert.Equal(["inc_3", "inc_4", "inc_5"], (await store.GetUnresolvedIncidentsAsync(default)).Select(i => i.Id).Order());
        Assert.Equal(["inc_1"], (await store.QueryIncidentsAsync(new IncidentQuery(IncidentStatus.Resolved), default)).Select(i => i.Id));
        Assert.Equal(["inc_5", "inc_3", "inc_1"], (await store.QueryIncidentsAsync(new IncidentQuery(Rule: "error_rate", Since: Time.GetUtcNow() - TimeSpan.FromMinutes(5)), default))
            .Select(i => i.Id));
        Assert.Equal(["inc_5"], (await store.QueryIncidentsAsync(new IncidentQuery(Since: Time.GetUtcNow()), default)).Select(i => i.Id));
    }

    [Fact]
    public async Task Sightings_ResetOrCountMisses_AndTakeTheNewFigures()
    {
        var store = await Open();
        await store.OpenIncidentAsync(NewIncident("inc_1"), [], default);
        var missed = await store.RecordSightingsAsync([new IncidentSighting("inc_1", Time.GetUtcNow(), null)], default);
        Assert.Equal(1, Assert.Single(missed).Misses);
        missed = await store.RecordSightingsAsync([new IncidentSighting("inc_1", Time.GetUtcNow(), null)], default);
        Assert.Equal(2, Assert.Single(missed).Misses);

        Time.Advance(TimeSpan.FromMinutes(1));
        var seen = Assert.Single(await store.RecordSightingsAsync([new IncidentSighting("inc_1", Time.GetUtcNow(), new AlertCause("stripe", "system stripe", "20 of 40 failed"))], default));
        Assert.Equal((0, "20 of 40 failed", Time.GetUtcNow()), (seen.Misses, seen.Summary, seen.LastSeenAt));
    }

    [Fact]
    public async Task Acknowledging_KeepsItUnresolved_TwiceIsFine_AndUnknownIsNull()
    {
        var store = await Open();
        await store.OpenIncidentAsync(NewIncident("inc_1"), [], default);
        var first = await store.AcknowledgeIncidentAsync("inc_1", "ann", "looking", Time.GetUtcNow(), default);
        Assert.Equal((IncidentStatus.Acknowledged, "ann", "looking"), (first!.Status, first.AcknowledgedBy, first.AcknowledgementNote));
        var second = await store.AcknowledgeIncidentAsync("inc_1", "bob", null, Time.GetUtcNow(), default);
        Assert.Equal(("bob", (string?)null), (second!.AcknowledgedBy, second.AcknowledgementNote));
        Assert.Single(await store.GetUnresolvedIncidentsAsync(default));
        Assert.Null(await store.AcknowledgeIncidentAsync("inc_nope", "ann", null, Time.GetUtcNow(), default));

        Assert.True(await store.ResolveIncidentAsync("inc_1", Time.GetUtcNow(), [], default));
        Assert.Equal(IncidentStatus.Resolved, (await store.GetIncidentAsync("inc_1", default))!.Status);
    }

    [Fact]
    public async Task Notifications_AreClaimedWhenDue_AndEveryAttemptIsInTheLogUnderTheIncident()
    {
        var store = await Open();
        await store.OpenIncidentAsync(NewIncident("inc_1"), [Owed("inc_1", "opened"), Owed("inc_1", "opened", "ops-email")], default);
        var due = await store.ClaimDueNotificationsAsync(Time.GetUtcNow(), 10, default);
        Assert.Equal(2, due.Count);

        var first = due[0];
        await store.CompleteNotificationAsync(new NotificationOutcome(
            new NotificationAttempt(first.Id, 1, Time.GetUtcNow(), TimeSpan.FromMilliseconds(12), "retrying", 503, null, "down", "slack answered 503"),
            NotificationStatus.Retrying, Time.GetUtcNow() + TimeSpan.FromSeconds(10)), default);
        await store.CompleteNotificationAsync(new NotificationOutcome(
            new NotificationAttempt(due[1].Id, 1, Time.GetUtcNow(), TimeSpan.FromMilliseconds(5), "succeeded", 250, "{\"to\":\"ops\"}", "queued", null),
            NotificationStatus.Sent, null), default);

        Assert.Empty(await store.ClaimDueNotificationsAsync(Time.GetUtcNow(), 10, default));
        Assert.Equal(Time.GetUtcNow() + TimeSpan.FromSeconds(10), await store.NextNotificationDueAtAsync(default));
        Time.Advance(TimeSpan.FromSeconds(10));
        var again = Assert.Single(await store.ClaimDueNotificationsAsync(Time.GetUtcNow(), 10, default));
        Assert.Equal((first.Id, 1, NotificationStatus.Retrying, "slack answered 503"), (again.Id, again.Attempts, again.Status, again.LastError));

        var log = await store.QueryLogAsync(new LogQuery(CorrelationId: "inc_1"), default);
        Assert.Equal(2, log.Count);
        Assert.All(log, l => Assert.Equal(("outbound", "slack"), (l.Direction, l.System)));
        Assert.Contains(log, l => l.Result == "retrying" && l.ResponseStatus == 503 && l.Payload == """{"text":"hi"}""" && l.Reference == first.Id);
        Assert.Equal(2, (await store.GetNotificationAttemptsAsync("inc_1", default)).Count);
        Assert.Empty(await store.QueryLogAsync(new LogQuery(RecordId: "rec_1", CorrelationId: "inc_1"), default));
    }
}
