using System.Text.Json.Nodes;
using Concord.Core.Configuration;
using Concord.Core.Privacy;
using Concord.Core.Records;
using Concord.Engine.Storage;

namespace Concord.Server.Api;

/// <summary>What the API answers to a batch of changes.</summary>
public sealed record AcceptedView(int Accepted, int Duplicates, IReadOnlyList<AcceptedChangeView> Changes);

public sealed record AcceptedChangeView(string EventId, string ChangeId, string Status);

/// <summary>A golden record with provenance, observations, conflicts, links and history.</summary>
public sealed record RecordView(
    string Id,
    string Type,
    long Version,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    bool Deleted,
    IReadOnlyDictionary<string, FieldValue> Fields,
    IReadOnlyDictionary<string, Dictionary<string, Observation>> Observations,
    IReadOnlyList<Conflict> Conflicts,
    IReadOnlyList<LinkView> Links,
    IReadOnlyList<EventView> History);

public sealed record LinkView(string System, string ExternalId, DateTimeOffset LinkedAt);

public sealed record EventView(long Version, DateTimeOffset At, string Kind, string System, string ChangeId, IReadOnlyList<FieldChange> Changes);

/// <summary>A search hit: the record's current values and where it lives.</summary>
public sealed record RecordSummaryView(string Id, string Type, long Version, DateTimeOffset UpdatedAt, JsonObject Values, IReadOnlyList<LinkView> Links);

public sealed record DeliveryView(
    long Id,
    string System,
    string Type,
    string RecordId,
    long Version,
    string Operation,
    string Status,
    int Attempts,
    DateTimeOffset CreatedAt,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset? CompletedAt,
    string? LastError,
    string IdempotencyKey,
    string CorrelationId,
    string? ExternalId,
    JsonNode? Payload,
    JsonNode? Changed)
{
    public static DeliveryView From(Delivery d, HubConfig config) => new(
        d.Id, d.System, d.Type, d.RecordId, d.Version, d.Operation, d.Status.ToString().ToLowerInvariant(), d.Attempts, d.CreatedAt,
        d.Status is DeliveryStatus.Pending or DeliveryStatus.Retrying ? d.NextAttemptAt : null, d.CompletedAt, d.LastError, d.IdempotencyKey,
        d.CorrelationId, d.ExternalId, MaskPayload(config, d.Type, d.Payload), JsonNode.Parse(d.Changed));

    /// <summary>Personal data is masked wherever payloads are shown: the log is for tracing, not for reading customers.</summary>
    internal static JsonNode? MaskPayload(HubConfig config, string? type, string? payload)
    {
        if (payload is null)
        {
            return null;
        }

        var node = JsonNode.Parse(payload);
        if (node is not JsonObject obj || type is null || !config.Entities.TryGetValue(type, out var entity))
        {
            return node;
        }

        var fields = obj["fields"] as JsonObject ?? obj;
        foreach (var name in fields.Select(p => p.Key).ToList())
        {
            entity.Schema.TryGetField(name, out var schema);
            fields[name] = PiiMask.Mask(schema, fields[name]);
        }

        return obj;
    }
}

public sealed record LogEntryView(
    string Direction,
    string System,
    string? Type,
    string? RecordId,
    string? ExternalId,
    string CorrelationId,
    string Reference,
    int? Attempt,
    DateTimeOffset At,
    double? DurationMs,
    string Result,
    int? ResponseStatus,
    JsonNode? Payload,
    string? ResponseBody,
    string? Error)
{
    /// <summary>An entry as shown: an outbound payload with its personal data masked.</summary>
    public static LogEntryView Of(Core.Configuration.HubConfig config, Engine.Storage.LogEntry e) => new(
        e.Direction, e.System, e.Type, e.RecordId, e.ExternalId, e.CorrelationId, e.Reference, e.Attempt, e.At, e.DurationMs, e.Result, e.ResponseStatus,
        e.Direction == "outbound" ? DeliveryView.MaskPayload(config, e.Type, e.Payload) : e.Payload is null ? null : JsonNode.Parse(e.Payload),
        e.ResponseBody, e.Error);
}

public sealed record HealthView(
    string Status,
    IReadOnlyDictionary<string, long> Records,
    long Conflicts,
    long InboxBacklog,
    DeliveryCountsView Deliveries,
    double ErrorRate,
    double? DeliveryLagSeconds,
    IReadOnlyList<SystemHealthView> Systems,
    Engine.Health.DataHealthReport? Data = null);

public sealed record DeliveryCountsView(long Pending, long Retrying, long Dead);

public sealed record SystemHealthView(string Name, string Kind, string Circuit, long Pending, long Retrying, long Dead, long Attempts, long Failed, double ErrorRate, double? LagSeconds,
    DateTimeOffset? LastPolledAt = null, string? PollError = null);
