using Concord.Engine.Storage;
using Concord.Testing;

namespace Concord.Dashboard.Tests;

/// <summary>
/// A hub whose four systems are each in one state, for real: <c>archive</c> accepts its delivery (healthy), <c>sink</c>'s
/// delivery dies (degraded), <c>ledger</c>'s first failure opens its circuit (circuit open), and <c>crm</c>, which
/// brought twenty changes an hour in the same hours of the last four weeks, brings one (silent). The alert rules
/// open an incident for each, and notify through <c>archive</c>, so an incident has notifications and attempts.
/// Shared by the tests of a class (a class fixture): starting it takes seconds.
/// </summary>
public sealed class TroubledHub : IAsyncLifetime
{
    public RecordingSink Sink { get; private set; } = null!;

    public DashboardRig Rig { get; private set; } = null!;

    public IHubStore Store => Rig.Hub.Store;

    public static string Yaml(string sinkUrl) => $$"""
        version: 1
        systems:
          crm:
            kind: http
            settings:
              url: {{sinkUrl}}/crm
              webhook_secret: { env: CRM_WEBHOOK_SECRET }
          archive:
            kind: http
            settings:
              url: {{sinkUrl}}/archive
              signing_secret: { env: SINK_SIGNING_SECRET }
          sink:
            kind: http
            settings:
              url: http://127.0.0.1:9/sink
              signing_secret: { env: SINK_SIGNING_SECRET }
            retry: { max_attempts: 1, initial_delay: 10ms, max_delay: 10ms, timeout: 1s }
            circuit_breaker: { failure_threshold: 1000, break_duration: 1s }
          ledger:
            kind: http
            settings:
              url: http://127.0.0.1:9/ledger
              signing_secret: { env: SINK_SIGNING_SECRET }
            retry: { max_attempts: 1, initial_delay: 10ms, max_delay: 10ms, timeout: 1s }
            circuit_breaker: { failure_threshold: 1, break_duration: 1h }
        entities:
          customer:
            owner: crm
            identity: [email]
        syncs:
          - { system: crm, type: customer, direction: two-way }
          - { system: archive, type: customer, direction: push }
          - { system: sink, type: customer, direction: push }
          - { system: ledger, type: customer, direction: push }
        flows:
          vip:
            description: Look a customer up by email
            trigger: manual
            steps:
              - id: customer
                find: { type: customer, where: { email: ann@acme.example }, required: true }
        alerts:
          every: 200ms
          channels:
            hook: { via: archive }
          rules:
            - { rule: dead_letter, systems: [sink] }
            - { rule: circuit_open, systems: [ledger] }
            - { rule: silence, systems: [crm] }
        """;

    public async Task InitializeAsync()
    {
        var sink = Sink = await RecordingSink.StartAsync();
        var rig = Rig = await DashboardRig.StartAsync(Yaml(sink.Url));
        var hub = this;

        // The same hours of the four previous weeks saw 20 CRM changes an hour (as the silence acceptance test sets it up).
        var now = DateTimeOffset.UtcNow;
        var hour = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero);
        var history = (from week in Enumerable.Range(1, 4)
                       from back in Enumerable.Range(0, 5)
                       select new TrafficHour("system:crm", "customer", hour.AddDays(-7 * week).AddHours(-back), 20, 0, 0)).ToList();
        await hub.Store.AddTrafficAsync(history, default);

        using (var posted = await rig.Hub.PostChangesAsync("crm", """[{"type":"customer","external_id":"c1","fields":{"email":"ann@acme.example","name":"Ann"}}]"""))
        {
            Assert.True(posted.IsSuccessStatusCode, $"posting the change answered {(int)posted.StatusCode}");
        }

        await Eventually.TrueAsync(async () =>
        {
            var health = await hub.Store.GetHealthAsync(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(15), default);
            return health.Systems.Any(s => s.System == "sink" && s.Dead == 1) && health.Systems.Any(s => s.System == "ledger" && s.Dead == 1)
                && sink.Applied.Any(r => r.Headers.GetValueOrDefault("X-Path") == "/archive" && r.Body["record_id"] is not null);
        }, "the archive's delivery accepted, the sink's and the ledger's dead");
        await Eventually.TrueAsync(async () =>
        {
            var kinds = (await hub.Store.GetUnresolvedIncidentsAsync(default)).Select(i => (i.Kind, i.Key)).ToHashSet();
            return kinds.Contains(("dead_letter", "sink")) && kinds.Contains(("circuit_open", "ledger")) && kinds.Contains(("silence", "crm"));
        }, "an incident for the sink's dead letter, the ledger's circuit and the CRM's silence");
    }

    /// <summary>The unresolved incident a rule of <paramref name="kind"/> opened.</summary>
    public async Task<Incident> IncidentAsync(string kind) => (await Store.GetUnresolvedIncidentsAsync(default)).Single(i => i.Kind == kind);

    public async Task DisposeAsync()
    {
        await Rig.DisposeAsync();
        await Sink.DisposeAsync();
    }
}
