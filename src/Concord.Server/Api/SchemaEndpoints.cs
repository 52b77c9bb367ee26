using Concord.Engine.Alerts.Shapes;
using Concord.Engine.Alerts;
using Concord.Engine.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Concord.Server.Api;

/// <summary>The payload shapes learned per system and type, what drifted, and accepting a vendor's new shape.</summary>
internal static class SchemaEndpoints
{
    public static void MapSchemas(this RouteGroupBuilder api)
    {
        api.MapGet("/schemas", (HubRuntime hub) => Results.Ok(hub.Shapes.Shapes().Select(SchemaView.Of).ToList()))
            .WithName("ListSchemas")
            .WithSummary("The shape learned from each system's payloads per type (field paths and JSON kinds, never values), with any drift of the recent payloads")
            .Produces<List<SchemaView>>();

        api.MapPost("/schemas/{system}/{type}/accept", async (string system, string type, HubRuntime hub, CancellationToken ct) =>
            await hub.Shapes.AcceptAsync(system, type, ct) is { } shape
                ? Results.Ok(SchemaView.Of(shape))
                : Problems.NotFound($"no payloads of {type} from '{system}' have been learned (GET /api/v1/schemas lists the shapes)"))
            .WithName("AcceptSchema")
            .WithSummary("Accept the recent payloads' shape as the new normal: the shape is learned again from them and its drift clears")
            .Produces<SchemaView>()
            .Produces<ProblemBody>(StatusCodes.Status404NotFound, "application/problem+json");
    }
}

/// <summary>A learned shape as the API shows it.</summary>
public sealed record SchemaView(
    string System, string Type, long Samples, bool Learned, DateTimeOffset? LearnedAt, DateTimeOffset? AcceptedAt,
    IReadOnlyList<SchemaFieldView> Fields, IReadOnlyList<SchemaDriftView> Drift)
{
    public static SchemaView Of(ShapeReport s) => new(s.System, s.Type, s.Samples, s.Learned, s.LearnedAt, s.AcceptedAt,
        s.Fields.Select(f => new SchemaFieldView(f.Path, f.Kinds, f.Share)).ToList(),
        s.Drift.Select(d => new SchemaDriftView(d.Path, d.Change.ToString().ToLowerInvariant(),
            d.Change == DriftChange.New ? null : ShapeDrift.Names(d.Was), d.Change == DriftChange.Missing ? null : ShapeDrift.Names(d.Now), d.Since, d.Describe())).ToList());
}

/// <summary>A learned field: its path, kinds, and the share of learned payloads that had it.</summary>
public sealed record SchemaFieldView(string Path, string Kinds, double Share);

/// <summary>A drifted field: <c>missing</c>, <c>type</c> or <c>new</c>, its kinds before (null for a new field) and now (null for a missing one), since when, in words.</summary>
public sealed record SchemaDriftView(string Path, string Change, string? Was, string? Now, DateTimeOffset Since, string Description);
