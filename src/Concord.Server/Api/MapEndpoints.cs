using Concord.Core.Map;
using Concord.Engine.Hosting;
using Concord.Engine.Map;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Concord.Server.Api;

/// <summary>
/// The live integration map: <c>GET /map</c> (SVG) and <c>GET /map.mmd</c> (Mermaid text), drawn from the running
/// configuration with each system's health and each connection's volume and "last verified". Outside <c>/api</c> so a
/// browser can open it by its short address, but behind the same API key (see <see cref="Auth.ApiKeyMiddleware"/>):
/// it names every system and shows their traffic.
/// </summary>
internal static class MapEndpoints
{
    public static void MapIntegrationMap(this IEndpointRouteBuilder app)
    {
        app.MapGet("/map", async (HubRuntime hub, HttpContext context, CancellationToken ct) =>
        {
            var overlay = await LiveMapReader.ReadAsync(hub, ct);
            var svg = MapSvg.Render(MapLayouter.Lay(StackMapBuilder.Build(hub.Config), overlay));
            context.Response.Headers.CacheControl = "no-store";
            return Results.Text(svg, "image/svg+xml; charset=utf-8");
        })
        .WithName("GetMap")
        .WithSummary("The live integration map as SVG: systems by layer, owners, sync directions, flows, health, 24 h volume and last verified")
        .Produces<string>(StatusCodes.Status200OK, "image/svg+xml");

        app.MapGet("/map.mmd", async (HubRuntime hub, HttpContext context, CancellationToken ct) =>
        {
            var overlay = await LiveMapReader.ReadAsync(hub, ct);
            context.Response.Headers.CacheControl = "no-store";
            return Results.Text(MapMermaid.Render(StackMapBuilder.Build(hub.Config), overlay), "text/vnd.mermaid; charset=utf-8");
        })
        .WithName("GetMapMermaid")
        .WithSummary("The live integration map as Mermaid text (flowchart LR), for wikis and Markdown pages")
        .Produces<string>(StatusCodes.Status200OK, "text/vnd.mermaid");
    }
}
