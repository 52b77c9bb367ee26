using System.Text.Json.Nodes;
using Concord.Core.Map;
using Concord.Core.Records;
using Concord.Engine.Map;
using Concord.Engine.Resilience;
using Concord.Engine.Storage;
using Concord.Storage.Sqlite;
using Concord.Testing;

namespace Concord.Engine.Tests.Map;

/// <summary>
/// The live map's figures: health from a real SQLite store's deliveries and the circuits; volume and "last verified"
/// through the traffic and verification interfaces (small in-memory implementations here, so the test depends only on
/// those contracts).
/// </summary>
public sealed class LiveMapReaderTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    private readonly TempDirectory _dir = new();
    private SqliteHubStore _store = null!;

    private static readonly Core.Configuration.HubConfig Config = TestConfigs.Load("""
        version: 1
        systems:
          crm:
            kind: http
            settings: { url: "http://127.0.0.1:9/crm", webhook_secret: { env: CRM_WEBHOOK_SECRET } }
          books:
            kind: http
            settings: { url: "http://127.0.0.1:9/books" }
          sheet:
            kind: http
            settings: { url: "http://127.0.0.1:9/sheet" }
          wiki:
            kind: http
            settings: { url: "http://127.0.0.1:9/wiki" }
        entities:
          customer: { owner: crm, identity: [email] }
        syncs:
          - { system: crm, type: customer, direction: two-way }
          - { system: books, type: customer, direction: push }
          - { system: sheet, type: customer, direction: push }
          - { system: wiki, type: customer, direction: push }
        """, TestConfigs.Secrets.GetValueOrDefault);

    public async Task InitializeAsync()
    {
        _store = new SqliteHubStore(_dir.File("hub.db"));
        await _store.InitializeAsync(default);
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task Each_system_is_in_the_state_the_overview_judges_from_its_deliveries_its_circuit_and_a_silence_incident()
    {
        await DeliverAsync("books", DeliveryStatus.Dead);
        await DeliverAsync("crm", DeliveryStatus.Succeeded);
        await _store.OpenIncidentAsync(new Incident("inc_quiet", "silence", SystemStates.SilenceKind, "crm", "system crm", "no crm events for 3 h; 60 expected", null,
            IncidentStatus.Open, Now, Now), [], default);

        var overlay = await LiveMapReader.ReadAsync(Config, _store, _store, null, null,
            system => system switch { "sheet" => CircuitState.Open, "wiki" => CircuitState.HalfOpen, _ => CircuitState.Closed }, _ => null, Now, default);

        Assert.Equal(new SystemStatus(SystemState.Degraded, "1 dead delivery"), overlay.SystemOf("books"));
        Assert.Equal(new SystemStatus(SystemState.CircuitOpen, "circuit open"), overlay.SystemOf("sheet"));
        Assert.Equal(new SystemStatus(SystemState.Degraded, "circuit probing after a break"), overlay.SystemOf("wiki"));
        Assert.Equal(new SystemStatus(SystemState.Silent, "no crm events for 3 h; 60 expected"), overlay.SystemOf("crm"));
        var states = await SystemStates.ReadAsync(Config, _store, _store, system => system switch { "sheet" => CircuitState.Open, "wiki" => CircuitState.HalfOpen, _ => CircuitState.Closed }, _ => null, Now, default);
        Assert.Equal(states, overlay.Systems);
        // Without a traffic history or verification stamps, the figures are unknown, not zero.
        Assert.Equal(ConnectionStatus.None, overlay.ConnectionOf("crm", "customer"));
    }

    [Fact]
    public async Task Volume_sums_the_last_24_hours_per_connection_and_the_latest_verification_wins()
    {
        var hour = new DateTimeOffset(Now.Year, Now.Month, Now.Day, Now.Hour, 0, 0, TimeSpan.Zero);
        var traffic = new Traffic(
        [
            new("system:crm", "customer", hour, 5, 2, 0),
            new("system:crm", "customer", hour.AddHours(-23), 7, 1, 1),
            new("system:crm", "customer", hour.AddHours(-24), 1000, 1000, 1000), // older than the window
            new("system:crm", null, hour, 99, 99, 99), // the system's total, not a connection's
            new("flow:receipt", null, hour, 3, 0, 0),
            new("system:books", "customer", hour.AddHours(-2), 0, 40, 3),
        ]);
        var verification = new Verifications(
        [
            new("books", "customer", Now.AddHours(-5), 100, 98, 98, 2),
            new("books", "customer", Now.AddHours(-2), 100, 100, 100, 0),
            new("sheet", "customer", Now.AddHours(-1), 100, 0, 0, 0, "401 from the sheet"),
        ]);

        var overlay = await LiveMapReader.ReadAsync(Config, _store, _store, traffic, verification, _ => CircuitState.Closed, _ => null, Now, default);

        Assert.Equal(new ConnectionStatus(12, 3, 1, null, null), overlay.ConnectionOf("crm", "customer"));
        Assert.Equal(new ConnectionStatus(0, 40, 3, Now.AddHours(-2), 0), overlay.ConnectionOf("books", "customer"));
        Assert.Equal(new ConnectionStatus(0, 0, 0, Now.AddHours(-1), 0, "401 from the sheet"), overlay.ConnectionOf("sheet", "customer"));
        // A healthy system's connection is degraded by its own failed attempts, drift or a check that failed.
        var connections = StackMapBuilder.Build(Config).Connections;
        Assert.Equal(SystemState.Degraded, overlay.StateOf(connections.Single(c => c.System == "sheet")));
        Assert.Equal(SystemState.Degraded, overlay.StateOf(connections.Single(c => c.System == "books")));
        Assert.Equal(SystemState.Healthy, overlay.StateOf(connections.Single(c => c.System == "wiki")));
    }

    /// <summary>One delivery to a system, claimed and finished now with <paramref name="status"/>.</summary>
    private async Task DeliverAsync(string system, DeliveryStatus status)
    {
        var recordId = $"rec_{Guid.NewGuid():N}";
        var change = new InboundChange($"chg_{Guid.NewGuid():N}", new Change("crm", "customer", "c-1", Guid.NewGuid().ToString("N"), Now,
            new Dictionary<string, JsonNode?> { ["email"] = "ann@example.com" }, false), "{}", Now, "api");
        await _store.AppendAsync([change], default);
        await _store.ProcessInboxAsync(10, (tx, batch) =>
        {
            tx.EnqueueDelivery(new Delivery
            {
                System = system, Type = "customer", RecordId = recordId, Version = 1, Operation = "upsert",
                Payload = "{}", Changed = "[]", IdempotencyKey = $"{recordId}.v1.{system}", CorrelationId = $"chg_{recordId}",
                CreatedAt = Now, NextAttemptAt = Now,
            });
            tx.CompleteChange(batch[0].Sequence, "updated", null, null);
        }, default);
        var due = Assert.Single(await _store.ClaimDueAsync(system, Now, 10, [], default));
        await _store.CompleteAsync([new DeliveryOutcome(due.Id, status, 1, Now, TimeSpan.Zero, status == DeliveryStatus.Succeeded ? 200 : 400, "{}",
            status == DeliveryStatus.Succeeded ? null : "rejected", null, null)], default);
    }

    private sealed class Traffic(IReadOnlyList<TrafficHour> hours) : ITrafficStore
    {
        public Task<IReadOnlyList<TrafficHour>> GetTrafficAsync(DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<TrafficHour>>(hours.Where(h => h.Hour >= since && h.Hour < until).ToList());

        public Task AddTrafficAsync(IReadOnlyList<TrafficHour> hours, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<TrafficRollup> RollUpTrafficAsync(DateTimeOffset now, DateTimeOffset keepSince, CancellationToken cancellationToken) => throw new NotSupportedException();
    }

    private sealed class Verifications(IReadOnlyList<SyncVerification> checks) : IVerificationStore
    {
        public Task<IReadOnlyList<SyncVerification>> GetVerificationsAsync(CancellationToken cancellationToken) => Task.FromResult(checks);
    }
}
