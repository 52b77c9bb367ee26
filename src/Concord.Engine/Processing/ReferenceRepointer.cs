using System.Text.Json.Nodes;
using Concord.Core.Configuration;
using Concord.Core.Records;
using Concord.Core.Sync;
using Concord.Engine.Storage;

namespace Concord.Engine.Processing;

/// <summary>
/// Keeps references pointing at live records across merges. An invoice or subscription names its
/// customer by the hub's id; when that customer is merged into another, the reference follows
/// the survivor, so the survivor's 360 lists it and the guardrails see both subscriptions on one
/// customer (which is how a customer billed twice is found). Only the golden graph changes:
/// receivers are not sent anything, since a vendor's own records still point at the vendor's own
/// copies. Unmerge points each reference back, exactly as the merge recorded it.
/// </summary>
internal sealed class ReferenceRepointer(SyncPlan plan, CardinalityRules rules, TimeProvider time)
{
    /// <summary>Points every reference to <paramref name="fromId"/> at <paramref name="toId"/>; returns what it changed.</summary>
    public List<RecordReference> Repoint(IPipelineTransaction tx, string fromId, string toId, string correlation)
    {
        var changed = new List<RecordReference>();
        foreach (var record in tx.FindReferencing(fromId))
        {
            var fields = Move(record, fromId, toId, field => true);
            changed.AddRange(fields.Select(f => new RecordReference(record.Id, f)));
            Save(tx, record, fields, fromId, toId, correlation);
        }

        return changed;
    }

    /// <summary>Undoes <see cref="Repoint"/>: each recorded reference that still names <paramref name="toId"/> names <paramref name="fromId"/> again.</summary>
    public void Restore(IPipelineTransaction tx, IReadOnlyList<RecordReference> references, string fromId, string toId, string correlation)
    {
        foreach (var group in references.GroupBy(r => r.RecordId, StringComparer.Ordinal))
        {
            if (tx.LoadRecord(group.Key) is not { } record)
            {
                continue;
            }

            var wanted = group.Select(r => r.Field).ToHashSet(StringComparer.Ordinal);
            var fields = Move(record, toId, fromId, wanted.Contains);
            Save(tx, record, fields, toId, fromId, correlation);
        }
    }

    /// <summary>
    /// After an unmerge: a reference to the survivor that its system gave by an id now linked to
    /// the restored record again (a subscription of Stripe's cus_B that arrived after cus_B was
    /// merged) points at the restored record.
    /// </summary>
    public void FollowLinks(IPipelineTransaction tx, string survivorId, string restoredId, IReadOnlyList<RecordLink> restoredLinks, string correlation)
    {
        var theirs = restoredLinks.Select(l => (l.System, l.ExternalId)).ToHashSet();
        foreach (var record in tx.FindReferencing(survivorId))
        {
            var fields = record.Fields.Where(f => f.Value.Ref is { } vendorId && theirs.Contains((f.Value.System, vendorId))).Select(f => f.Key).ToHashSet(StringComparer.Ordinal);
            var observed = new List<string>();
            foreach (var (field, bySystem) in record.Observations)
            {
                foreach (var (system, observation) in bySystem)
                {
                    if (observation.Ref is { } vendorId && theirs.Contains((system, vendorId)) && IsId(observation.Value, survivorId))
                    {
                        observation.Value = JsonValue.Create(restoredId);
                        observed.Add(field);
                    }
                }
            }

            var moved = Move(record, survivorId, restoredId, fields.Contains);
            Save(tx, record, moved.Union(observed).ToList(), survivorId, restoredId, correlation);
        }
    }

    private static List<string> Move(GoldenRecord record, string fromId, string toId, Func<string, bool> which)
    {
        var fields = new List<string>();
        foreach (var (field, value) in record.Fields)
        {
            if (which(field) && IsId(value.Value, fromId))
            {
                value.Value = JsonValue.Create(toId);
                fields.Add(field);
            }
        }

        foreach (var (field, bySystem) in record.Observations)
        {
            foreach (var observation in bySystem.Values.Where(o => which(field) && IsId(o.Value, fromId)))
            {
                observation.Value = JsonValue.Create(toId);
            }
        }

        return fields;
    }

    private void Save(IPipelineTransaction tx, GoldenRecord record, List<string> fields, string fromId, string toId, string correlation)
    {
        if (fields.Count == 0)
        {
            return;
        }

        // The guardrails judge the record by what it references, so they see the move too.
        var type = plan.Config.Entities.GetValueOrDefault(record.Type);
        record.Version++;
        record.UpdatedAt = time.GetUtcNow();
        tx.SaveRecord(record, type is null ? record.Conflicts().Count() : Core.Ownership.FieldApplier.Conflicts(record, type).Count());
        if (type is not null)
        {
            rules.Check(tx, record, type);
        }

        tx.AppendEvent(new RecordEvent(record.Id, record.Type, record.Version, record.UpdatedAt, "repointed", "hub", correlation,
            fields.Select(f => new FieldChange(f, JsonValue.Create(fromId), JsonValue.Create(toId), "hub")).ToList()));
    }

    private static bool IsId(JsonNode? node, string id) => node is JsonValue v && v.TryGetValue<string>(out var s) && s == id;
}
