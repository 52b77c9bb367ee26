using Concord.Engine.Billing;
using Concord.Engine.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Concord.Server.Api;

/// <summary>Cancelling a subscription in the systems that bill it: the fix for a customer billed twice.</summary>
internal static class SubscriptionEndpoints
{
    public static void MapSubscriptions(this RouteGroupBuilder api)
    {
        api.MapPost("/records/subscription/{id}/cancel", async (string id, HttpContext http, HubRuntime hub, CancellationToken ct) =>
            Answer(id, await hub.Subscriptions.CancelAsync(id, http.Items["concord.api_key"] as string ?? "api", ct)))
        .WithName("CancelSubscription")
        .WithSummary("Cancel a subscription at once in every system that bills it and can cancel it (Stripe); the record follows when the system's event comes back")
        .Produces<CancelOutcome>()
        .Produces<CancelOutcome>(StatusCodes.Status502BadGateway)
        .Produces<ProblemBody>(StatusCodes.Status404NotFound, "application/problem+json")
        .Produces<ProblemBody>(StatusCodes.Status409Conflict, "application/problem+json");
    }

    /// <summary>200 when every system has it cancelled; 502 with each system's answer when one refused.</summary>
    internal static IResult Answer(string id, CancelOutcome? outcome) => outcome switch
    {
        null => Problems.NotFound($"no subscription record {id}"),
        { Systems.Count: 0 } => Problems.Conflict($"subscription {id} is not held by a system Concord can cancel it in (Stripe)"),
        { Cancelled: true } => Results.Ok(outcome),
        _ => Results.Json(outcome, statusCode: StatusCodes.Status502BadGateway),
    };
}
