using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Concord.Core.Records;

/// <summary>A golden field value and where it came from.</summary>
public sealed class FieldValue
{
    [JsonPropertyName("value")]
    public JsonNode? Value { get; set; }

    /// <summary>The system that supplied the value.</summary>
    [JsonPropertyName("system")]
    public string System { get; set; } = "";

    /// <summary>The record id in that system, when it has one.</summary>
    [JsonPropertyName("source_id")]
    public string? SourceId { get; set; }

    /// <summary>When the system says the value was set (the change's occurred-at).</summary>
    [JsonPropertyName("observed_at")]
    public DateTimeOffset ObservedAt { get; set; }

    /// <summary>
    /// For a reference the system gave by its own id (an invoice's <c>customer: cus_123</c>), that id:
    /// the value holds the hub's id, and this says which of the system's records was meant, so an
    /// unmerge can tell which of two records the reference belongs to.
    /// </summary>
    [JsonPropertyName("ref")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Ref { get; set; }

    /// <summary>The golden record version at which the value was set.</summary>
    [JsonPropertyName("version")]
    public long Version { get; set; }

    /// <summary>True when a non-owner filled the field because its owner had supplied nothing.</summary>
    [JsonPropertyName("filled_in")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool FilledIn { get; set; }

    /// <summary>
    /// Set when a steward fixed the value by hand (<see cref="System"/> is then <c>steward</c>): it wins
    /// over every system, the owner included, until it is cleared.
    /// </summary>
    [JsonPropertyName("override")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public StewardNote? Override { get; set; }
}

/// <summary>Who set a steward override, when, and why.</summary>
public sealed record StewardNote(
    [property: JsonPropertyName("by")] string By,
    [property: JsonPropertyName("reason")] string Reason,
    [property: JsonPropertyName("at")] DateTimeOffset At);

/// <summary>What a system that does not own a field said about it.</summary>
public sealed class Observation
{
    [JsonPropertyName("value")]
    public JsonNode? Value { get; set; }

    [JsonPropertyName("source_id")]
    public string? SourceId { get; set; }

    /// <summary>As <see cref="FieldValue.Ref"/>: the system's own id of a referenced record.</summary>
    [JsonPropertyName("ref")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Ref { get; set; }

    [JsonPropertyName("observed_at")]
    public DateTimeOffset ObservedAt { get; set; }
}
