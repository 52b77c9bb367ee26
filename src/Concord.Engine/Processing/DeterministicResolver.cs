using System.Text.Json.Nodes;
using Concord.Core.Configuration;
using Concord.Core.Identity;
using Concord.Core.Records;
using Concord.Engine.Storage;

namespace Concord.Engine.Processing;

/// <summary>
/// Resolves by the link (system, external id) first, then by the hub record the system says its
/// record was made from (<see cref="Change.RecordId"/>), then by each identity key in order
/// (normalised email, company domain, configured keys; blocked values never count), else creates a new record.
/// </summary>
public sealed class DeterministicResolver(TimeProvider time) : IRecordResolver
{
    public Resolution Resolve(IPipelineTransaction tx, Change change, EntityTypeConfig type, Func<string, GoldenRecord?> load)
    {
        if (change.ExternalId is { } externalId && tx.FindLink(change.System, change.Type, externalId) is { } linked && load(linked) is { } byLink)
        {
            return new Resolution(byLink, false, "link");
        }

        if (change.Deleted)
        {
            return new Resolution(null, false, "none");
        }

        if (Made(tx, change, load) is { } madeFrom)
        {
            // The system announced a record the hub created there before the hub could link it (the
            // delivery's answer and the system's webhook race): it is that record, not a new one.
            tx.SetLink(change.System, change.Type, change.ExternalId!, madeFrom.Id);
            return new Resolution(madeFrom, false, "record_id");
        }

        foreach (var key in type.Identity)
        {
            if (!change.Fields.TryGetValue(key.Field, out var raw) || BlockedValues.IdentityValue(type, key, AsText(raw)) is not { } canonical)
            {
                continue;
            }

            if (tx.FindByIdentity(change.Type, key.Field, canonical) is { } id && load(id) is { Deleted: false } byKey)
            {
                if (change.ExternalId is not null)
                {
                    // If the system already knows this record under another id, it now holds it twice:
                    // the links rules (CardinalityRules) report that once the change is resolved.
                    tx.SetLink(change.System, change.Type, change.ExternalId, byKey.Id);
                }

                return new Resolution(byKey, false, $"identity:{key.Field}");
            }
        }

        var now = time.GetUtcNow();
        var record = new GoldenRecord { Id = Ids.New("rec", time), Type = change.Type, CreatedAt = now, UpdatedAt = now };
        if (change.ExternalId is not null)
        {
            tx.SetLink(change.System, change.Type, change.ExternalId, record.Id);
        }

        return new Resolution(record, true, "new");
    }

    /// <summary>
    /// The record <see cref="Change.RecordId"/> names, when it is a live record of the change's type not yet
    /// linked in the system: a claim on a record the system already holds under another id is not taken.
    /// </summary>
    private static GoldenRecord? Made(IPipelineTransaction tx, Change change, Func<string, GoldenRecord?> load) =>
        change is { RecordId: { } id, ExternalId: not null } && load(id) is { Deleted: false } record && record.Type == change.Type
            && !tx.LinksOf(id).Any(l => l.System == change.System && l.Type == change.Type)
            ? record
            : null;

    internal static string? AsText(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : node?.ToJsonString();
}
