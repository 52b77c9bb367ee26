using Concord.Server.Api;
using Microsoft.AspNetCore.Http;

namespace Concord.Server.Auth;

/// <summary>
/// Requires <c>Authorization: Bearer &lt;api key&gt;</c> for everything under <c>/api/</c> and for the integration
/// map (<c>/map</c>, <c>/map.mmd</c>), which shows as much as the API does. It runs before routing, so an
/// unauthenticated caller learns nothing about the API (not even a 404 or 415).
/// </summary>
internal sealed class ApiKeyMiddleware(RequestDelegate next, ApiKeys keys)
{
    /// <summary>Paths that need a key besides <c>/api</c>.</summary>
    private static readonly string[] Protected = ["/api", "/map", "/map.mmd"];

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
