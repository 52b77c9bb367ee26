using System.Text.Json.Nodes;
using Concord.Core.Configuration;
using Concord.Core.Identity;
using Concord.Core.Ownership;
using Concord.Core.Records;
using Concord.Engine.Processing;
using Concord.Engine.Storage;

namespace Concord.Engine.Flows.Records;

/// <summary>
/// Finds the golden record whose fields equal given values. When one of the fields is an identity key
/// the key index answers (exact, inside the transaction); otherwise the type is scanned beforehand,
/// outside the writer, and the candidates are checked again inside the transaction.
/// </summary>
internal static class RecordFinder
{
    /// <summary>Candidates kept from a scan, at most.</summary>
    private const int MaxCandidates = 100;

    /// <summary>The first identity key among <paramref name="where"/> with a usable value (blocked placeholders never identify).</summary>
    public static (string Field, string Value)? KeyOf(EntityTypeConfig type, IReadOnlyDictionary<string, JsonNode?> where)
    {
        foreach (var key in type.Identity)
        {
            if (where.TryGetValue(key.Field, out var value) && BlockedValues.IdentityValue(type, key, DeterministicResolver.AsText(value)) is { } canonical)
            {
                return (key.Field, canonical);
            }
        }

        return null;
    }

    /// <summary>Ids of live records of the type whose fields equal <paramref name="where"/>, oldest first; null when a key answers instead.</summary>
    public static async Task<IReadOnlyList<string>?> CandidatesAsync(IRecordStore store, EntityTypeConfig type, IReadOnlyDictionary<string, JsonNode?> where, CancellationToken cancellationToken)
    {
        if (KeyOf(type, where) is not null)
        {
            return null;
        }

        var ids = new List<string>();
        await foreach (var record in store.ReadRecordsAsync(type.Name, cancellationToken))
        {
            if (Matches(record, type, where))
            {
                ids.Add(record.Id);
                if (ids.Count == MaxCandidates)
                {
                    break;
                }
            }
        }

        return ids;
    }

    /// <summary>The first live record that matches (and, with <paramref name="inSystem"/>, is linked there), or null.</summary>
    public static GoldenRecord? Find(IPipelineTransaction tx, EntityTypeConfig type, IReadOnlyDictionary<string, JsonNode?> where, string? inSystem, IReadOnlyList<string>? candidates)
    {
        IEnumerable<string> ids = candidates ?? (KeyOf(type, where) is { } key && tx.FindByIdentity(type.Name, key.Field, key.Value) is { } holder ? [holder] : []);
        foreach (var id in ids)
        {
            if (tx.LoadRecord(id) is { Deleted: false } record && record.Type == type.Name && Matches(record, type, where)
                && (inSystem is null || tx.LinksOf(record.Id).Any(l => l.System == inSystem && l.Type == type.Name)))
            {
                return record;
            }
        }

        return null;
    }

    public static bool Matches(GoldenRecord record, EntityTypeConfig type, IReadOnlyDictionary<string, JsonNode?> where) =>
        where.All(pair => Same(type, pair.Key, record.BestValueOf(pair.Key), pair.Value));

    /// <summary>Equal as the hub compares values: numbers by value (1250 = 1250.00), emails and domains ignoring case.</summary>
    public static bool Same(EntityTypeConfig type, string field, JsonNode? a, JsonNode? b)
    {
        if (a is JsonValue va && b is JsonValue vb && va.GetValueKind() == System.Text.Json.JsonValueKind.Number && vb.GetValueKind() == System.Text.Json.JsonValueKind.Number
            && va.TryGetValue<decimal>(out var da) && vb.TryGetValue<decimal>(out var db))
        {
            return da == db;
        }

        return FieldApplier.SameValue(type, field, a, b);
    }
}
