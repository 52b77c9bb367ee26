using Concord.Engine.Hosting;
using Concord.Engine.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Concord.Server.Api;

/// <summary>Findings about the data: look-alike records, duplicates inside a tool, double billing, broken guardrail rules.</summary>
internal static class FindingEndpoints
{
    private static readonly string[] Kinds = ["possible-duplicate", "duplicate-in-system", "double-billing", "cardinality"];

    public static void MapFindings(this RouteGroupBuilder api)
    {
        api.MapGet("/findings", async (string? kind, string? type, string? record, string? status, string? limit, HubRuntime hub, CancellationToken ct) =>
        {
            if (!QueryArgs.TryLimit(limit, 100, 1000, out var max, out var bad))
            {
                return bad!;
            }

            if (kind is not null && !Kinds.Contains(kind, StringComparer.Ordinal))
            {
                return Problems.BadRequest("kind", $"kind must be one of {string.Join(", ", Kinds)}");
            }

            if (status is not null and not "open" and not "all")
            {
                return Problems.BadRequest("status", "status must be open (the default) or all");
            }

            var found = await hub.Store.QueryFindingsAsync(new FindingQuery(kind, type, record, status != "all", max), ct);
            return Results.Ok(found.Select(FindingView.Of).ToList());
        })
        .WithName("QueryFindings")
        .WithSummary("Findings about the data, newest first: possible duplicates, a record held twice by one system, double billing (alerts), other guardrail rules broken")
        .Produces<List<FindingView>>()
        .Produces<ProblemBody>(StatusCodes.Status400BadRequest, "application/problem+json");

        api.MapPost("/findings/{id}/approve", async (string id, HttpContext http, HubRuntime hub, CancellationToken ct) =>
        {
            try
            {
                var merged = await hub.ApproveFindingAsync(id, http.Items["concord.api_key"] as string ?? "api", ct);
                return Results.Ok(new FindingActionView(id, "approved", merged is null ? null : MergeView.Of(merged.Merge, merged.Deliveries)));
            }
            catch (Engine.Processing.MergeRefusedException ex)
            {
                return ex.NotFound ? Problems.NotFound(ex.Message) : Problems.Conflict(ex.Message);
            }
        })
        .WithName("ApproveFinding")
        .WithSummary("Approve a finding: a possible duplicate is merged into the record that held the key first (undo with the merge's undo); other kinds are acknowledged")
        .Produces<FindingActionView>()
        .Produces<ProblemBody>(StatusCodes.Status404NotFound, "application/problem+json")
        .Produces<ProblemBody>(StatusCodes.Status409Conflict, "application/problem+json");

        api.MapPost("/findings/{id}/reject", async (string id, HubRuntime hub, CancellationToken ct) =>
        {
            try
            {
                await hub.RejectFindingAsync(id, ct);
                return Results.Ok(new FindingActionView(id, "rejected", null));
            }
            catch (Engine.Processing.MergeRefusedException ex)
            {
                return ex.NotFound ? Problems.NotFound(ex.Message) : Problems.Conflict(ex.Message);
            }
        })
        .WithName("RejectFinding")
        .WithSummary("Reject a finding: closed, and never proposed again for the same records")
        .Produces<FindingActionView>()
        .Produces<ProblemBody>(StatusCodes.Status404NotFound, "application/problem+json")
        .Produces<ProblemBody>(StatusCodes.Status409Conflict, "application/problem+json");
    }
}

/// <summary>What approving or rejecting a finding did.</summary>
public sealed record FindingActionView(string Id, string Outcome, MergeView? Merge);

/// <summary>One finding as the API shows it.</summary>
public sealed record FindingView(
    string Id,
    string Kind,
    string Severity,
    string Type,
    string RecordId,
    string? OtherRecordId,
    string? System,
    string Message,
    DateTimeOffset RaisedAt,
    DateTimeOffset? ResolvedAt,
    string? Rule)
{
    public static FindingView Of(Finding f) => new(f.Id, f.Kind, f.Severity, f.Type, f.RecordId, f.OtherRecordId, f.System, f.Message, f.RaisedAt, f.ResolvedAt, f.Rule);
}
