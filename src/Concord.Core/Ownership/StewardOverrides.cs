using System.Text.Json.Nodes;
using Concord.Core.Configuration;
using Concord.Core.Records;

namespace Concord.Core.Ownership;

/// <summary>
/// A steward's hand-set golden value. It wins over every system, the owner included, until it is
/// cleared: meanwhile every system's value is kept as an observation (so disagreements show as
/// conflicts), and clearing it puts back what survivorship chooses from those observations then.
/// </summary>
public static class StewardOverrides
{
    /// <summary>The system name an override's value and its field changes carry.</summary>
    public const string System = "steward";

    /// <summary>
    /// Sets (or replaces) the override of <paramref name="field"/>. The value it displaces is kept
    /// as an observation of its system, so clearing can bring it back. The caller raises the record's
    /// version; the returned change is for the event and, when the value differs, for receivers.
    /// </summary>
    public static FieldChange Set(GoldenRecord record, string field, JsonNode? value, string by, string reason, DateTimeOffset at)
    {
        var current = record.Fields.GetValueOrDefault(field);
        if (current is not null && current.Override is null)
        {
            KeepAsObservation(record, field, current);
        }

        record.Fields[field] = new FieldValue
        {
            Value = value?.DeepClone(),
            System = System,
            ObservedAt = at,
            Version = record.Version + 1,
            Override = new StewardNote(by, reason, at),
        };
        return new FieldChange(field, current?.Value?.DeepClone(), value?.DeepClone(), System) { By = by, Reason = reason };
    }

    /// <summary>
    /// Clears the override of <paramref name="field"/> and puts back the value survivorship chooses
    /// now: the owner's latest value, else (with fill-in) the best non-owner value, else none.
    /// <paramref name="mayWrite"/> says whether a system contributes the field. Returns null when the
    /// field has no override. The change carries the steward as its system, so every receiver,
    /// including the system whose value came back, is sent the value again.
    /// </summary>
    public static FieldChange? Clear(GoldenRecord record, EntityTypeConfig type, string field, Func<string, bool> mayWrite, string by, string reason)
    {
        if (!record.Fields.TryGetValue(field, out var current) || current.Override is null)
        {
            return null;
        }

        record.Fields.Remove(field);
        var nextVersion = record.Version + 1;
        var owner = type.OwnerOf(field);
        if (owner is not null && mayWrite(owner) && record.Observations.TryGetValue(field, out var bySystem) && bySystem.TryGetValue(owner, out var said))
        {
            // The owner speaks for itself again, as when it writes: its observation becomes the value.
            record.Fields[field] = new FieldValue { Value = said.Value?.DeepClone(), System = owner, SourceId = said.SourceId, ObservedAt = said.ObservedAt, Version = nextVersion };
            bySystem.Remove(owner);
            if (bySystem.Count == 0)
            {
                record.Observations.Remove(field);
            }
        }
        else if (type.FillIn
            && Survivorship.Choose(Survivorship.NonOwnerCandidates(record, field, owner, mayWrite), type.Survivorship?.For(field) ?? SurvivorshipRules.Default) is { } winner)
        {
            record.Fields[field] = new FieldValue
            {
                Value = winner.Value?.DeepClone(), System = winner.System, SourceId = winner.SourceId, ObservedAt = winner.ObservedAt, Version = nextVersion, FilledIn = true,
            };
        }

        return new FieldChange(field, current.Value?.DeepClone(), record.ValueOf(field)?.DeepClone(), System) { By = by, Reason = reason };
    }

    /// <summary>Puts an existing override on <paramref name="field"/>, keeping the value it displaces as an observation.</summary>
    public static void Keep(GoldenRecord record, string field, FieldValue overridden)
    {
        if (record.Fields.GetValueOrDefault(field) is { } current)
        {
            KeepAsObservation(record, field, current);
        }

        record.Fields[field] = overridden;
    }

    /// <summary>Keeps a displaced golden value as its system's observation, unless that system has said something newer.</summary>
    internal static void KeepAsObservation(GoldenRecord record, string field, FieldValue displaced)
    {
        if (displaced.System.Length == 0 || displaced.Override is not null)
        {
            return;
        }

        if (!record.Observations.TryGetValue(field, out var bySystem))
        {
            bySystem = new Dictionary<string, Observation>(StringComparer.Ordinal);
            record.Observations[field] = bySystem;
        }

        if (!bySystem.TryGetValue(displaced.System, out var kept) || kept.ObservedAt < displaced.ObservedAt)
        {
            bySystem[displaced.System] = new Observation { Value = displaced.Value?.DeepClone(), SourceId = displaced.SourceId, ObservedAt = displaced.ObservedAt };
        }
    }
}
