using Concord.Engine.Health;
using Concord.Engine.Hosting;
using Concord.Engine.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Concord.Server.Api;

/// <summary>The data-health history: one metric's points over time.</summary>
internal static class DataHealthEndpoints
{
    /// <summary>
    /// How old a measurement the API may answer with. Measuring reads every record, so callers that poll
    /// (a dashboard, a Prometheus scrape) share one measurement for this long.
    /// </summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(15);

    /// <summary>How far back the history goes when <c>since</c> is not given.</summary>
    private static readonly TimeSpan DefaultSpan = TimeSpan.FromHours(24);

    public static void MapDataHealth(this RouteGroupBuilder api)
    {
        api.MapGet("/health/history", async (HubRuntime hub, string? metric, string? type, string? system, string? field, string? since, string? until, string? limit,
            CancellationToken ct) =>
        {
            if (metric is null || !HealthHistory.Metrics.Contains(metric, StringComparer.Ordinal))
            {
                return Problems.BadRequest("metric", (metric is null ? "is required" : $"'{metric}' is not a kept metric") + "; one of " + string.Join(", ", HealthHistory.Metrics));
            }

            if (!QueryArgs.TryTime("since", since, out var from, out var problem) || !QueryArgs.TryTime("until", until, out var to, out problem)
                || !QueryArgs.TryLimit(limit, 10_000, 100_000, out var max, out problem))
            {
                return problem!;
            }

            var overall = type == DataHealthReport.Overall;
            var query = new HealthHistoryQuery(metric, from ?? hub.Time.GetUtcNow() - DefaultSpan, to, overall ? null : type, system, field, overall, max);
            var points = await hub.Store.GetHealthHistoryAsync(query, ct);
            return Results.Ok(new HealthHistoryView(metric, query.Since, points.Select(p => new HealthPointView(p.At, p.Value, p.Type ?? (p.Metric == "score" && p.System is null ? DataHealthReport.Overall : null), p.System, p.Field)).ToList()));
        })
        .WithName("GetHealthHistory")
        .WithSummary("Data-health history: the points of one metric (score, complete, connected, missing, unmatched, conflicts, error_rate, …), oldest first; type=overall for the overall score")
        .Produces<HealthHistoryView>();
    }
}

/// <summary>The points of one history metric.</summary>
public sealed record HealthHistoryView(string Metric, DateTimeOffset Since, IReadOnlyList<HealthPointView> Points);

/// <summary>One measured value, with the labels it is measured by.</summary>
public sealed record HealthPointView(DateTimeOffset At, double Value, string? Type, string? System, string? Field);
