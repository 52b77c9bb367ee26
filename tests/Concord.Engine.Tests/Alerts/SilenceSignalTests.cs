using Concord.Core.Alerts;
using Concord.Core.Configuration;
using Concord.Core.Records;
using Concord.Engine.Alerts.Signals;
using Concord.Engine.Alerts;
using Concord.Engine.Storage;
using Concord.Storage.Sqlite;
using Concord.Testing;

namespace Concord.Engine.Tests.Alerts;

/// <summary>Silence against four weeks of real history in SQLite, on a manual clock.</summary>
public sealed class SilenceSignalTests : IAsyncLifetime
{
    /// <summary>Tuesday 24 November 2026, 12:00 UTC.</summary>
    private static readonly DateTimeOffset TuesdayNoon = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    private readonly TempDirectory _dir = new();
    private readonly ManualTimeProvider _time = new(TuesdayNoon);
    private readonly HubConfig _config = TestConfigs.Load("""
        version: 1
        systems:
          crm: { kind: webhook, settings: { secret: { env: S } } }
          billing: { kind: webhook, settings: { secret: { env: S } } }
          sink: { kind: http, settings: { url: http://127.0.0.1:9/sink } }
        entities:
          customer: { owner: crm, identity: [email] }
        syncs:
          - { system: crm, type: customer, direction: pull }
          - { system: billing, type: customer, direction: pull }
          - { system: sink, type: customer, direction: push }
        flows:
          welcome:
            trigger: { record: customer, on: created }
            steps:
              - http: { url: "http://127.0.0.1:9/hello", method: POST }
        """, _ => "s");

    private SqliteHubStore _store = null!;

    private static AlertRule Rule(AlertSettings? settings = null, IReadOnlyList<string>? systems = null) =>
        new("silence", AlertRuleKind.Silence, [], systems, null, null, settings ?? new AlertSettings(), SourceSpan.None);

    public async Task InitializeAsync()
    {
        _store = new SqliteHubStore(_dir.File("hub.db"), durable: false, _time);
        await _store.InitializeAsync(default);
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        _dir.Dispose();
    }

    /// <summary>20 changes an hour on weekday afternoons (12:00–18:00 UTC) in each of the <paramref name="weeks"/> weeks before this one.</summary>
    private async Task SeedWeekdayAfternoonsAsync(string subject, int weeks, int perHour = 20, int? badWeek = null)
    {
        var hours = new List<TrafficHour>();
        for (var week = 1; week <= weeks; week++)
        {
            var monday = TuesdayNoon.Date.AddDays(-1 - 7 * week);
            for (var day = 0; day < 5; day++)
            {
                for (var hour = 12; hour < 18; hour++)
                {
                    var at = new DateTimeOffset(monday.AddDays(day).AddHours(hour), TimeSpan.Zero);
                    hours.Add(new TrafficHour(subject, subject.StartsWith("flow:", StringComparison.Ordinal) ? null : "customer", at, week == badWeek ? 0 : perHour, 0, 0));
                }
            }
        }

        await _store.AddTrafficAsync(hours, default);
    }

    /// <summary>Changes accepted now, into the inbox, as the accept stage stores them.</summary>
    private async Task AcceptAsync(string system, int count)
    {
        var changes = Enumerable.Range(0, count).Select(i => new InboundChange($"chg_{system}_{_time.GetUtcNow().Ticks}_{i}",
            new Change(system, "customer", $"c-{i}", $"evt-{_time.GetUtcNow().Ticks}-{i}", _time.GetUtcNow(), new Dictionary<string, System.Text.Json.Nodes.JsonNode?>(), false),
            "{}", _time.GetUtcNow(), "webhook")).ToList();
        await _store.AppendAsync(changes, default);
    }

    [Fact]
    public async Task ThreeSilentHours_OnAWeekdayAfternoon_AreOneCause_AndItClearsWhenVolumeReturns()
    {
        await SeedWeekdayAfternoonsAsync("system:crm", 4, badWeek: 2);
        await SeedWeekdayAfternoonsAsync("system:billing", 4);
        var signal = new SilenceSignal(_config, _store);

        // Today: a normal start, then nothing from the CRM from 14:00; billing carries on.
        await AcceptAsync("crm", 20);
        await AcceptAsync("billing", 20);
        _time.Advance(TimeSpan.FromHours(1));
        await AcceptAsync("crm", 20);
        await AcceptAsync("billing", 20);
        _time.Advance(TimeSpan.FromHours(1));
        var normal = await signal.EvaluateAsync(Rule(), _time.GetUtcNow(), default);
        for (var h = 0; h < 3; h++)
        {
            await AcceptAsync("billing", 20);
            _time.Advance(TimeSpan.FromHours(1));
        }

        await _store.RollUpTrafficAsync(_time.GetUtcNow() - TimeSpan.FromMinutes(90), _time.GetUtcNow() - TimeSpan.FromDays(180), default);
        var silent = await signal.EvaluateAsync(Rule(), _time.GetUtcNow(), default);

        _time.Advance(TimeSpan.FromMinutes(30));
        await AcceptAsync("crm", 20);
        var back = await signal.EvaluateAsync(Rule(), _time.GetUtcNow(), default);

        Assert.Empty(normal);
        var cause = Assert.Single(silent);
        Assert.Equal("crm", cause.Key);
        Assert.Equal("system crm", cause.Subject);
        Assert.Equal("no crm events for 3 h; 60 expected (20/h on Tuesdays 14:00–17:00 UTC)", cause.Summary);
        Assert.Empty(back.Select(c => c.Summary));
    }

    [Fact]
    public async Task AFewEvents_WellBelowTheBaseline_AreCountedInTheSummary_AndTheRuleSettingsApply()
    {
        await SeedWeekdayAfternoonsAsync("system:crm", 4);
        _time.Advance(TimeSpan.FromHours(2));
        await AcceptAsync("crm", 4);
        _time.Advance(TimeSpan.FromHours(3));
        var signal = new SilenceSignal(_config, _store);

        var defaults = await signal.EvaluateAsync(Rule(), _time.GetUtcNow(), default);
        var lenient = await signal.EvaluateAsync(Rule(new AlertSettings { Below = 0.05 }), _time.GetUtcNow(), default);
        var demanding = await signal.EvaluateAsync(Rule(new AlertSettings { MinExpected = 100 }), _time.GetUtcNow(), default);
        var otherSystems = await signal.EvaluateAsync(Rule(systems: ["billing"]), _time.GetUtcNow(), default);
        var oneHour = await signal.EvaluateAsync(Rule(new AlertSettings { Window = TimeSpan.FromHours(1) }), _time.GetUtcNow(), default);

        Assert.Equal("4 crm events in 3 h; 60 expected (20/h on Tuesdays 14:00–17:00 UTC)", Assert.Single(defaults).Summary);
        Assert.Empty(lenient);
        Assert.Empty(demanding);
        Assert.Empty(otherSystems);
        Assert.Equal("no crm events for 1 h; 20 expected (20/h on Tuesdays 16:00–17:00 UTC)", Assert.Single(oneHour).Summary);
    }

    [Fact]
    public async Task WithoutTwoWeeksOfHistory_NothingIsJudged()
    {
        await SeedWeekdayAfternoonsAsync("system:crm", 1);
        _time.Advance(TimeSpan.FromHours(5));

        Assert.Empty(await new SilenceSignal(_config, _store).EvaluateAsync(Rule(), _time.GetUtcNow(), default));
    }

    [Fact]
    public async Task OutsideTheBusyHours_LittleIsExpected_AndSilenceIsNormal()
    {
        await SeedWeekdayAfternoonsAsync("system:crm", 4);
        _time.Advance(TimeSpan.FromHours(10)); // Tuesday 22:00: nothing is expected at night

        Assert.Empty(await new SilenceSignal(_config, _store).EvaluateAsync(Rule(), _time.GetUtcNow(), default));
    }

    [Fact]
    public async Task AFlowThatStopsRunning_IsACauseOfItsOwn()
    {
        await SeedWeekdayAfternoonsAsync("flow:welcome", 4, perHour: 10);
        _time.Advance(TimeSpan.FromHours(5));

        var cause = Assert.Single(await new SilenceSignal(_config, _store).EvaluateAsync(Rule(), _time.GetUtcNow(), default));

        Assert.Equal(("flow:welcome", "flow welcome"), (cause.Key, cause.Subject));
        Assert.Equal("no runs of flow welcome for 3 h; 30 expected (10/h on Tuesdays 14:00–17:00 UTC)", cause.Summary);
    }
}
