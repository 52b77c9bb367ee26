using System.Text.Json.Nodes;
using Concord.Core.Records;
using Concord.Engine.Hosting;
using Concord.Engine.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Concord.Server.Api;

/// <summary>Golden records: one with its provenance, or a search (the start of the customer 360).</summary>
internal static class RecordEndpoints
{
    public static void MapRecords(this RouteGroupBuilder api)
    {
        api.MapGet("/records/{type}/{id}", async (string type, string id, HubRuntime hub, CancellationToken ct) =>
        {
            var record = await hub.Store.GetRecordAsync(id, ct);
            if (record is null || record.Type != type)
            {
                return Problems.NotFound($"no {type} record with id '{id}'");
            }

            var links = await hub.Store.GetLinksAsync(id, ct);
            var history = await hub.Store.GetHistoryAsync(id, 100, ct);
            return Results.Ok(new RecordView(record.Id, record.Type, record.Version, record.CreatedAt, record.UpdatedAt, record.Deleted,
                record.Fields, record.Observations,
                (hub.Config.Entities.TryGetValue(type, out var entity) ? Core.Ownership.FieldApplier.Conflicts(record, entity) : record.Conflicts()).ToList(),
                links.Select(l => new LinkView(l.System, l.ExternalId, l.LinkedAt)).ToList(),
                history.Select(h => new EventView(h.Version, h.At, h.Kind, h.System, h.ChangeId, h.Changes)).ToList()));
        })
        .WithName("GetRecord")
        .WithSummary("A golden record with per-field provenance, links, conflicts and history")
        .Produces<RecordView>()
        .Produces<ProblemBody>(StatusCodes.Status404NotFound, "application/problem+json");

        api.MapGet("/records/{type}/{id}/related", async (string type, string id, HubRuntime hub, CancellationToken ct) =>
        {
            var record = await hub.Store.GetRecordAsync(id, ct);
            if (record is null || record.Type != type)
            {
                return Problems.NotFound($"no {type} record with id '{id}'");
            }

            var byType = await RelatedAsync(hub, id, 1000, ct);
            return Results.Ok(byType);
        })
        .WithName("GetRelatedRecords")
        .WithSummary("The 360 of a record: every live record that names it (a customer's invoices, payments, subscriptions), by type, with their ids in each system")
        .Produces<Dictionary<string, List<RecordSummaryView>>>()
        .Produces<ProblemBody>(StatusCodes.Status404NotFound, "application/problem+json");

        api.MapGet("/records/{type}", async (string type, string? q, string? limit, HubRuntime hub, CancellationToken ct) =>
        {
            if (!QueryArgs.TryLimit(limit, 20, 200, out var max, out var bad))
            {
                return bad!;
            }

            if (!hub.Config.Entities.ContainsKey(type))
            {
                return Problems.NotFound($"unknown entity type '{type}'; configured: {string.Join(", ", hub.Config.Entities.Keys)}");
            }

            if (string.IsNullOrWhiteSpace(q))
            {
                return Problems.BadRequest("q", "required: an email, name, company, domain or external id to search for");
            }

            var result = new List<RecordSummaryView>();
            foreach (var r in await hub.Store.SearchAsync(type, q, max, ct))
            {
                result.Add(await SummaryAsync(hub, r, ct));
            }

            return Results.Ok(result);
        })
        .WithName("SearchRecords")
        .WithSummary("Search records of a type by email, name, company, domain or any external id")
        .Produces<List<RecordSummaryView>>();
    }

    /// <summary>The live records that name a record (a customer's invoices, payments, subscriptions), by type, each with its links. Shared with the dashboard.</summary>
    internal static async Task<Dictionary<string, List<RecordSummaryView>>> RelatedAsync(HubRuntime hub, string id, int limit, CancellationToken ct)
    {
        var byType = new Dictionary<string, List<RecordSummaryView>>(StringComparer.Ordinal);
        foreach (var r in await hub.Store.FindReferencingAsync(id, limit, ct))
        {
            (byType.TryGetValue(r.Type, out var list) ? list : byType[r.Type] = []).Add(await SummaryAsync(hub, r, ct));
        }

        return byType;
    }

    /// <summary>A record's values (no provenance) and its links.</summary>
    internal static async Task<RecordSummaryView> SummaryAsync(HubRuntime hub, GoldenRecord r, CancellationToken ct)
    {
        var values = new JsonObject();
        foreach (var (name, value) in r.Fields)
        {
            values[name] = value.Value?.DeepClone();
        }

        var links = await hub.Store.GetLinksAsync(r.Id, ct);
        return new RecordSummaryView(r.Id, r.Type, r.Version, r.UpdatedAt, values, links.Select(l => new LinkView(l.System, l.ExternalId, l.LinkedAt)).ToList());
    }

    public static void MapDeliveries(this RouteGroupBuilder api)
    {
        api.MapGet("/deliveries", async (string? status, string? system, string? record, string? limit, HubRuntime hub, CancellationToken ct) =>
        {
            if (!QueryArgs.TryLimit(limit, 100, 1000, out var max, out var bad))
            {
                return bad!;
            }

            DeliveryStatus? parsed = null;
            if (status is not null)
            {
                if (!Enum.TryParse<DeliveryStatus>(status, ignoreCase: true, out var s) || int.TryParse(status, out _))
                {
                    return Problems.BadRequest("status", $"'{status}' is not a status; use pending, retrying, succeeded or dead");
                }

                parsed = s;
            }

            var deliveries = await hub.Store.QueryDeliveriesAsync(new DeliveryQuery(parsed, system, record, max), ct);
            return Results.Ok(deliveries.Select(d => DeliveryView.From(d, hub.Config)).ToList());
        })
        .WithName("ListDeliveries")
        .WithSummary("Deliveries, newest first, filtered by status, system and record")
        .Produces<List<DeliveryView>>();

        api.MapPost("/deliveries/{id:long}/replay", async (long id, HttpContext http, HubRuntime hub, CancellationToken ct) =>
            await hub.Replayer.ReplayAsync(id, http.Items["concord.api_key"] as string ?? "api", ct) switch
            {
                Engine.Dispatch.ReplayOutcome.Requeued => Results.Accepted(value: new { id, status = "requeued" }),
                Engine.Dispatch.ReplayOutcome.NotFound => Problems.NotFound($"no delivery {id}"),
                Engine.Dispatch.ReplayOutcome.Obsolete => Problems.Conflict($"delivery {id} is obsolete: the record was deleted or restored since, and replaying it would undo that in the system"),
                _ => Problems.Conflict($"delivery {id} is not dead; only dead deliveries are replayed"),
            })
        .WithName("ReplayDelivery")
        .WithSummary("Send a dead delivery again (with the record's current values and a new idempotency key)");
    }

    public static void MapLog(this RouteGroupBuilder api)
    {
        api.MapGet("/log", async (string? record, string? system, string? since, string? correlation, string? limit, HubRuntime hub, CancellationToken ct) =>
        {
            if (!QueryArgs.TryLimit(limit, 100, 1000, out var max, out var bad) || !QueryArgs.TryTime("since", since, out var from, out bad))
            {
                return bad!;
            }

            var entries = await hub.Store.QueryLogAsync(new LogQuery(record, system, from, correlation, max), ct);
            return Results.Ok(entries.Select(e => LogEntryView.Of(hub.Config, e)).ToList());
        })
        .WithName("QueryLog")
        .WithSummary("The transaction log: inbound changes and outbound attempts, newest first")
        .Produces<List<LogEntryView>>();
    }
}
