namespace Concord.Engine.Connectors;

/// <summary>
/// Cancels a subscription in the system that bills it, at once: the action a person takes on a customer billed
/// twice. The hub never cancels on its own; a person asks for it (the dashboard's Review, or the API).
/// </summary>
public interface ISubscriptionCanceller
{
    /// <summary>
    /// Cancels the subscription the system knows as <paramref name="externalId"/>. One already cancelled is reported
    /// as such rather than cancelled again, so asking twice (a retry after a lost answer) does nothing twice.
    /// Throws <see cref="DeliveryFailedException"/> with the system's own words when it refuses.
    /// </summary>
    Task<SubscriptionCancelled> CancelAsync(string externalId, CancellationToken cancellationToken);
}

/// <summary>What the system said after a cancel.</summary>
/// <param name="ExternalId">The subscription's id in the system.</param>
/// <param name="AlreadyCancelled">It was cancelled before this call (in the vendor's app, or by an earlier call).</param>
/// <param name="Status">The subscription's status there now, in the system's words (Stripe: <c>canceled</c>).</param>
public sealed record SubscriptionCancelled(string ExternalId, bool AlreadyCancelled, string Status);
