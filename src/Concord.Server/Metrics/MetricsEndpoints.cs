using Concord.Engine.Health;
using Concord.Engine.Hosting;
using Concord.Server.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Concord.Server.Metrics;

/// <summary>
/// <c>GET /metrics</c>: the health endpoint's figures and the data-health figures in the Prometheus text
/// format, for a scraper. Authenticated like the API (a bearer API key).
/// </summary>
internal static class MetricsEndpoints
{
    public static void MapMetrics(this IEndpointRouteBuilder app)
    {
        app.MapGet("/metrics", async (HubRuntime hub, CancellationToken ct) =>
        {
            var report = await hub.DataHealth.CurrentAsync(DataHealthEndpoints.MaxAge, ct);
            var snapshot = await hub.Store.GetHealthAsync(hub.Time.GetUtcNow(), DataHealthMeter.Window, ct);
            return Results.Text(Write(hub, report, snapshot), PrometheusText.ContentType);
        })
        .WithName("GetMetrics")
        .WithSummary("Prometheus text exposition (version 0.0.4) of the delivery, inbox, circuit and data-health figures")
        .Produces<string>(200, "text/plain");
    }

    internal static string Write(HubRuntime hub, DataHealthReport report, Engine.Storage.HealthSnapshot snapshot)
    {
        var m = new PrometheusText();
        static (string, string) T(string type) => ("type", type);
        var types = report.Types;
        var scored = types.Where(t => t.Score is not null).ToList();

        m.Gauge("concord_data_health_score", "Share (0..1) of a type's records that are complete and connected.", scored.Select(t => new Sample(t.Score!.Value, T(t.Type))));
        m.Gauge("concord_data_health_score_overall", "Share (0..1) of all records that are complete and connected (record-weighted mean of the type scores); NaN without records.",
            report.Score ?? double.NaN);
        m.Gauge("concord_data_health_target", "The score a type should keep (health.target or health.targets).", types.Select(t => new Sample(t.Target, T(t.Type))));
        m.Gauge("concord_data_health_target_overall", "The overall score to keep (health.target).", report.Target);
        m.Gauge("concord_data_health_measured_timestamp_seconds", "When these data-health figures were measured (Unix time).", report.At.ToUnixTimeMilliseconds() / 1000.0);
        m.Gauge("concord_records", "Live golden records.", types.Select(t => new Sample(t.Records, T(t.Type))));
        m.Gauge("concord_records_complete", "Records with a value for every required field.", types.Select(t => new Sample(t.Complete, T(t.Type))));
        m.Gauge("concord_records_connected", "Records linked in every system their type syncs with.", types.Select(t => new Sample(t.Connected, T(t.Type))));
        m.Gauge("concord_records_single_source", "Records linked in exactly one system.", types.Select(t => new Sample(t.SingleSource, T(t.Type))));
        m.Gauge("concord_records_unlinked", "Records linked in no system.", types.Select(t => new Sample(t.Unlinked, T(t.Type))));
        m.Gauge("concord_field_missing_records", "Records without a value for a required field.",
            types.SelectMany(t => t.Fields.Select(f => new Sample(f.Missing, T(t.Type), ("field", f.Field)))));
        m.Gauge("concord_records_not_linked", "Records expected in a system (it syncs the type, its filter lets them through) and not linked there.",
            types.SelectMany(t => t.Systems.Select(s => new Sample(s.NotLinked, T(t.Type), ("system", s.System)))));
        m.Gauge("concord_references_unmatched", "Records whose reference field is empty or names no record the hub knows.",
            types.SelectMany(t => t.References.Select(r => new Sample(r.Unmatched, T(t.Type), ("field", r.Field)))));
        m.Gauge("concord_references_dangling", "Records whose reference field names no live record, or one nothing is known about yet.",
            types.SelectMany(t => t.References.Select(r => new Sample(r.Dangling, T(t.Type), ("field", r.Field)))));
        m.Gauge("concord_duplicates_suspected", "Open possible-duplicate and duplicate-in-system findings.", types.Select(t => new Sample(t.DuplicatesSuspected, T(t.Type))));
        m.Gauge("concord_duplicates_merged", "Merges in force (done and not undone).", types.Select(t => new Sample(t.DuplicatesMerged, T(t.Type))));
        m.Counter("concord_merges_total", "Merges done, undone ones included.", types.Select(t => new Sample(t.MergesTotal, T(t.Type))));
        m.Counter("concord_unmerges_total", "Merges undone.", types.Select(t => new Sample(t.UnmergesTotal, T(t.Type))));
        m.Gauge("concord_conflicts", "Records where a system that does not own a field holds a different value for it.",
            types.SelectMany(t => t.Conflicts.Select(c => new Sample(c.Records, T(t.Type), ("field", c.Field), ("system", c.System)))));

        m.Gauge("concord_inbox_backlog", "Accepted changes not processed yet.", snapshot.InboxBacklog);
        var systems = snapshot.Systems;
        m.Gauge("concord_deliveries", "Unfinished and dead deliveries by status.", systems.SelectMany(s => new[]
        {
            new Sample(s.Pending, ("system", s.System), ("status", "pending")),
            new Sample(s.Retrying, ("system", s.System), ("status", "retrying")),
            new Sample(s.Dead, ("system", s.System), ("status", "dead")),
        }));
        var window = Core.Configuration.Duration.Format(DataHealthMeter.Window);
        m.Gauge("concord_delivery_attempts_window", $"Delivery attempts in the last {window}.", report.Systems.Select(s => new Sample(s.Attempts, ("system", s.System))));
        m.Gauge("concord_delivery_failures_window", $"Failed delivery attempts in the last {window}.", report.Systems.Select(s => new Sample(s.Failed, ("system", s.System))));
        m.Gauge("concord_delivery_error_ratio", $"Failed / all delivery attempts in the last {window} (0 without attempts).",
            report.Systems.Select(s => new Sample(s.ErrorRate, ("system", s.System))));
        m.Gauge("concord_delivery_oldest_pending_seconds", "Age of the oldest unfinished delivery to a system (0 when none waits).",
            report.Systems.Select(s => new Sample(s.OldestPendingSeconds ?? 0, ("system", s.System))));
        m.Gauge("concord_inbound_last_change_timestamp_seconds", "When the last change from a system was accepted (Unix time), as far as the kept log shows.",
            report.Systems.Where(s => s.LastChangeAt is not null).Select(s => new Sample(s.LastChangeAt!.Value.ToUnixTimeMilliseconds() / 1000.0, ("system", s.System))));
        m.Gauge("concord_circuit_open", "1 while the hub has stopped calling a system that keeps failing (circuit open or half-open), else 0.",
            hub.Dispatchers.OrderBy(d => d.Key, StringComparer.Ordinal)
                .Select(d => new Sample(d.Value.Breaker.State == Engine.Resilience.CircuitState.Closed ? 0 : 1, ("system", d.Key))));
        m.Gauge("concord_poll_failing", "1 while a system's last poll failed, else 0.",
            hub.Pollers.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => new Sample(p.Value.LastError is null ? 0 : 1, ("system", p.Key))));
        return m.ToString();
    }
}
