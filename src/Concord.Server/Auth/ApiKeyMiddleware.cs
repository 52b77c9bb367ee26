using Concord.Server.Api;
using Microsoft.AspNetCore.Http;

namespace Concord.Server.Auth;

/// <summary>
/// Requires <c>Authorization: Bearer &lt;api key&gt;</c> for everything under <c>/api/</c>, for the integration
/// map (<c>/map</c>, <c>/map.mmd</c>), which shows as much as the API does, and for <c>/metrics</c> (a scrape
/// reveals volumes and system names; Prometheus sends the key as a bearer token). It runs before routing, so an
/// unauthenticated caller learns nothing about the API (not even a 404 or 415).
/// </summary>
internal sealed class ApiKeyMiddleware(RequestDelegate next, ApiKeys keys)
{
    /// <summary>The paths that need a key.</summary>
    private static readonly string[] Protected = ["/api", "/map", "/map.mmd", "/metrics"];

    public async Task InvokeAsync(HttpContext context)
    {
        if (!Array.Exists(Protected, p => context.Request.Path.StartsWithSegments(p, StringComparison.Ordinal)))
        {
            await next(context);
            return;
        }

        var header = context.Request.Headers.Authorization.ToString();
        var key = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            ? await keys.VerifyAsync(header["Bearer ".Length..].Trim(), context.RequestAborted)
            : null;
        if (key is null)
        {
            var detail = header.Length == 0
                ? "missing Authorization: Bearer <api key> header; create a key with `concord keys create`"
                : "the API key is not valid";
            await Problems.Unauthorized(detail).ExecuteAsync(context);
            return;
        }

        context.Items["concord.api_key"] = key.Name;
        await next(context);
    }
}
