using Concord.Server.Api;
using Microsoft.AspNetCore.Http;

namespace Concord.Server.Auth;

/// <summary>Requires <c>Authorization: Bearer &lt;api key&gt;</c> on the API group.</summary>
internal sealed class ApiKeyFilter(ApiKeys keys) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var header = context.HttpContext.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return Problems.Unauthorized("missing Authorization: Bearer <api key> header; create a key with `concord keys create`");
        }

        var key = await keys.VerifyAsync(header["Bearer ".Length..].Trim(), context.HttpContext.RequestAborted);
        if (key is null)
        {
            return Problems.Unauthorized("the API key is not valid");
        }

        context.HttpContext.Items["concord.api_key"] = key.Name;
        return await next(context);
    }
}
