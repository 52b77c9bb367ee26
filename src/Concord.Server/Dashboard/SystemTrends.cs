using Concord.Engine.Hosting;
using Concord.Engine.Storage;
using Concord.Server.Api;

namespace Concord.Server.Dashboard;

/// <summary>
/// One system's last 24 hours, hour by hour, oldest first, the current hour last.
/// </summary>
/// <param name="Volume">Changes accepted from the system plus delivery attempts to it, from the hourly traffic history
/// (the current hour counted live); null when the store keeps no history.</param>
/// <param name="Lag">The longest time a delivery that succeeded in the hour waited from being enqueued, in seconds; for the
/// current hour, the oldest pending delivery's age too when that is longer. Null for an hour without either.</param>
public sealed record SystemTrend(IReadOnlyList<double?>? Volume, IReadOnlyList<double?> Lag)
{
    public const int Hours = 24;

    /// <summary>"changes in and deliveries out per hour over the last 24 h: peak 42, now 3, 120 in all".</summary>
    public string VolumeLabel => Volume is null
        ? "no traffic history is kept"
        : $"changes in and deliveries out per hour over the last 24 h: peak {DashboardText.Count((long)Volume.Max(v => v ?? 0))}, now {DashboardText.Count((long)(Volume[^1] ?? 0))}, {DashboardText.Count((long)Volume.Sum(v => v ?? 0))} in all";

    /// <summary>"longest delivery lag per hour over the last 24 h: peak 2 min, now 4 s".</summary>
    public string LagLabel => Lag.All(l => l is null)
        ? "delivery lag per hour over the last 24 h: nothing delivered or waiting"
        : $"longest delivery lag per hour over the last 24 h: peak {DashboardText.Seconds(Lag.Max())}, now {DashboardText.Seconds(Lag[^1])}";
}

/// <summary>Reads every configured system's <see cref="SystemTrend"/> in two queries: the traffic history and the delivery lag.</summary>
public static class SystemTrends
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    /// <param name="hub">The running hub.</param>
    /// <param name="health">The health just read, for the current age of each system's oldest pending delivery.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    public static async Task<IReadOnlyDictionary<string, SystemTrend>> ReadAsync(HubRuntime hub, HealthView health, CancellationToken cancellationToken)
    {
        var now = hub.Time.GetUtcNow();
        var current = new DateTimeOffset(now.UtcDateTime.Year, now.UtcDateTime.Month, now.UtcDateTime.Day, now.UtcDateTime.Hour, 0, 0, TimeSpan.Zero);
        var first = current - (SystemTrend.Hours - 1) * Hour;
        int Slot(DateTimeOffset hour) => (int)((hour - first) / Hour);

        Dictionary<string, double?[]>? volumes = null;
        try
        {
            volumes = new Dictionary<string, double?[]>(StringComparer.Ordinal);
            foreach (var h in await hub.Store.GetTrafficAsync(first, current + Hour, cancellationToken))
            {
                var slot = Slot(h.Hour);
                if (!h.Subject.StartsWith("system:", StringComparison.Ordinal) || slot is < 0 or >= SystemTrend.Hours)
                {
                    continue;
                }

                var system = h.Subject["system:".Length..];
                var series = volumes.TryGetValue(system, out var s) ? s : volumes[system] = new double?[SystemTrend.Hours];
                series[slot] = (series[slot] ?? 0) + h.Inbound + h.Outbound;
            }
        }
        catch (NotSupportedException)
        {
            volumes = null;
        }

        var lags = new Dictionary<string, double?[]>(StringComparer.Ordinal);
        foreach (var l in await hub.Store.GetDeliveryLagAsync(first, current + Hour, cancellationToken))
        {
            if (Slot(l.Hour) is var slot and >= 0 and < SystemTrend.Hours)
            {
                var series = lags.TryGetValue(l.System, out var s) ? s : lags[l.System] = new double?[SystemTrend.Hours];
                series[slot] = l.Longest.TotalSeconds;
            }
        }

        return hub.Config.Systems.Values.ToDictionary(s => s.Name, s =>
        {
            var lag = lags.GetValueOrDefault(s.Name) ?? new double?[SystemTrend.Hours];
            if (health.Systems.FirstOrDefault(x => x.Name == s.Name)?.LagSeconds is { } waiting && waiting > (lag[^1] ?? 0))
            {
                lag[^1] = waiting;
            }

            return new SystemTrend(volumes is null ? null : volumes.GetValueOrDefault(s.Name) ?? new double?[SystemTrend.Hours], lag);
        }, StringComparer.Ordinal);
    }
}
