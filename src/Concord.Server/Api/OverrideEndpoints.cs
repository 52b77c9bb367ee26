using System.Text.Json;
using System.Text.Json.Nodes;
using Concord.Core.Records;
using Concord.Core.Schema;
using Concord.Engine.Hosting;
using Concord.Engine.Intake;
using Concord.Engine.Processing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Concord.Server.Api;

/// <summary>
/// A steward's hand-set golden value for one field: it wins over every system, the owner included,
/// until cleared, and is delivered to every receiving system like any change.
/// </summary>
internal static class OverrideEndpoints
{
    private const string Path = "/records/{type}/{id}/fields/{field}/override";

    public static void MapOverrides(this RouteGroupBuilder api)
    {
        api.MapPut(Path, async (string type, string id, string field, HttpContext http, HubRuntime hub, CancellationToken ct) =>
        {
            if (Unknown(hub, type, field) is { } unknown)
            {
                return unknown;
            }

            JsonElement body;
            try
            {
                body = await ReadAsync(http, hub, required: true, ct);
            }
            catch (IntakeException ex)
            {
                return Problems.From(ex);
            }

            if (!body.TryGetProperty("value", out var raw))
            {
                return Problems.BadRequest("value", $"required: the value {type}.{field} should hold (null to hold no value)");
            }

            hub.Config.Entities[type].Schema.TryGetField(field, out var schema);
            if (!FieldValues.TryNormalize(schema, raw, out var value, out var error))
            {
                return Problems.BadRequest("value", error!);
            }

            if (Text(body, "reason") is not { } reason || reason.Trim().Length == 0)
            {
                return Problems.BadRequest("reason", "required: why the value is set by hand (kept in the record's history)");
            }

            return await RunAsync(() => hub.SetOverrideAsync(type, id, field, value, By(body, http), reason.Trim(), ct));
        })
        .Accepts<OverrideRequest>("application/json")
        .WithName("SetOverride")
        .WithSummary("Set a field's golden value by hand, with a reason: it wins over every system, the owner included, until cleared, and is delivered like any change")
        .Produces<OverrideView>()
        .Produces<ProblemBody>(StatusCodes.Status400BadRequest, "application/problem+json")
        .Produces<ProblemBody>(StatusCodes.Status404NotFound, "application/problem+json")
        .Produces<ProblemBody>(StatusCodes.Status409Conflict, "application/problem+json");

        api.MapDelete(Path, async (string type, string id, string field, HttpContext http, HubRuntime hub, CancellationToken ct) =>
        {
            if (Unknown(hub, type, field) is { } unknown)
            {
                return unknown;
            }

            JsonElement body;
            try
            {
                body = await ReadAsync(http, hub, required: false, ct);
            }
            catch (IntakeException ex)
            {
                return Problems.From(ex);
            }

            return await RunAsync(() => hub.ClearOverrideAsync(type, id, field, By(body, http), Text(body, "reason")?.Trim() ?? "", ct));
        })
        .WithName("ClearOverride")
        .WithSummary("Clear a field's override: the value survivorship chooses now comes back and is delivered")
        .Produces<OverrideView>()
        .Produces<ProblemBody>(StatusCodes.Status404NotFound, "application/problem+json")
        .Produces<ProblemBody>(StatusCodes.Status409Conflict, "application/problem+json");
    }

    private static IResult? Unknown(HubRuntime hub, string type, string field)
    {
        if (!hub.Config.Entities.TryGetValue(type, out var entity))
        {
            return Problems.NotFound($"no entity type '{type}' is configured");
        }

        return entity.Schema.HasField(field)
            ? null
            : Problems.NotFound($"'{field}' is not a field of {type}" + (entity.Schema.Suggest(field) is { } guess ? $"; did you mean '{guess}'?" : ""));
    }

    /// <summary>The JSON object sent; an empty object when none was sent and none is required.</summary>
    private static async Task<JsonElement> ReadAsync(HttpContext http, HubRuntime hub, bool required, CancellationToken ct)
    {
        if (!required && http.Request.ContentLength is null or 0 && !http.Request.Headers.TransferEncoding.Any())
        {
            return JsonDocument.Parse("{}").RootElement;
        }

        var bytes = await BodyReader.ReadAsync(http.Request, hub.Config.Hub.MaxBodyBytes, ct);
        try
        {
            var root = JsonDocument.Parse(bytes).RootElement;
            return root.ValueKind == JsonValueKind.Object ? root : throw Malformed("the body must be a JSON object {\"value\": …, \"reason\": \"…\", \"by\": \"…\"}");
        }
        catch (JsonException ex)
        {
            throw Malformed($"not valid JSON: {ex.Message}");
        }
    }

    private static IntakeException Malformed(string message) => new(400, "Malformed request", "$", message);

    private static string? Text(JsonElement body, string name) =>
        body.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// <summary>Who did it: the body's <c>by</c>, else the API key's name.</summary>
    private static string By(JsonElement body, HttpContext http) =>
        Text(body, "by") is { } by && by.Trim().Length > 0 ? by.Trim() : http.Items["concord.api_key"] as string ?? "api";

    private static async Task<IResult> RunAsync(Func<Task<OverrideResult>> work)
    {
        try
        {
            return Results.Ok(OverrideView.Of(await work()));
        }
        catch (OverrideRefusedException ex)
        {
            return ex.NotFound ? Problems.NotFound(ex.Message) : Problems.Conflict(ex.Message);
        }
    }
}

/// <summary>The body of an override: the value (checked like a change's), why, and who (default: the API key's name).</summary>
public sealed record OverrideRequest(JsonNode? Value, string Reason, string? By);

/// <summary>A field after an override was set or cleared: its golden value and provenance, the override (while it stands), and the deliveries owed.</summary>
public sealed record OverrideView(string RecordId, string Type, long Version, string Field, JsonNode? Value, string? System, StewardNote? Override, int Deliveries)
{
    public static OverrideView Of(OverrideResult result)
    {
        var value = result.Record.Fields.GetValueOrDefault(result.Change.Field);
        return new(result.Record.Id, result.Record.Type, result.Record.Version, result.Change.Field, value?.Value?.DeepClone(), value?.System, value?.Override, result.Deliveries);
    }
}
