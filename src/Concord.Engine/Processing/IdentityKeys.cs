using Concord.Core.Configuration;
using Concord.Core.Identity;
using Concord.Core.Records;
using Concord.Engine.Storage;

namespace Concord.Engine.Processing;

/// <summary>The identity keys a golden record holds, kept in step with the values they are derived from.</summary>
internal static class IdentityKeys
{
    /// <summary>Each key's canonical value now (null when the record has none for it).</summary>
    public static Dictionary<string, string?> Values(GoldenRecord record, EntityTypeConfig type) =>
        type.Identity.ToDictionary(k => k.Field, k => BlockedValues.IdentityValue(type, k, DeterministicResolver.AsText(record.BestValueOf(k.Field))), StringComparer.Ordinal);

    /// <summary>
    /// Moves identity keys along with the values they are derived from. A key another record holds
    /// already means two records look like one thing: a <c>possible-duplicate</c> finding.
    /// </summary>
    public static void Maintain(IPipelineTransaction tx, GoldenRecord record, EntityTypeConfig type, Dictionary<string, string?> before, TimeProvider time)
    {
        foreach (var key in type.Identity)
        {
            var now = record.Deleted ? null : BlockedValues.IdentityValue(type, key, DeterministicResolver.AsText(record.BestValueOf(key.Field)));
            var old = before.GetValueOrDefault(key.Field);
            if (old == now)
            {
                continue;
            }

            if (old is not null)
            {
                tx.ReleaseIdentity(record.Type, key.Field, old, record.Id);
            }

            if (now is not null && !tx.ClaimIdentity(record.Type, key.Field, now, record.Id) && tx.FindByIdentity(record.Type, key.Field, now) is { } holder)
            {
                tx.RaiseFinding(new Finding(Ids.New("fnd", time), "possible-duplicate", "warning", record.Type, record.Id, holder, null,
                    $"{record.Type} {record.Id} has the same {key.Field} as {holder} ({now}); they are probably the same {record.Type}", time.GetUtcNow()));
            }
        }
    }
}
