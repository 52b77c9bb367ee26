using System.Text.Json.Nodes;
using Concord.Engine.Hosting;
using Concord.Engine.Storage;
using Concord.Engine.Verification;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Concord.Server.Api;

/// <summary>
/// "Last verified": each sync compared with its system, the drift of the last check record by record,
/// and a check run now (optionally repairing what drifted).
/// </summary>
internal static class VerifyEndpoints
{
    public static void MapVerify(this RouteGroupBuilder api)
    {
        api.MapGet("/verify", async (HubRuntime hub, CancellationToken ct) =>
        {
            var last = (await hub.Store.GetVerificationsAsync(ct)).ToDictionary(v => (v.System, v.Type));
            var syncs = hub.Verification.Syncs
                .Select(s => SyncVerificationView.Of(s.System, s.Type, last.GetValueOrDefault((s.System, s.Type)), hub.Config.Verify.ScheduledFor(s.System) ? hub.Config.Verify.EveryFor(s.System) : null))
                .ToList();
            return Results.Ok(syncs);
        })
        .WithName("ListVerifications")
        .WithSummary("Every sync that can be checked against its system, with its last check: when (last verified), the counts on both sides, and how many records drifted")
        .Produces<List<SyncVerificationView>>();

        api.MapGet("/verify/{system}/{type}", async (string system, string type, string? limit, HubRuntime hub, CancellationToken ct) =>
        {
            if (hub.Verification.Find(system, type) is null)
            {
                return Unknown(hub, system, type);
            }

            if (!QueryArgs.TryLimit(limit, 1000, 1000, out var max, out var bad))
            {
                return bad!;
            }

            var last = await hub.Store.GetVerificationAsync(system, type, ct);
            var drift = last is null ? [] : await hub.Store.GetDriftAsync(system, type, max, ct);
            return Results.Ok(VerificationReportView.Of(system, type, last, drift, null, null, hub));
        })
        .WithName("GetVerification")
        .WithSummary("The last check of one sync, record by record: missing in the system, unknown to the hub, or the fields whose values differ (personal data masked)")
        .Produces<VerificationReportView>()
        .Produces<ProblemBody>(StatusCodes.Status404NotFound, "application/problem+json");

        api.MapPost("/verify/{system}/{type}", async (string system, string type, string? repair, HubRuntime hub, CancellationToken ct) =>
        {
            if (hub.Verification.Find(system, type) is null)
            {
                return Unknown(hub, system, type);
            }

            if (repair is not null and not "true" and not "false")
            {
                return Problems.BadRequest("repair", "repair must be true or false");
            }

            var result = await hub.Verification.RunAsync(system, type, repair == "true", ct);
            if (result.Status == VerificationStatus.Skipped)
            {
                return Problems.Conflict(result.Reason!);
            }

            return Results.Ok(VerificationReportView.Of(system, type, result.Verification, result.Drift, Status(result.Status), result.Repaired, hub));
        })
        .WithName("RunVerification")
        .WithSummary("Check one sync against its system now (counts, then every record's fields); ?repair=true re-pushes the owner's values for what drifted, as ordinary deliveries")
        .Produces<VerificationReportView>()
        .Produces<ProblemBody>(StatusCodes.Status400BadRequest, "application/problem+json")
        .Produces<ProblemBody>(StatusCodes.Status404NotFound, "application/problem+json")
        .Produces<ProblemBody>(StatusCodes.Status409Conflict, "application/problem+json");
    }

    private static IResult Unknown(HubRuntime hub, string system, string type) =>
        Problems.NotFound($"{system} does not receive {type} from the hub, or its connector cannot list {type} records; syncs that can be checked: "
            + string.Join(", ", hub.Verification.Syncs.Select(s => $"{s.System}/{s.Type}")));

    internal static string Status(VerificationStatus status) => status switch
    {
        VerificationStatus.Completed => "completed",
        VerificationStatus.Failed => "failed",
        _ => "skipped",
    };
}

/// <summary>One sync's last check ("last verified"); the figures are null before its first.</summary>
public sealed record SyncVerificationView(string System, string Type, DateTimeOffset? LastVerifiedAt, long? HubCount, long? SystemCount, long? Compared, long? Drifted,
    string? Error, string? Every)
{
    public static SyncVerificationView Of(string system, string type, SyncVerification? v, TimeSpan? every) =>
        new(system, type, v?.VerifiedAt, v?.HubCount, v?.SystemCount, v?.Compared, v?.Drifted, v?.Error, every is { } e ? Core.Configuration.Duration.Format(e) : null);
}

/// <summary>A check and its drift, record by record.</summary>
public sealed record VerificationReportView(SyncVerificationView Verification, string? Status, int? Repaired, IReadOnlyList<DriftView> Drift)
{
    internal static VerificationReportView Of(string system, string type, SyncVerification? v, IReadOnlyList<DriftRecord> drift, string? status, int? repaired, HubRuntime hub) =>
        new(SyncVerificationView.Of(system, type, v, hub.Config.Verify.ScheduledFor(system) ? hub.Config.Verify.EveryFor(system) : null), status, repaired,
            drift.Select(d => new DriftView(DriftKinds.Name(d.Kind), d.ExternalId, d.RecordId, d.Fields.Select(f => new FieldDriftView(f.Field, f.Hub, f.System)).ToList())).ToList());
}

/// <summary>One drifted record; <c>fields</c> lists, for a field that differs, the hub's value and the system's.</summary>
public sealed record DriftView(string Kind, string ExternalId, string? RecordId, IReadOnlyList<FieldDriftView> Fields);

public sealed record FieldDriftView(string Field, JsonNode? Hub, JsonNode? System);
