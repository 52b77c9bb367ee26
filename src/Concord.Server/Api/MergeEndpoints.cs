using Concord.Engine.Hosting;
using Concord.Engine.Processing;
using Concord.Engine.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Concord.Server.Api;

/// <summary>A steward's merges of duplicate golden records, and their exact undo.</summary>
internal static class MergeEndpoints
{
    public static void MapMerges(this RouteGroupBuilder api)
    {
        api.MapPost("/records/{type}/{id}/merge", async (string type, string id, string? absorb, HttpContext http, HubRuntime hub, CancellationToken ct) =>
        {
            if (string.IsNullOrWhiteSpace(absorb))
            {
                return Problems.BadRequest("absorb", "name the record to merge into this one: ?absorb=<record id>");
            }

            if (!hub.Config.Entities.ContainsKey(type))
            {
                return Problems.NotFound($"no entity type '{type}' is configured");
            }

            return await Run(() => hub.MergeAsync(type, id, absorb, http.Items["concord.api_key"] as string ?? "api", ct));
        })
        .WithName("MergeRecords")
        .WithSummary("Merge the record ?absorb= into this one: its links, and its values for fields this one lacks, move here; undo with POST /api/v1/merges/{id}/undo")
        .Produces<MergeView>()
        .Produces<ProblemBody>(StatusCodes.Status404NotFound, "application/problem+json")
        .Produces<ProblemBody>(StatusCodes.Status409Conflict, "application/problem+json");

        api.MapPost("/merges/{id}/undo", async (string id, HubRuntime hub, CancellationToken ct) => await Run(() => hub.UnmergeAsync(id, ct)))
            .WithName("UndoMerge")
            .WithSummary("Undo a merge exactly: both records as they were at the merge, each with its own links")
            .Produces<MergeView>()
            .Produces<ProblemBody>(StatusCodes.Status404NotFound, "application/problem+json")
            .Produces<ProblemBody>(StatusCodes.Status409Conflict, "application/problem+json");

        api.MapGet("/records/{type}/{id}/merges", async (string type, string id, HubRuntime hub, CancellationToken ct) =>
            Results.Ok((await hub.Store.GetMergesAsync(id, ct)).Where(m => m.Type == type).Select(m => MergeView.Of(m, 0)).ToList()))
            .WithName("ListMerges")
            .WithSummary("The merges a record took part in, newest first")
            .Produces<List<MergeView>>();
    }

    private static async Task<IResult> Run(Func<Task<MergeResult>> work)
    {
        try
        {
            var result = await work();
            return Results.Ok(MergeView.Of(result.Merge, result.Deliveries));
        }
        catch (MergeRefusedException ex)
        {
            return ex.NotFound ? Problems.NotFound(ex.Message) : Problems.Conflict(ex.Message);
        }
    }
}

/// <summary>A merge as the API shows it.</summary>
public sealed record MergeView(string Id, string Type, string SurvivorId, string AbsorbedId, IReadOnlyList<string> MovedLinks, string By, DateTimeOffset MergedAt, DateTimeOffset? UndoneAt, int Deliveries)
{
    public static MergeView Of(MergeEntry m, int deliveries) =>
        new(m.Id, m.Type, m.SurvivorId, m.AbsorbedId, m.AbsorbedLinks.Select(l => $"{l.System}:{l.ExternalId}").ToList(), m.By, m.MergedAt, m.UndoneAt, deliveries);
}
