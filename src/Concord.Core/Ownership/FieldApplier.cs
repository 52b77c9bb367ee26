using System.Text.Json.Nodes;
using Concord.Core.Configuration;
using Concord.Core.Records;

namespace Concord.Core.Ownership;

/// <summary>What applying one change to a golden record did.</summary>
public sealed record ApplyResult(IReadOnlyList<FieldChange> Changed, IReadOnlyList<string> Observed, IReadOnlyList<string> Stale, bool DeletedNow, bool Restored = false)
{
    public bool AlteredRecord => Changed.Count > 0 || DeletedNow || Restored;
}

/// <summary>
/// Field ownership: a system's value becomes golden only if the system owns the field (its
/// per-field owner, else the type's owner) or, with fill-in, while the owner has supplied nothing
/// (the latest such value, or with survivorship configured the one it prefers). A steward's
/// override beats them all until cleared. Everything else is kept as an observation, so that
/// disagreements are visible as conflicts without ever overwriting the owner.
/// </summary>
public static class FieldApplier
{
    /// <summary>
    /// Applies <paramref name="change"/> under <paramref name="rule"/> (its system's contributing rule);
    /// <paramref name="contributors"/> gives other systems' rules, to tell which of their observations
    /// may fill a field under survivorship (when null, every observing system may).
    /// </summary>
    public static ApplyResult Apply(GoldenRecord record, EntityTypeConfig type, SyncRule? rule, Change change, Func<string, SyncRule?>? contributors = null)
    {
        var changed = new List<FieldChange>();
        var observed = new List<string>();
        var stale = new List<string>();
        var nextVersion = record.Version + 1;

        if (change.Deleted)
        {
            // A deletion older than what the owner has said since is stale: the record lives on.
            var newerOwnerWrite = record.Fields.Values.Any(v => v.System == type.Owner && v.ObservedAt > change.OccurredAt);
            if (change.System == type.Owner && !record.Deleted && !newerOwnerWrite)
            {
                record.Deleted = true;
                record.DeletedAt = change.OccurredAt;
                return new ApplyResult(changed, observed, stale, DeletedNow: true);
            }

            return new ApplyResult(changed, observed, newerOwnerWrite ? ["(deletion)"] : stale, DeletedNow: false);
        }

        if (record.Deleted && record.DeletedAt is { } deletedAt && change.OccurredAt <= deletedAt)
        {
            // Written before the deletion, arriving after it: it cannot bring the record back.
            return new ApplyResult(changed, observed, ["(deleted)"], DeletedNow: false);
        }

        var restored = false;
        if (record.Deleted && change.System == type.Owner && rule?.Contributes == true)
        {
            // The owner speaks of the record again: it was restored (or re-created) there.
            record.Deleted = false;
            record.DeletedAt = null;
            restored = true;
        }

        foreach (var (field, value) in change.Fields)
        {
            var current = record.Fields.GetValueOrDefault(field);
            var owner = type.OwnerOf(field);
            var contributes = rule?.Contributes == true && rule.Covers(field);
            var isOwner = contributes && change.System == owner;

            if (IsStale(record, field, change))
            {
                stale.Add(field);
                continue;
            }

            if (current?.Override is not null)
            {
                // A steward's value stands until cleared: every system's value, the owner's too, is only observed.
                Observe(record, field, value, change);
                observed.Add(field);
                continue;
            }

            if (!isOwner && contributes && type.FillIn && type.Survivorship is { } survivorship && (current is null || current.FilledIn))
            {
                Observe(record, field, value, change);
                bool MayFill(string system) => system == change.System || contributors?.Invoke(system)?.Covers(field) != false;
                var winner = Survivorship.Choose(Survivorship.NonOwnerCandidates(record, field, owner, MayFill), survivorship.For(field));
                if (winner is null || (current is not null && SameValue(type, field, current.Value, winner.Value)))
                {
                    observed.Add(field);
                    continue;
                }

                record.Fields[field] = new FieldValue
                {
                    Value = winner.Value?.DeepClone(),
                    System = winner.System,
                    SourceId = winner.SourceId,
                    ObservedAt = winner.ObservedAt,
                    Version = nextVersion,
                    FilledIn = true,
                };
                changed.Add(new FieldChange(field, current?.Value?.DeepClone(), winner.Value?.DeepClone(), winner.System));
                continue;
            }

            if (isOwner || (contributes && type.FillIn && (current is null || current.FilledIn)))
            {
                if (!isOwner)
                {
                    Observe(record, field, value, change);
                }
                else
                {
                    // The owner now speaks for itself; its old observation (if any) is superseded.
                    RemoveObservation(record, field, change.System);
                }

                if (current is not null && SameValue(type, field, current.Value, value))
                {
                    // Same value: refresh provenance only when the owner confirms a filled-in value.
                    if (isOwner && current.FilledIn)
                    {
                        current.System = change.System;
                        current.SourceId = change.ExternalId;
                        current.ObservedAt = change.OccurredAt;
                        current.FilledIn = false;
                    }

                    continue;
                }

                record.Fields[field] = new FieldValue
                {
                    Value = value?.DeepClone(),
                    System = change.System,
                    SourceId = change.ExternalId,
                    ObservedAt = change.OccurredAt,
                    Version = nextVersion,
                    FilledIn = !isOwner,
                };
                changed.Add(new FieldChange(field, current?.Value?.DeepClone(), value?.DeepClone(), change.System));
            }
            else
            {
                Observe(record, field, value, change);
                observed.Add(field);
            }
        }

        return new ApplyResult(changed, observed, stale, DeletedNow: false, Restored: restored);
    }

    /// <summary>
    /// Equal values, where an email or domain that differs only in case or surrounding spaces is the
    /// same value: the first spelling stays. Without this, a system that re-cases what it receives
    /// would bounce a value between systems for ever.
    /// </summary>
    public static IEnumerable<Conflict> Conflicts(GoldenRecord record, EntityTypeConfig type) =>
        record.Conflicts((field, a, b) => SameValue(type, field, a, b));

    public static bool SameValue(EntityTypeConfig type, string field, JsonNode? a, JsonNode? b)
    {
        if (JsonNode.DeepEquals(a, b))
        {
            return true;
        }

        if (!type.Schema.TryGetField(field, out var schema) || a is not JsonValue va || b is not JsonValue vb
            || !va.TryGetValue<string>(out var sa) || !vb.TryGetValue<string>(out var sb))
        {
            return false;
        }

        return schema.Type switch
        {
            // Case and spaces only: ann.lee@ and annlee@ reach one Gmail mailbox but are different text to send.
            Schema.FieldType.Email => Identity.Normalizers.Email(sa.Trim()) is { } ea && ea == Identity.Normalizers.Email(sb.Trim()),
            Schema.FieldType.Domain => Identity.Normalizers.Domain(sa.Trim()) is { } da && da == Identity.Normalizers.Domain(sb.Trim()),
            _ => false,
        };
    }

    /// <summary>An older event from the same system must not undo a newer one that was applied first.</summary>
    private static bool IsStale(GoldenRecord record, string field, Change change)
    {
        if (record.Fields.TryGetValue(field, out var current) && current.System == change.System && current.ObservedAt > change.OccurredAt)
        {
            return true;
        }

        return record.Observations.TryGetValue(field, out var bySystem)
            && bySystem.TryGetValue(change.System, out var previous)
            && previous.ObservedAt > change.OccurredAt;
    }

    private static void Observe(GoldenRecord record, string field, JsonNode? value, Change change)
    {
        if (!record.Observations.TryGetValue(field, out var bySystem))
        {
            bySystem = new Dictionary<string, Observation>(StringComparer.Ordinal);
            record.Observations[field] = bySystem;
        }

        bySystem[change.System] = new Observation { Value = value?.DeepClone(), SourceId = change.ExternalId, ObservedAt = change.OccurredAt };
    }

    private static void RemoveObservation(GoldenRecord record, string field, string system)
    {
        if (record.Observations.TryGetValue(field, out var bySystem) && bySystem.Remove(system) && bySystem.Count == 0)
        {
            record.Observations.Remove(field);
        }
    }
}
