using Concord.Core.Map;
using Concord.Engine.Map;
using Concord.Engine.Resilience;
using Concord.Engine.Storage;
using Concord.Testing;

namespace Concord.Engine.Tests.Map;

/// <summary>The four words for a system, from its delivery figures, the circuit, the poller and a silence incident.</summary>
public sealed class SystemStatesTests
{
    private static readonly Incident Silence = new("inc_1", "silence", "silence", "crm", "system crm", "no crm events for 3 h; 60 expected", null,
        IncidentStatus.Open, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch);

    private static readonly SystemHealth OneDead = new("crm", 0, 0, 1, 0, 0, null);

    [Fact]
    public void AnOpenCircuit_OutranksSilence_WhichOutranksFailures()
    {
        Assert.Equal(new SystemStatus(SystemState.CircuitOpen, "circuit open; 1 dead delivery"), SystemStates.Of(OneDead, CircuitState.Open, null, Silence));
        Assert.Equal(new SystemStatus(SystemState.Silent, "no crm events for 3 h; 60 expected"), SystemStates.Of(OneDead, CircuitState.Closed, null, Silence));
        Assert.Equal(new SystemStatus(SystemState.Degraded, "1 dead delivery"), SystemStates.Of(OneDead, CircuitState.Closed, null, null));
        Assert.Equal(new SystemStatus(SystemState.CircuitOpen, "circuit open"), SystemStates.Of(null, CircuitState.Open, null, null));
    }

    [Fact]
    public void FailuresRetriesAProbingCircuitOrAPollerThatCannotRead_AreDegraded_AndNothingIsHealthy()
    {
        Assert.Equal(new SystemStatus(SystemState.Degraded, "3 of 4 attempts failed in 15 min"), SystemStates.Of(new SystemHealth("x", 0, 3, 0, 4, 3, null), CircuitState.Closed, null, null));
        Assert.Equal(new SystemStatus(SystemState.Degraded, "1 failed attempts in 15 min, 1 retrying"), SystemStates.Of(new SystemHealth("x", 0, 1, 0, 10, 1, null), CircuitState.Closed, null, null));
        Assert.Equal(new SystemStatus(SystemState.Degraded, "circuit probing after a break"), SystemStates.Of(null, CircuitState.HalfOpen, null, null));
        Assert.Equal(new SystemStatus(SystemState.Degraded, "polling fails: connection refused"), SystemStates.Of(null, null, "connection refused", null));
        Assert.Equal(new SystemStatus(SystemState.Healthy), SystemStates.Of(new SystemHealth("x", 3, 0, 0, 10, 0, null), CircuitState.Closed, null, null));
        Assert.Equal(new SystemStatus(SystemState.Healthy), SystemStates.Of(null, null, null, null));
    }

    [Fact]
    public void TheWordsShapesAndLines_AreOnePerState()
    {
        var all = Enum.GetValues<SystemState>();
        Assert.Equal(["healthy", "degraded", "circuit open", "silent"], all.Select(s => new SystemStatus(s).Word));
        Assert.Equal(["✓", "▲", "✕", "○"], all.Select(s => s.Marker()));
        Assert.Equal(all.Length, all.Select(s => s.Dash() ?? "solid").Distinct().Count());
        Assert.Equal(all.Length, all.Select(s => s.Colour()).Distinct().Count());
        Assert.Equal(all.Order(), SystemStateLook.All.Order());
        Assert.Equal("degraded: 1 dead delivery", new SystemStatus(SystemState.Degraded, "1 dead delivery").ToString());
        Assert.Equal(SystemState.CircuitOpen, SystemStateLook.Worse(SystemState.Silent, SystemState.CircuitOpen));
        Assert.Equal(SystemState.Silent, SystemStateLook.Worse(SystemState.Silent, SystemState.Degraded));
    }

    [Fact]
    public void Judging_PicksEachSystemsFiguresAndItsSilenceIncident_OnlyFromTheSilenceRule()
    {
        var config = TestConfigs.Load(TestConfigs.TwoSystems("http://127.0.0.1:9/crm", "http://127.0.0.1:9/sink"), TestConfigs.Secrets.GetValueOrDefault);
        var health = new HealthSnapshot { Systems = [new SystemHealth("sink", 0, 0, 2, 0, 0, null)] };
        var sinkDead = Silence with { Kind = "dead_letter", Key = "sink", Summary = "2 dead deliveries to sink" };

        var states = SystemStates.Judge(config, health, [Silence, sinkDead], _ => CircuitState.Closed, _ => null);

        Assert.Equal(new SystemStatus(SystemState.Silent, "no crm events for 3 h; 60 expected"), states["crm"]);
        Assert.Equal(new SystemStatus(SystemState.Degraded, "2 dead deliveries"), states["sink"]);
    }
}
