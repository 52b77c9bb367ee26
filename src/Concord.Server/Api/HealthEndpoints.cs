using Concord.Engine.Hosting;
using Concord.Engine.Map;
using Concord.Engine.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Concord.Server.Api;

/// <summary>Readiness and first metrics.</summary>
internal static class HealthEndpoints
{
    /// <summary>
    /// The window over which the error rate is computed: the one each system's state is judged over, so one reading of
    /// the figures serves both (<see cref="ReadFiguresAsync"/>).
    /// </summary>
    private static readonly TimeSpan Window = SystemStates.ErrorWindow;

    public static void MapHealth(this RouteGroupBuilder api)
    {
        api.MapGet("/health", async (HubRuntime hub, CancellationToken ct) => Results.Ok(await ReadAsync(hub, ct)))
        .WithName("GetHealth")
        .WithSummary("Readiness and metrics: records per type, conflicts, pending and dead deliveries, error rate (15 min), delivery lag, and data health (`data`)")
        .Produces<HealthView>();
    }

    /// <summary>The hub's health as the API and the dashboard show it: one reading, so both always agree.</summary>
    public static async Task<HealthView> ReadAsync(HubRuntime hub, CancellationToken ct) => await ReadAsync(hub, await ReadFiguresAsync(hub, ct), ct);

    /// <summary>The delivery figures the health view is made from, for a page that also judges each system's state from them.</summary>
    public static Task<HealthSnapshot> ReadFiguresAsync(HubRuntime hub, CancellationToken ct) => hub.Store.GetHealthAsync(hub.Time.GetUtcNow(), Window, ct);

    /// <summary>The hub's health from figures already read with <see cref="ReadFiguresAsync"/>.</summary>
    public static async Task<HealthView> ReadAsync(HubRuntime hub, HealthSnapshot snapshot, CancellationToken ct)
    {
        var systems = hub.Config.Systems.Values.Select(s =>
        {
            var h = snapshot.Systems.FirstOrDefault(x => x.System == s.Name);
            var circuit = hub.Dispatcher(s.Name)?.Breaker.State.ToString().ToLowerInvariant() ?? "n/a";
            var poller = hub.Pollers.GetValueOrDefault(s.Name);
            return new SystemHealthView(s.Name, s.Kind, circuit, h?.Pending ?? 0, h?.Retrying ?? 0, h?.Dead ?? 0, h?.AttemptsInWindow ?? 0,
                h?.FailedInWindow ?? 0, Rate(h?.FailedInWindow ?? 0, h?.AttemptsInWindow ?? 0), h?.OldestPendingAge?.TotalSeconds,
                poller?.LastPolledAt, poller?.LastError);
        }).ToList();

        var degraded = snapshot.DeliveriesDead > 0 || systems.Any(s => s.Circuit == "open" || s.PollError is not null) || Rate(snapshot.FailedAttemptsInWindow, snapshot.AttemptsInWindow) > 0.1;
        return new HealthView(
            degraded ? "degraded" : "ok",
            snapshot.RecordsByType,
            snapshot.Conflicts,
            snapshot.InboxBacklog,
            new DeliveryCountsView(snapshot.DeliveriesPending, snapshot.DeliveriesRetrying, snapshot.DeliveriesDead),
            Rate(snapshot.FailedAttemptsInWindow, snapshot.AttemptsInWindow),
            snapshot.OldestPendingAge?.TotalSeconds,
            systems,
            await hub.DataHealth.CurrentAsync(DataHealthEndpoints.MaxAge, ct));
    }

    private static double Rate(long failed, long total) => total == 0 ? 0 : Math.Round((double)failed / total, 4);
}
