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
            var live = await ReadAsync(hub, ct);
            context.Response.Headers.CacheControl = "no-store";
            return Results.Text(live.Svg(null), "image/svg+xml; charset=utf-8");
        })
        .WithName("GetMap")
        .WithSummary("The live integration map as SVG: systems by layer, owners, sync directions, flows, health, 24 h volume and last verified")
        .Produces<string>(StatusCodes.Status200OK, "image/svg+xml");

        app.MapGet("/map.mmd", async (HubRuntime hub, HttpContext context, CancellationToken ct) =>
        {
            var live = await ReadAsync(hub, ct);
            context.Response.Headers.CacheControl = "no-store";
            return Results.Text(live.Mermaid(), "text/vnd.mermaid; charset=utf-8");
        })
        .WithName("GetMapMermaid")
        .WithSummary("The live integration map as Mermaid text (flowchart LR), for wikis and Markdown pages")
        .Produces<string>(StatusCodes.Status200OK, "text/vnd.mermaid");
    }

    /// <summary>The map of the running configuration with the hub's live figures, as the API and the dashboard draw it.</summary>
    public static async Task<LiveMap> ReadAsync(HubRuntime hub, CancellationToken ct) =>
        new(StackMapBuilder.Build(hub.Config), await LiveMapReader.ReadAsync(hub, ct));
}

/// <summary>The stack's map and the running hub's figures on it, read once and drawn as SVG or Mermaid.</summary>
public sealed record LiveMap(StackMap Map, MapOverlay Overlay)
{
    /// <summary>The SVG; with links for a page that embeds it, without for the standalone document.</summary>
    public string Svg(MapLinks? links) => MapSvg.Render(MapLayouter.Lay(Map, Overlay), links);

    public string Mermaid() => MapMermaid.Render(Map, Overlay);
}
