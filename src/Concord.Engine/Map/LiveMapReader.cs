using System.Globalization;
using Concord.Core.Configuration;
using Concord.Core.Map;
using Concord.Engine.Hosting;
using Concord.Engine.Resilience;
using Concord.Engine.Storage;

namespace Concord.Engine.Map;

/// <summary>
/// Reads what a running hub knows about each system and connection for the live map: health from the delivery
/// figures, the circuit and the poller; the last 24 hours' volume from the hourly traffic history; "last verified"
/// and drift from the reconciliation stamps. A store that keeps no traffic history or no verifications leaves those
/// figures unknown rather than zero.
/// </summary>
public static class LiveMapReader
{
    /// <summary>The window of the volume written under each connection.</summary>
    public static readonly TimeSpan VolumeWindow = TimeSpan.FromHours(24);

    /// <summary>The window of the error rate that colours a system (the health endpoint's).</summary>
    public static readonly TimeSpan ErrorWindow = TimeSpan.FromMinutes(15);

    /// <summary>At this share of failed attempts (over at least <see cref="MinAttempts"/>) a system is failing, not only degraded.</summary>
    public const double FailingRate = 0.5;

    public const int MinAttempts = 4;

    public static Task<MapOverlay> ReadAsync(HubRuntime hub, CancellationToken cancellationToken) =>
        ReadAsync(hub.Config, hub.Store, hub.Store as ITrafficStore, hub.Store as IVerificationStore,
            system => hub.Dispatcher(system)?.Breaker.State, system => hub.Pollers.GetValueOrDefault(system)?.LastError,
            hub.Time.GetUtcNow(), cancellationToken);

    /// <param name="config">The configuration the map is drawn from.</param>
    /// <param name="health">Delivery figures per system.</param>
    /// <param name="traffic">The hourly traffic history, or null when the store keeps none.</param>
    /// <param name="verification">The reconciliation stamps, or null when the store keeps none.</param>
    /// <param name="circuit">A system's circuit state, or null when it has no dispatcher.</param>
    /// <param name="pollError">A system poller's last error, or null.</param>
    /// <param name="now">The time the figures are read at.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    public static async Task<MapOverlay> ReadAsync(HubConfig config, IHealthStore health, ITrafficStore? traffic, IVerificationStore? verification,
        Func<string, CircuitState?> circuit, Func<string, string?> pollError, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var snapshot = await health.GetHealthAsync(now, ErrorWindow, cancellationToken);
        var systems = new Dictionary<string, SystemStatus>(StringComparer.Ordinal);
        foreach (var system in config.Systems.Values)
        {
            var figures = snapshot.Systems.FirstOrDefault(s => s.System == system.Name);
            systems[system.Name] = StatusOf(figures, circuit(system.Name), pollError(system.Name));
        }

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

    /// <summary>
    /// Failing: deliveries in the dead letter, the circuit open, or most recent attempts failing. Degraded: failures being
    /// retried, a circuit probing, or a poller that cannot read. Otherwise ok.
    /// </summary>
    public static SystemStatus StatusOf(SystemHealth? figures, CircuitState? circuit, string? pollError)
    {
        var dead = figures?.Dead ?? 0;
        var attempts = figures?.AttemptsInWindow ?? 0;
        var failed = figures?.FailedInWindow ?? 0;
        if (dead > 0)
        {
            return new SystemStatus(MapHealth.Failing, dead == 1 ? "1 dead delivery" : $"{dead.ToString(CultureInfo.InvariantCulture)} dead deliveries");
        }

        if (circuit == CircuitState.Open)
        {
            return new SystemStatus(MapHealth.Failing, "circuit open");
        }

        if (attempts >= MinAttempts && failed >= attempts * FailingRate)
        {
            return new SystemStatus(MapHealth.Failing, $"{failed.ToString(CultureInfo.InvariantCulture)} of {attempts.ToString(CultureInfo.InvariantCulture)} attempts failed in 15 min");
        }

        if (failed > 0 || figures?.Retrying > 0)
        {
            return new SystemStatus(MapHealth.Degraded, $"{failed.ToString(CultureInfo.InvariantCulture)} failed attempts in 15 min, {(figures?.Retrying ?? 0).ToString(CultureInfo.InvariantCulture)} retrying");
        }

        if (circuit == CircuitState.HalfOpen)
        {
            return new SystemStatus(MapHealth.Degraded, "circuit probing after a break");
        }

        if (pollError is not null)
        {
            return new SystemStatus(MapHealth.Degraded, $"polling fails: {pollError}");
        }

        return new SystemStatus(MapHealth.Ok);
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
