using Concord.Core.Configuration;
using Concord.Core.Records;
using Concord.Engine.Storage;

namespace Concord.Engine.Processing;

/// <summary>
/// One active subscription per customer and plan. Two of them is how a business bills a customer
/// twice for months without noticing (the customer exists twice in billing, and each copy pays), so
/// a second one raises a <c>double-billing</c> alert naming both; it resolves when either ends.
/// The rule rides on the identity-key table: the key is held only while the subscription bills.
/// </summary>
internal static class BillingGuardrail
{
    public const string Kind = "double-billing";

    private const string Key = "$active_customer_plan";

    private static readonly HashSet<string> Billing = new(StringComparer.OrdinalIgnoreCase) { "active", "trialing", "past_due" };

    /// <summary>The guarded value of a subscription, or null when it does not bill (or is not a subscription).</summary>
    public static string? ActiveKey(GoldenRecord record, EntityTypeConfig type)
    {
        if (type.Name != "subscription" || record.Deleted
            || DeterministicResolver.AsText(record.BestValueOf("status")) is not { } status || !Billing.Contains(status)
            || DeterministicResolver.AsText(record.BestValueOf("customer")) is not { Length: > 0 } customer)
        {
            return null;
        }

        var plan = DeterministicResolver.AsText(record.BestValueOf("plan"))?.Trim().ToLowerInvariant() ?? "";
        return customer + "|" + plan;
    }

    /// <summary>Moves the key with the subscription's state and raises or resolves the alert.</summary>
    public static void Maintain(IPipelineTransaction tx, GoldenRecord record, EntityTypeConfig type, string? before, TimeProvider time)
    {
        var now = ActiveKey(record, type);
        if (now == before)
        {
            return;
        }

        if (before is not null)
        {
            tx.ReleaseIdentity(record.Type, Key, before, record.Id);
            tx.ResolveFindings(Kind, record.Id);
        }

        if (now is not null && !tx.ClaimIdentity(record.Type, Key, now, record.Id) && tx.FindByIdentity(record.Type, Key, now) is { } other)
        {
            var (customer, plan) = (now[..now.IndexOf('|')], now[(now.IndexOf('|') + 1)..]);
            tx.RaiseFinding(new Finding(Ids.New("fnd", time), Kind, "alert", record.Type, record.Id, other, null,
                $"customer {customer} has two active subscriptions to {(plan.Length > 0 ? plan : "the same plan")}: {other} and {record.Id}; they are probably billed twice",
                time.GetUtcNow()));
        }
    }
}
