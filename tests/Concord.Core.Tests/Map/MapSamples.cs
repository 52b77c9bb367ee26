using Concord.Core.Map;
using Concord.Testing;

namespace Concord.Core.Tests.Map;

/// <summary>The stacks the map is checked on: the demo's, and the 15-system sample the documentation shows.</summary>
internal static class MapSamples
{
    public static StackMap Demo()
    {
        // The demo fills its sandboxes' addresses in when it starts; any address will do for the map.
        var yaml = File.ReadAllText(Path.Combine(RepoPaths.Root, "src", "Concord.Cli", "Templates", "demo.yaml"))
            .Replace("{hubspot_url}", "http://127.0.0.1:9", StringComparison.Ordinal)
            .Replace("{hub_url}", "http://127.0.0.1:9", StringComparison.Ordinal)
            .Replace("{stripe_url}", "http://127.0.0.1:9", StringComparison.Ordinal)
            .Replace("{quickbooks_url}", "http://127.0.0.1:9", StringComparison.Ordinal)
            .Replace("{slack_url}", "http://127.0.0.1:9", StringComparison.Ordinal)
            .Replace("{quickbooks_client_id}", "demo", StringComparison.Ordinal)
            .Replace("{quickbooks_realm}", "1", StringComparison.Ordinal)
            .Replace("{slack_channel}", "C1", StringComparison.Ordinal);
        return StackMapBuilder.Build(TestConfigs.Load(yaml, name => name + "-value"));
    }

    public static StackMap FifteenSystems() =>
        StackMapBuilder.Build(TestConfigs.Load(File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "examples", "stack-15.yaml")), name => name + "-value"));

    /// <summary>Live figures for every system and connection, long ones included, with one system in each state.</summary>
    public static MapOverlay Overlay(StackMap map)
    {
        var now = new DateTimeOffset(2026, 6, 30, 12, 0, 0, TimeSpan.Zero);
        var states = Enum.GetValues<SystemState>();
        var systems = map.Systems.Where(s => !s.IsTool).Select((s, i) => (s.Name, Status: new SystemStatus(states[i % states.Length], "test")))
            .ToDictionary(p => p.Name, p => p.Status, StringComparer.Ordinal);
        var connections = map.Connections.Select((c, i) => (Key: (c.System, c.Type),
                Status: new ConnectionStatus(123_456 + i, 98_765, i % 3 == 0 ? 1_234 : 0, i % 5 == 4 ? null : now.AddHours(-i), i % 4 == 0 ? 12_345 : 0, i % 7 == 0 ? "timeout" : null)))
            .ToDictionary(p => p.Key, p => p.Status);
        return new MapOverlay(now, systems, connections);
    }
}
