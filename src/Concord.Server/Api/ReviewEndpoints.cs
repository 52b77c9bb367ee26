using Concord.Core.Matching;
using Concord.Core.Records;
using Concord.Engine.Hosting;
using Concord.Engine.Identity;
using Concord.Engine.Processing;
using Concord.Engine.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Concord.Server.Api;

/// <summary>
/// The review queue as a person works it: one finding with both records side by side and the
/// matcher's reasons, the open look-alikes grouped into clusters, and bulk approve or reject.
/// </summary>
internal static class ReviewEndpoints
{
    internal const int MaxBulk = 500;

    public static void MapReview(this RouteGroupBuilder api)
    {
        api.MapGet("/findings/{id}", async (string id, HubRuntime hub, CancellationToken ct) =>
        {
            var finding = await hub.Store.ExecuteAsync(tx => tx.LoadFinding(id), ct);
            if (finding is null)
            {
                return Problems.NotFound($"no finding {id}");
            }

            var left = await hub.Store.GetRecordAsync(finding.RecordId, ct);
            var right = finding.OtherRecordId is { } other ? await hub.Store.GetRecordAsync(other, ct) : null;
            return Results.Ok(new FindingDetailView(FindingView.Of(finding), Compare(hub, left, right)));
        })
        .WithName("GetFinding")
        .WithSummary("One finding; for a pair of records, both side by side with the matcher's probability and each field's level and weight")
        .Produces<FindingDetailView>()
        .Produces<ProblemBody>(StatusCodes.Status404NotFound, "application/problem+json");

        api.MapGet("/review", async (string? type, string? limit, HubRuntime hub, CancellationToken ct) =>
        {
            if (!QueryArgs.TryLimit(limit, 100, 1000, out var max, out var bad))
            {
                return bad!;
            }

            var open = await hub.Store.QueryFindingsAsync(new FindingQuery("possible-duplicate", type, null, true, 1000), ct);
            return Results.Ok(Clusters(open).Take(max).ToList());
        })
        .WithName("ReviewQueue")
        .WithSummary("Open possible duplicates grouped into clusters: records that the findings link, directly or through one another")
        .Produces<List<ReviewClusterView>>();

        api.MapPost("/findings/approve", (BulkRequest body, HttpContext http, HubRuntime hub, CancellationToken ct) =>
            BulkAsync(body, id => hub.ApproveFindingAsync(id, http.Items["concord.api_key"] as string ?? "api", ct), "approved"))
        .WithName("ApproveFindings")
        .WithSummary("Approve many findings, each on its own: one that cannot be approved does not stop the others")
        .Produces<List<BulkOutcomeView>>()
        .Produces<ProblemBody>(StatusCodes.Status400BadRequest, "application/problem+json");

        api.MapPost("/findings/reject", (BulkRequest body, HubRuntime hub, CancellationToken ct) =>
            BulkAsync(body, async id => { await hub.RejectFindingAsync(id, ct); return null; }, "rejected"))
        .WithName("RejectFindings")
        .WithSummary("Reject many findings, each on its own; rejected pairs are never proposed again")
        .Produces<List<BulkOutcomeView>>()
        .Produces<ProblemBody>(StatusCodes.Status400BadRequest, "application/problem+json");
    }

    private static async Task<IResult> BulkAsync(BulkRequest? body, Func<string, Task<MergeResult?>> act, string outcome)
    {
        if (body?.Ids is not { Count: > 0 } ids)
        {
            return Problems.BadRequest("ids", "give the findings' ids: {\"ids\": [\"fnd_…\", …]}");
        }

        if (ids.Count > MaxBulk)
        {
            return Problems.BadRequest("ids", $"at most {MaxBulk} findings at once, not {ids.Count}");
        }

        return Results.Ok(await RunBulkAsync(ids, act, outcome));
    }

    /// <summary>
    /// Acts on each finding on its own, so one that cannot be approved or rejected does not stop the others. Shared with
    /// the dashboard's review queue.
    /// </summary>
    internal static async Task<List<BulkOutcomeView>> RunBulkAsync(IEnumerable<string> ids, Func<string, Task<MergeResult?>> act, string outcome)
    {
        var results = new List<BulkOutcomeView>();
        foreach (var id in ids.Distinct(StringComparer.Ordinal))
        {
            try
            {
                var merged = await act(id);
                results.Add(new BulkOutcomeView(id, outcome, merged is null ? null : MergeView.Of(merged.Merge, merged.Deliveries), null));
            }
            catch (MergeRefusedException ex)
            {
                results.Add(new BulkOutcomeView(id, ex.NotFound ? "not-found" : "refused", null, ex.Message));
            }
        }

        return results;
    }

    /// <summary>Two records side by side with the matcher's reasons; null unless both exist. Shared with the dashboard's review page.</summary>
    internal static PairComparisonView? Compare(HubRuntime hub, GoldenRecord? left, GoldenRecord? right)
    {
        if (left is null || right is null)
        {
            return null;
        }

        var fields = left.Fields.Keys.Union(right.Fields.Keys).Order(StringComparer.Ordinal)
            .ToDictionary(f => f, f => new[] { left.ValueOf(f)?.ToString(), right.ValueOf(f)?.ToString() }, StringComparer.Ordinal);
        var explained = left.Type == right.Type ? hub.Matcher.Explain(left, right) : null;
        var source = hub.Matcher.Of(left.Type)?.Source;
        return new PairComparisonView(left.Id, right.Id, fields, explained?.Probability, explained?.MatchWeight, source, explained?.Fields);
    }

    /// <summary>Connected components of the open look-alike pairs, largest and strongest first.</summary>
    internal static IEnumerable<ReviewClusterView> Clusters(IReadOnlyList<Finding> open)
    {
        var pairs = open.Where(f => f.OtherRecordId is not null).ToList();
        var ids = pairs.SelectMany(f => new[] { f.RecordId, f.OtherRecordId! }).Distinct(StringComparer.Ordinal).ToList();
        var index = ids.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => p.i, StringComparer.Ordinal);
        var component = Clustering.ConnectedComponents(ids.Count, pairs.Select(f => (index[f.RecordId], index[f.OtherRecordId!])));
        return pairs
            .GroupBy(f => component[index[f.RecordId]])
            .Select(g => new ReviewClusterView(
                g.First().Type,
                g.SelectMany(f => new[] { f.RecordId, f.OtherRecordId! }).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(),
                g.Select(f => FindingView.Of(f)).ToList()))
            .OrderByDescending(c => c.Records.Count).ThenBy(c => c.Records[0], StringComparer.Ordinal);
    }
}

/// <summary>Ids for a bulk action.</summary>
public sealed record BulkRequest(List<string>? Ids);

/// <summary>What a bulk action did with one finding.</summary>
public sealed record BulkOutcomeView(string Id, string Outcome, MergeView? Merge, string? Error);

/// <summary>A finding with, for a pair of records, the side-by-side comparison.</summary>
public sealed record FindingDetailView(FindingView Finding, PairComparisonView? Comparison);

/// <summary>
/// Two records side by side: every golden field's two values, and for matched types the match
/// probability, the weight and where the parameters came from, and each model field's level.
/// </summary>
public sealed record PairComparisonView(
    string RecordId,
    string OtherRecordId,
    Dictionary<string, string?[]> Fields,
    double? Probability,
    double? MatchWeight,
    string? Parameters,
    IReadOnlyList<FieldComparison>? Matcher);

/// <summary>Records the open look-alike findings link together, and those findings.</summary>
public sealed record ReviewClusterView(string Type, List<string> Records, List<FindingView> Findings);
