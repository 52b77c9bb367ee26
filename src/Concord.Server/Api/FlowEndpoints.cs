using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Concord.Core.Configuration;
using Concord.Core.Flows.Model;
using Concord.Core.Flows.Roi;
using Concord.Engine.Connectors;
using Concord.Engine.Flows;
using Concord.Engine.Hosting;
using Concord.Engine.Intake;
using Concord.Engine.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Concord.Server.Api;

/// <summary>Flows as configured, their runs (history, detail, replay, manual start) and the ROI report.</summary>
internal static class FlowEndpoints
{
    private static readonly string[] Statuses = Enum.GetNames<FlowRunStatus>().Select(s => s.ToLowerInvariant()).ToArray();

    public static void MapFlowHooks(this IEndpointRouteBuilder app)
    {
        app.MapPost("/hooks/flows/{flow}", async (string flow, HttpRequest request, HubRuntime hub, CancellationToken ct) =>
        {
            try
            {
                var body = await BodyReader.ReadAsync(request, hub.Config.Hub.MaxBodyBytes, ct);
                var headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
                var run = await hub.Flows.AcceptWebhookAsync(flow, new InboundRequest("flows", headers, body), ct);
                return Results.Json(run is null ? new FlowStartView(null, "duplicate") : new FlowStartView(run.Id, "accepted"), statusCode: StatusCodes.Status202Accepted);
            }
            catch (WebhookRejectedException ex)
            {
                return Problems.Unauthorized($"webhook for flow '{flow}' rejected: {ex.Message}");
            }
            catch (IntakeException ex)
            {
                return Problems.From(ex);
            }
            catch (FlowRefusedException ex)
            {
                return ex.NotFound ? Problems.NotFound(ex.Message) : Problems.Conflict(ex.Message);
            }
        })
        .WithName("PostFlowWebhook")
        .WithSummary("Start a webhook-triggered flow; the body must be signed with the flow's secret (X-Concord-Signature: sha256=<hex HMAC of the body>)")
        .Produces<FlowStartView>(StatusCodes.Status202Accepted)
        .Produces<ProblemBody>(StatusCodes.Status400BadRequest, "application/problem+json")
        .Produces<ProblemBody>(StatusCodes.Status401Unauthorized, "application/problem+json")
        .Produces<ProblemBody>(StatusCodes.Status404NotFound, "application/problem+json")
        .Produces<ProblemBody>(StatusCodes.Status409Conflict, "application/problem+json")
        .Produces<ProblemBody>(StatusCodes.Status413PayloadTooLarge, "application/problem+json");
    }

    public static void MapFlows(this RouteGroupBuilder api)
    {
        api.MapGet("/flows", async (HubRuntime hub, CancellationToken ct) =>
        {
            var counts = await hub.Store.CountFlowRunsAsync(hub.Time.GetUtcNow() - RoiReport.Month, ct);
            return Results.Ok(hub.Config.Flows.Values.Select(f => FlowView.Of(f, counts)).ToList());
        })
        .WithName("ListFlows")
        .WithSummary("The flows in concord.yaml: trigger, condition, steps, and how their runs ended over the last 30 days")
        .Produces<List<FlowView>>();

        api.MapGet("/flows/{name}", async (string name, HubRuntime hub, CancellationToken ct) =>
        {
            if (!hub.Config.Flows.TryGetValue(name, out var flow))
            {
                return Problems.NotFound($"no flow named '{name}' is configured");
            }

            var counts = await hub.Store.CountFlowRunsAsync(hub.Time.GetUtcNow() - RoiReport.Month, ct);
            return Results.Ok(FlowView.Of(flow, counts));
        })
        .WithName("GetFlow")
        .WithSummary("One flow as configured, with its step arguments")
        .Produces<FlowView>()
        .Produces<ProblemBody>(StatusCodes.Status404NotFound, "application/problem+json");

        api.MapPost("/flows/{name}/runs", async (string name, HttpRequest request, HttpContext http, HubRuntime hub, CancellationToken ct) =>
        {
            JsonNode? input;
            try
            {
                // No body at all is a run without input.
                var body = await BodyReader.ReadAsync(request, hub.Config.Hub.MaxBodyBytes, ct, allowEmpty: true);
                input = body.Length == 0 ? new JsonObject() : JsonNode.Parse(body.Span);
            }
            catch (JsonException ex)
            {
                return Problems.BadRequest("body", $"not valid JSON: {ex.Message}");
            }
            catch (IntakeException ex)
            {
                return Problems.From(ex);
            }

            if (FlowInput.Problem(input) is { } problem)
            {
                return Problems.BadRequest("body", problem);
            }

            try
            {
                var run = await hub.Flows.StartManualAsync(name, (JsonObject)input!, http.Items["concord.api_key"] as string ?? "api", ct);
                return Results.Json(new FlowStartView(run.Id, "accepted"), statusCode: StatusCodes.Status202Accepted);
            }
            catch (FlowRefusedException ex)
            {
                return ex.NotFound ? Problems.NotFound(ex.Message) : Problems.Conflict(ex.Message);
            }
        })
        .WithName("StartFlowRun")
        .AddOpenApiOperationTransformer(async (operation, context, ct) =>
        {
            // Described, not enforced (as for changes): the body is read as JSON whatever its content type,
            // so that `curl -d '{…}'`, which sends a form content type, starts a run too.
            var schema = await context.GetOrCreateSchemaAsync(typeof(Dictionary<string, object?>), null, ct);
            operation.RequestBody = new Microsoft.OpenApi.OpenApiRequestBody
            {
                Required = false,
                Content = new Dictionary<string, Microsoft.OpenApi.OpenApiMediaType> { ["application/json"] = new() { Schema = schema } },
            };
        })
        .WithSummary("Start a run of a flow by hand, whatever its trigger; the JSON body is the run's input (its keys are readable at the top level)")
        .Produces<FlowStartView>(StatusCodes.Status202Accepted)
        .Produces<ProblemBody>(StatusCodes.Status400BadRequest, "application/problem+json")
        .Produces<ProblemBody>(StatusCodes.Status404NotFound, "application/problem+json")
        .Produces<ProblemBody>(StatusCodes.Status409Conflict, "application/problem+json")
        .Produces<ProblemBody>(StatusCodes.Status413PayloadTooLarge, "application/problem+json");

        api.MapGet("/runs", async (string? flow, string? record, string? status, string? since, string? before, string? limit, HubRuntime hub, CancellationToken ct) =>
        {
            if (!QueryArgs.TryLimit(limit, 50, 1000, out var max, out var bad) || !QueryArgs.TryTime("since", since, out var from, out bad))
            {
                return bad!;
            }

            FlowRunStatus? wanted = null;
            if (status is not null)
            {
                if (!Enum.TryParse<FlowRunStatus>(status, ignoreCase: true, out var parsed) || !Statuses.Contains(status, StringComparer.Ordinal))
                {
                    return Problems.BadRequest("status", $"status must be one of {string.Join(", ", Statuses)}");
                }

                wanted = parsed;
            }

            long? beforeSeq = null;
            if (before is not null)
            {
                if (!long.TryParse(before, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seq))
                {
                    return Problems.BadRequest("before", $"before must be a run's sequence number, not '{before}'");
                }

                beforeSeq = seq;
            }

            var runs = await hub.Store.QueryFlowRunsAsync(new FlowRunQuery(flow, record, wanted, from, max, beforeSeq), ct);
            return Results.Ok(runs.Select(FlowRunView.Summary).ToList());
        })
        .WithName("QueryFlowRuns")
        .WithSummary("Flow runs, newest first, by flow, record, status and time; page with before=<sequence of the last one>")
        .Produces<List<FlowRunView>>()
        .Produces<ProblemBody>(StatusCodes.Status400BadRequest, "application/problem+json");

        api.MapGet("/runs/{id}", async (string id, HubRuntime hub, CancellationToken ct) =>
        {
            if (await hub.Store.GetFlowRunAsync(id, ct) is not { } run)
            {
                return Problems.NotFound($"no flow run {id}");
            }

            var steps = await hub.Store.GetFlowStepsAsync(id, ct);
            var log = await hub.Store.QueryLogAsync(new LogQuery(CorrelationId: id, Limit: FlowRunDetailView.MaxLog), ct);
            return Results.Ok(FlowRunDetailView.Of(hub.Config, run, steps, log));
        })
        .WithName("GetFlowRun")
        .WithSummary("One run: its input and each step's input, output and error (personal data masked), and the transaction-log entries it caused")
        .Produces<FlowRunDetailView>()
        .Produces<ProblemBody>(StatusCodes.Status404NotFound, "application/problem+json");

        api.MapPost("/runs/{id}/replay", async (string id, HttpContext http, HubRuntime hub, CancellationToken ct) =>
        {
            try
            {
                return Results.Ok(FlowRunView.Summary(await hub.Flows.ReplayAsync(id, http.Items["concord.api_key"] as string ?? "api", ct)));
            }
            catch (FlowRefusedException ex)
            {
                return ex.NotFound ? Problems.NotFound(ex.Message) : Problems.Conflict(ex.Message);
            }
        })
        .WithName("ReplayFlowRun")
        .WithSummary("Replay a failed (or stopped) run from the step that failed; steps that succeeded are not run again")
        .Produces<FlowRunView>()
        .Produces<ProblemBody>(StatusCodes.Status404NotFound, "application/problem+json")
        .Produces<ProblemBody>(StatusCodes.Status409Conflict, "application/problem+json");

        api.MapGet("/reports/roi", async (string? since, decimal? rate, string? currency, HubRuntime hub, CancellationToken ct) =>
        {
            var window = RoiReport.Month;
            if (since is not null && (!Duration.TryParse(since, out window) || window <= TimeSpan.Zero))
            {
                return Problems.BadRequest("since", $"since must be a duration such as 7d or 30d, not '{since}'");
            }

            if (rate is < 0)
            {
                return Problems.BadRequest("rate", "rate must not be negative");
            }

            return Results.Ok(await RoiQuery.RunAsync(hub.Store, hub.Config, hub.Time.GetUtcNow(), window, rate ?? RoiReport.DefaultHourlyRate, currency ?? RoiReport.DefaultCurrency, ct));
        })
        .WithName("RoiReport")
        .WithSummary("Hours of manual work the flows saved per 30-day month (successful runs × each flow's minutes_saved), priced at an hourly rate (default EUR 22.50)")
        .Produces<RoiReport>()
        .Produces<ProblemBody>(StatusCodes.Status400BadRequest, "application/problem+json");
    }
}

/// <summary>What a start answered: the run's id, or that the webhook delivery started a run before.</summary>
public sealed record FlowStartView(string? RunId, string Status);

/// <summary>A configured flow, with how its runs of the last 30 days ended (<c>runs_30_days</c>: status → count).</summary>
public sealed record FlowView(string Name, string? Description, bool Enabled, double? MinutesSaved, int Concurrency, JsonObject Trigger, string? When,
    IReadOnlyList<FlowStepConfigView> Steps, [property: JsonPropertyName("runs_30_days")] IReadOnlyDictionary<string, long> Runs30Days)
{
    public static FlowView Of(FlowConfig flow, IReadOnlyList<FlowRunCount> counts) => new(
        flow.Name, flow.Description, flow.Enabled, flow.MinutesSaved, flow.Concurrency, TriggerOf(flow.Trigger), flow.When?.Text,
        flow.Steps.Select(FlowStepConfigView.Of).ToList(),
        counts.Where(c => c.Flow == flow.Name).ToDictionary(c => c.Status.ToString().ToLowerInvariant(), c => c.Count, StringComparer.Ordinal));

    private static JsonObject TriggerOf(FlowTrigger trigger) => trigger switch
    {
        RecordTrigger r => new JsonObject
        {
            ["kind"] = "record", ["type"] = r.Type, ["on"] = r.On.ToString().ToLowerInvariant(),
            ["fields"] = new JsonArray(r.Fields.Select(f => (JsonNode?)f).ToArray()), ["from"] = new JsonArray(r.From.Select(f => (JsonNode?)f).ToArray()),
        },
        WebhookTrigger => new JsonObject { ["kind"] = "webhook" },
        ScheduleTrigger s => new JsonObject { ["kind"] = "schedule", ["cron"] = s.Cron.Text, ["timezone"] = s.Zone.Id },
        _ => new JsonObject { ["kind"] = trigger.Kind },
    };
}

/// <summary>A configured step: its action and arguments as written.</summary>
public sealed record FlowStepConfigView(string Id, string Action, string? When, JsonObject Args, IReadOnlyList<FlowStepConfigView> Then, IReadOnlyList<FlowStepConfigView> Else)
{
    public static FlowStepConfigView Of(FlowStep step) => new(
        step.Id, StepActions.Name(step.Action), step.When?.Text, (JsonObject)step.Args.DeepClone(),
        step.Then.Select(Of).ToList(), step.Else.Select(Of).ToList());
}

/// <summary>A run, without its data; <c>replayed_by</c> and <c>replayed_at</c> say who replayed it last and when.</summary>
public sealed record FlowRunView(string Id, long Sequence, string Flow, string Trigger, string Status, string? RecordType, string? RecordId, int Depth, string? CausedBy,
    string? Step, string? Error, int Replays, string? ReplayedBy, DateTimeOffset? ReplayedAt,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? FinishedAt, DateTimeOffset? NextAt)
{
    public static FlowRunView Summary(FlowRun run) => new(
        run.Id, run.Sequence, run.Flow, run.TriggerKind, run.Status.ToString().ToLowerInvariant(), run.RecordType, run.RecordId, run.Depth, run.CausedBy,
        run.Step, run.Error, run.Replays, run.ReplayedBy, run.ReplayedAt,
        run.CreatedAt, run.UpdatedAt, run.FinishedAt, run.IsFinished ? null : run.NextAt);
}

/// <summary>A run with its (masked) input, steps and the transaction-log entries it caused.</summary>
public sealed record FlowRunDetailView(FlowRunView Run, JsonNode? Input, IReadOnlyList<FlowStepView> Steps, IReadOnlyList<LogEntryView> Log)
{
    /// <summary>Log entries shown with a run, at most (its deliveries' attempts, newest first).</summary>
    public const int MaxLog = 200;

    /// <summary>The run as people see it, over the API and in <c>concord flow show --json</c>: personal data masked everywhere.</summary>
    public static FlowRunDetailView Of(HubConfig config, FlowRun run, IReadOnlyList<FlowStepState> steps, IReadOnlyList<LogEntry> log)
    {
        var mask = new FlowHistoryMask(config);
        return new FlowRunDetailView(
            FlowRunView.Summary(run),
            mask.Mask(Parse(run.Input)),
            steps.Select(s => FlowStepView.Of(mask.Mask(s))).ToList(),
            log.Select(e => LogEntryView.Of(config, e)).ToList());
    }

    private static JsonNode? Parse(string json)
    {
        try
        {
            return JsonNode.Parse(json);
        }
        catch (JsonException)
        {
            return json;
        }
    }
}

/// <summary>One step of a run.</summary>
public sealed record FlowStepView(string Id, int Position, string Status, int Attempts, JsonNode? Input, JsonNode? Output, string? Error, string IdempotencyKey,
    DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt)
{
    public static FlowStepView Of(FlowStepState s) => new(
        s.StepId, s.Position, s.Status.ToString().ToLowerInvariant(), s.Attempts, Json(s.Input), Json(s.Output), s.Error, s.IdempotencyKey, s.StartedAt, s.FinishedAt);

    private static JsonNode? Json(string? text) => text is null ? null : JsonNode.Parse(text);
}
