using Concord.Engine.Connectors;
using Concord.Engine.Hosting;
using Concord.Engine.Intake;
using Concord.Engine.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Concord.Server.Api;

/// <summary>The accept stage over HTTP: the generic change API and inbound webhooks.</summary>
internal static class ChangeEndpoints
{
    public static void MapChanges(this RouteGroupBuilder api)
    {
        api.MapPost("/changes/{system}", async (string system, HttpRequest request, HubRuntime hub, CancellationToken ct) =>
        {
            try
            {
                var body = await BodyReader.ReadAsync(request, hub.Config.Hub.MaxBodyBytes, ct);
                var changes = hub.Intake.ParseBatch(system, body, "api");
                return Accepted(await hub.AcceptAsync(changes, ct));
            }
            catch (IntakeException ex)
            {
                return Problems.From(ex);
            }
        })
        .WithName("PostChanges")
        .WithSummary("Submit a batch of changes from a system")
        .WithDescription("Accepted changes are durably stored before the 202 answer. (system, event_id) is accepted once; a repeat is reported as a duplicate and changes nothing.")
        .AddOpenApiOperationTransformer(async (operation, context, ct) =>
        {
            // Described, not enforced: the body is read as JSON whatever its content type, so that
            // `curl -d` (form content type) works too.
            var schema = await context.GetOrCreateSchemaAsync(typeof(ChangeBatchSchema), null, ct);
            operation.RequestBody = new Microsoft.OpenApi.OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, Microsoft.OpenApi.OpenApiMediaType> { ["application/json"] = new() { Schema = schema } },
            };
        })
        .Produces<AcceptedView>(StatusCodes.Status202Accepted)
        .Produces<ProblemBody>(StatusCodes.Status400BadRequest, "application/problem+json")
        .Produces<ProblemBody>(StatusCodes.Status404NotFound, "application/problem+json")
        .Produces<ProblemBody>(StatusCodes.Status413PayloadTooLarge, "application/problem+json")
        .Produces<ProblemBody>(StatusCodes.Status422UnprocessableEntity, "application/problem+json");
    }

    public static void MapHooks(this IEndpointRouteBuilder app)
    {
        app.MapPost("/hooks/{system}", async (string system, HttpRequest request, HubRuntime hub, CancellationToken ct) =>
        {
            var inbound = hub.Inbound(system);
            if (inbound is null)
            {
                return hub.Config.Systems.ContainsKey(system)
                    ? Problems.NotFound($"system '{system}' does not receive webhooks (give it a webhook secret)")
                    : Problems.NotFound($"no system named '{system}' is configured");
            }

            try
            {
                var body = await BodyReader.ReadAsync(request, hub.Config.Hub.MaxBodyBytes, ct);
                var headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
                var changes = inbound.Receive(new InboundRequest(system, headers, body));
                return Accepted(await hub.AcceptAsync(changes, ct));
            }
            catch (WebhookRejectedException ex)
            {
                return Problems.Unauthorized($"webhook for '{system}' rejected: {ex.Message}");
            }
            catch (IntakeException ex)
            {
                return Problems.From(ex);
            }
        })
        .WithName("PostWebhook")
        .WithSummary("Receive a webhook from a system; verified by the system's connector")
        .Produces<AcceptedView>(StatusCodes.Status202Accepted)
        .Produces<ProblemBody>(StatusCodes.Status401Unauthorized, "application/problem+json");
    }

    private static IResult Accepted(IReadOnlyList<AcceptOutcome> outcomes)
    {
        var duplicates = outcomes.Count(o => o.Duplicate);
        var view = new AcceptedView(outcomes.Count - duplicates, duplicates,
            outcomes.Select(o => new AcceptedChangeView(o.EventId, o.ChangeId, o.Duplicate ? "duplicate" : "accepted")).ToList());
        return Results.Json(view, statusCode: StatusCodes.Status202Accepted);
    }
}

/// <summary>The request body of <c>POST /api/v1/changes/{system}</c>, for the OpenAPI document.</summary>
public sealed record ChangeBatchSchema(IReadOnlyList<ChangeSchema> Changes);

/// <summary>One change: the fields that changed in a system's record, or its deletion.</summary>
public sealed record ChangeSchema(string Type, string? ExternalId, string? EventId, DateTimeOffset? OccurredAt, Dictionary<string, object?>? Fields, bool? Deleted);
