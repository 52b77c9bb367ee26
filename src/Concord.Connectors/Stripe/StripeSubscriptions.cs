using Concord.Engine.Connectors;

namespace Concord.Connectors.Stripe;

/// <summary>
/// Cancels a Stripe subscription at once (<c>DELETE /v1/subscriptions/{id}</c>): the customer is not charged again.
/// Stripe refuses to cancel a subscription twice, so a refusal is checked against the subscription as it is: one
/// already cancelled is the outcome that was asked for, reported as such; any other refusal is Stripe's to explain.
/// </summary>
public sealed class StripeSubscriptions(StripeClient client) : ISubscriptionCanceller
{
    public async Task<SubscriptionCancelled> CancelAsync(string externalId, CancellationToken cancellationToken)
    {
        var path = "/v1/subscriptions/" + StripeClient.Escape(externalId);
        try
        {
            var answer = await client.DeleteAsync(path, "cancel subscription", cancellationToken);
            return new SubscriptionCancelled(externalId, AlreadyCancelled: false, Status(answer));
        }
        catch (DeliveryFailedException refused) when (refused.StatusCode is 400)
        {
            var now = await client.GetAsync(path, "read subscription", cancellationToken);
            if (Status(now) == "canceled")
            {
                return new SubscriptionCancelled(externalId, AlreadyCancelled: true, "canceled");
            }

            throw;
        }
    }

    private static string Status(StripeAnswer answer) => answer.Json?["status"]?.GetValue<string>() ?? "unknown";
}
