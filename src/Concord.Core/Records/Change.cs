using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Concord.Core.Records;

/// <summary>What a system says happened to one of its records: a partial set of fields, or a deletion.</summary>
/// <param name="System">The system that sent it.</param>
/// <param name="Type">The entity type.</param>
/// <param name="ExternalId">The record's id in that system; null when the system has none.</param>
/// <param name="EventId">The system's id for this event; (system, event id) is accepted once.</param>
/// <param name="OccurredAt">When it happened in the system.</param>
/// <param name="Fields">The fields it reports, already validated against the schema.</param>
/// <param name="Deleted">The record was deleted in the system.</param>
/// <param name="RecordId">
/// The golden record the system's record was made from, when the system keeps the id the hub gave it
/// (Stripe keeps it in <c>metadata</c>): a change that arrives before the hub has linked the system's
/// id, such as the webhook announcing a record the hub has just created there, joins that record.
/// </param>
public sealed record Change(
    string System,
    string Type,
    string? ExternalId,
    string EventId,
    DateTimeOffset OccurredAt,
    IReadOnlyDictionary<string, JsonNode?> Fields,
    bool Deleted = false,
    string? RecordId = null);

/// <summary>A golden field that changed: its old and new value, and which system caused it.</summary>
public sealed record FieldChange(string Field, JsonNode? Old, JsonNode? New, string System)
{
    /// <summary>For a steward override set or cleared: who did it.</summary>
    [JsonPropertyName("by")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? By { get; init; }

    /// <summary>For a steward override set or cleared: the reason they gave.</summary>
    [JsonPropertyName("reason")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Reason { get; init; }
}
