using Concord.Engine.Connectors;
using Concord.Engine.Storage;
using Microsoft.Extensions.Logging;

namespace Concord.Engine.Billing;

/// <summary>
/// Cancels a subscription record in every system that bills it and can cancel it (Stripe), when a person asks: the
/// fix for a customer billed twice. Nothing here changes the hub's copy: the system's own event (Stripe's
/// <c>customer.subscription.deleted</c>) comes back as an ordinary change, so the record, its findings and the
/// incident they raised follow what the system really did, and a cancel that was refused changes nothing.
/// </summary>
public sealed class SubscriptionCancellation(IHubStore store, IReadOnlyDictionary<string, ISubscriptionCanceller> cancellers, ILogger logger)
{
    /// <summary>The type of record that can be cancelled.</summary>
    public const string Type = "subscription";

    /// <summary>Where the record can be cancelled: its ids in the systems whose connector cancels subscriptions.</summary>
    public async Task<IReadOnlyList<RecordLink>> WhereAsync(string recordId, CancellationToken cancellationToken) =>
        (await store.GetLinksAsync(recordId, cancellationToken))
            .Where(l => l.Type == Type && cancellers.ContainsKey(l.System))
            .OrderBy(l => l.System, StringComparer.Ordinal).ThenBy(l => l.ExternalId, StringComparer.Ordinal)
            .ToList();

    /// <summary>
    /// Cancels the record's subscription in each system that can (one call per id there), and says what each answered.
    /// Null when there is no such subscription record. A record already ended (Stripe's event of an earlier cancel came
    /// back) is still asked about, so a second request is answered "already cancelled" rather than "unknown". Every
    /// system is asked even when one refuses.
    /// </summary>
    public async Task<CancelOutcome?> CancelAsync(string recordId, string by, CancellationToken cancellationToken)
    {
        if (await store.GetRecordAsync(recordId, cancellationToken) is not { Type: Type } record)
        {
            return null;
        }

        var answers = new List<CancelAnswer>();
        foreach (var link in await WhereAsync(record.Id, cancellationToken))
        {
            try
            {
                var done = await cancellers[link.System].CancelAsync(link.ExternalId, cancellationToken);
                logger.LogInformation("Subscription {Record} ({ExternalId}) cancelled in {System} by {By}{Already}", record.Id, link.ExternalId, link.System, by,
                    done.AlreadyCancelled ? " (it was cancelled already)" : "");
                answers.Add(new CancelAnswer(link.System, link.ExternalId, done.AlreadyCancelled ? "already-cancelled" : "cancelled", done.Status, null));
            }
            catch (Exception ex) when (ex is DeliveryFailedException or HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning("Cancelling subscription {Record} ({ExternalId}) in {System}, asked by {By}, failed: {Error}", record.Id, link.ExternalId, link.System, by, ex.Message);
                answers.Add(new CancelAnswer(link.System, link.ExternalId, "failed", null, ex.Message));
            }
        }

        return new CancelOutcome(record.Id, answers);
    }
}

/// <summary>What each system said to a cancel of one subscription record.</summary>
/// <param name="RecordId">The subscription record.</param>
/// <param name="Systems">One answer per id in a system that can cancel; empty when no such system holds it.</param>
public sealed record CancelOutcome(string RecordId, IReadOnlyList<CancelAnswer> Systems)
{
    /// <summary>Every system that holds it now has it cancelled (and at least one holds it).</summary>
    public bool Cancelled => Systems.Count > 0 && Systems.All(s => s.Result != "failed");
}

/// <summary>One system's answer to a cancel.</summary>
/// <param name="System">The system asked.</param>
/// <param name="ExternalId">The subscription's id there.</param>
/// <param name="Result"><c>cancelled</c>, <c>already-cancelled</c> or <c>failed</c>.</param>
/// <param name="Status">The subscription's status there afterwards, in the system's words.</param>
/// <param name="Error">Why it failed, in the system's words.</param>
public sealed record CancelAnswer(string System, string ExternalId, string Result, string? Status, string? Error);
