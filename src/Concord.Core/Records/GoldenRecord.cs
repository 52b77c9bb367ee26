using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Concord.Core.Records;

/// <summary>The hub's record of one real-world thing: field values with provenance, and what non-owners observed.</summary>
public sealed class GoldenRecord
{
    [JsonPropertyName("id")]
    public string Id { get; set; } = "";

    [JsonPropertyName("type")]
    public string Type { get; set; } = "";

    /// <summary>Incremented by every change that alters the record.</summary>
    [JsonPropertyName("version")]
    public long Version { get; set; }

    [JsonPropertyName("created_at")]
    public DateTimeOffset CreatedAt { get; set; }

    [JsonPropertyName("updated_at")]
    public DateTimeOffset UpdatedAt { get; set; }

    [JsonPropertyName("deleted")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Deleted { get; set; }

    /// <summary>When the owner deleted it (the change's occurred-at); an older change cannot restore it.</summary>
    [JsonPropertyName("deleted_at")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? DeletedAt { get; set; }

    [JsonPropertyName("fields")]
    public Dictionary<string, FieldValue> Fields { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Field → system → the latest value that system reported without owning the field.</summary>
    [JsonPropertyName("observations")]
    public Dictionary<string, Dictionary<string, Observation>> Observations { get; set; } = new(StringComparer.Ordinal);

    public JsonNode? ValueOf(string field) => Fields.TryGetValue(field, out var v) ? v.Value : null;

    /// <summary>
    /// The golden value, or while there is none the latest value any system observed. Used to
    /// identify and find a record that so far only non-owners have told the hub about.
    /// </summary>
    public JsonNode? BestValueOf(string field)
    {
        if (ValueOf(field) is { } golden)
        {
            return golden;
        }

        return Observations.TryGetValue(field, out var bySystem)
            ? bySystem.Values.Where(o => o.Value is not null).OrderByDescending(o => o.ObservedAt).Select(o => o.Value).FirstOrDefault()
            : null;
    }

    /// <summary>
    /// Non-owner observations that differ from the golden value. <paramref name="same"/> decides
    /// equality (field, a, b); by default exact JSON equality. Pass the type's rule (see
    /// <c>FieldApplier.SameValue</c>) so that a re-cased email is not a conflict.
    /// </summary>
    public IEnumerable<Conflict> Conflicts(Func<string, JsonNode?, JsonNode?, bool>? same = null)
    {
        same ??= (_, a, b) => JsonNode.DeepEquals(a, b);
        foreach (var (field, bySystem) in Observations)
        {
            if (!Fields.TryGetValue(field, out var golden) || golden.Value is null)
            {
                continue;
            }

            foreach (var (system, observation) in bySystem)
            {
                if (system != golden.System && !same(field, observation.Value, golden.Value))
                {
                    yield return new Conflict(field, system, observation.Value, golden.System, golden.Value, observation.ObservedAt);
                }
            }
        }
    }
}

/// <summary>A non-owner's value that disagrees with the owner's.</summary>
public sealed record Conflict(string Field, string System, JsonNode? Value, string OwnerSystem, JsonNode? OwnerValue, DateTimeOffset ObservedAt);
