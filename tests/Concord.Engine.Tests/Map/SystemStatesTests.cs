using Concord.Core.Map;
using Concord.Engine.Map;
using Concord.Engine.Resilience;
using Concord.Engine.Storage;

namespace Concord.Engine.Tests.Map;

/// <summary>The dashboard's four words for a system, from the map's health, the circuit and a silence incident.</summary>
public sealed class SystemStatesTests
{
    private static readonly Incident Silence = new("inc_1", "silence", "silence", "crm", "system crm", "no crm events for 3 h; 60 expected", null,
        IncidentStatus.Open, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch);

    [Fact]
    public void AnOpenCircuit_OutranksSilence_WhichOutranksFailures()
    {
        var failing = new SystemStatus(MapHealth.Failing, "1 dead delivery");

        Assert.Equal(new SystemStateReading(SystemState.CircuitOpen, "circuit open; 1 dead delivery"), SystemStates.Of(failing, CircuitState.Open, Silence));
        Assert.Equal(new SystemStateReading(SystemState.Silent, "no crm events for 3 h; 60 expected"), SystemStates.Of(failing, CircuitState.Closed, Silence));
        Assert.Equal(new SystemStateReading(SystemState.Degraded, "1 dead delivery"), SystemStates.Of(failing, CircuitState.Closed, null));
    }

    [Fact]
    public void DegradedOnTheMap_IsDegraded_AndOkOrUnknownIsHealthy()
    {
        Assert.Equal(SystemState.Degraded, SystemStates.Of(new SystemStatus(MapHealth.Degraded, "circuit probing after a break"), CircuitState.HalfOpen, null).State);
        Assert.Equal(new SystemStateReading(SystemState.Healthy, null), SystemStates.Of(new SystemStatus(MapHealth.Ok), CircuitState.Closed, null));
        Assert.Equal(SystemState.Healthy, SystemStates.Of(new SystemStatus(MapHealth.Unknown), null, null).State);
        Assert.Equal("circuit open", SystemStates.Of(new SystemStatus(MapHealth.Failing, "circuit open"), CircuitState.Open, null).Reason);
        Assert.Equal(["healthy", "degraded", "circuit open", "silent"],
            Enum.GetValues<SystemState>().Select(s => new SystemStateReading(s, null).Word));
    }
}
