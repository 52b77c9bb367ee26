using Concord.Core.Configuration;
using Concord.Core.Map;
using Concord.Engine.Hosting;
using Concord.Engine.Resilience;
using Concord.Engine.Storage;

namespace Concord.Engine.Map;

/// <summary>
/// Reads what a running hub knows about each system and connection for the live map: each system's state as the
/// overview judges it (<see cref="SystemStates"/>); the last 24 hours' volume from the hourly traffic history; "last
/// verified" and drift from the reconciliation stamps. A store that keeps no traffic history or no verifications leaves
/// those figures unknown rather than zero.
/// </summary>
public static class LiveMapReader
{
    /// <summary>The window of the volume written under each connection.</summary>
    public static readonly TimeSpan VolumeWindow = TimeSpan.FromHours(24);

    public static Task<MapOverlay> ReadAsync(HubRuntime hub, CancellationToken cancellationToken) =>
        ReadAsync(hub.Config, hub.Store, hub.Store, hub.Store as ITrafficStore, hub.Store as IVerificationStore,
            system => hub.Dispatcher(system)?.Breaker.State, system => hub.Pollers.GetValueOrDefault(system)?.LastError,
            hub.Time.GetUtcNow(), cancellationToken);

    /// <param name="config">The configuration the map is drawn from.</param>
    /// <param name="health">Delivery figures per system.</param>
    /// <param name="incidents">The unresolved incidents, for the systems the silence rule found quiet.</param>
    /// <param name="traffic">The hourly traffic history, or null when the store keeps none.</param>
    /// <param name="verification">The reconciliation stamps, or null when the store keeps none.</param>
    /// <param name="circuit">A system's circuit state, or null when it has no dispatcher.</param>
    /// <param name="pollError">A system poller's last error, or null.</param>
    /// <param name="now">The time the figures are read at.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    public static async Task<MapOverlay> ReadAsync(HubConfig config, IHealthStore health, IIncidentStore incidents, ITrafficStore? traffic, IVerificationStore? verification,
        Func<string, CircuitState?> circuit, Func<string, string?> pollError, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var systems = await SystemStates.ReadAsync(config, health, incidents, circuit, pollError, now, cancellationToken);
        var volumes = await VolumesAsync(traffic, now, cancellationToken);
        var checks = await VerificationsAsync(verification, cancellationToken);
        var connections = new Dictionary<(string, string), ConnectionStatus>();
        foreach (var rule in config.Syncs)
        {
            var key = (rule.System, rule.Type);
            var volume = volumes?.GetValueOrDefault(key);
            var check = checks.GetValueOrDefault(key);
            connections[key] = new ConnectionStatus(volume?.In, volume?.Out, volume?.Failed, check?.VerifiedAt, check?.Drifted, check?.Error);
        }

        return new MapOverlay(now, systems, connections);
    }

    private static async Task<Dictionary<(string, string), (long In, long Out, long Failed)>?> VolumesAsync(ITrafficStore? traffic, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (traffic is null)
        {
            return null;
        }

        IReadOnlyList<TrafficHour> hours;
        try
        {
            // Whole hours: the 23 before the current one, and the current one counted live.
            var hour = new DateTimeOffset(now.UtcDateTime.Year, now.UtcDateTime.Month, now.UtcDateTime.Day, now.UtcDateTime.Hour, 0, 0, TimeSpan.Zero);
            hours = await traffic.GetTrafficAsync(hour - VolumeWindow + TimeSpan.FromHours(1), hour + TimeSpan.FromHours(1), cancellationToken);
        }
        catch (NotSupportedException)
        {
            return null;
        }

        var result = new Dictionary<(string, string), (long In, long Out, long Failed)>();
        foreach (var h in hours.Where(h => h.Type is not null && h.Subject.StartsWith("system:", StringComparison.Ordinal)))
        {
            var key = (h.Subject["system:".Length..], h.Type!);
            var sum = result.GetValueOrDefault(key);
            result[key] = (sum.In + h.Inbound, sum.Out + h.Outbound, sum.Failed + h.Failed);
        }

        return result;
    }

    private static async Task<Dictionary<(string, string), SyncVerification>> VerificationsAsync(IVerificationStore? verification, CancellationToken cancellationToken)
    {
        var result = new Dictionary<(string, string), SyncVerification>();
        if (verification is null)
        {
            return result;
        }

        try
        {
            foreach (var v in await verification.GetVerificationsAsync(cancellationToken))
            {
                if (!result.TryGetValue((v.System, v.Type), out var seen) || seen.VerifiedAt < v.VerifiedAt)
                {
                    result[(v.System, v.Type)] = v;
                }
            }
        }
        catch (NotSupportedException)
        {
            result.Clear();
        }

        return result;
    }
}
