using Concord.Engine.Connectors;

namespace Concord.Connectors.Stripe;

/// <summary>Proves the key works with the cheapest authenticated read: one customer.</summary>
public sealed class StripeVerifier(StripeClient client) : IVerifier
{
    public async Task<VerifyResult> VerifyAsync(CancellationToken cancellationToken)
    {
        try
        {
            await client.GetAsync("/v1/customers?limit=1", "list customers", cancellationToken);
            return VerifyResult.Success($"Stripe accepted the key (API version {StripeClient.ApiVersion})");
        }
        catch (DeliveryFailedException ex) when (ex.StatusCode is 401 or 403)
        {
            // 403: a restricted key without read access to customers.
            return VerifyResult.Failure(ex.Message, "api_key");
        }
        catch (DeliveryFailedException ex)
        {
            return VerifyResult.Failure(ex.Message);
        }
        catch (HttpRequestException ex)
        {
            return VerifyResult.Failure($"cannot reach Stripe: {ex.Message}", "base_url");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return VerifyResult.Failure("Stripe did not answer in time", "base_url");
        }
    }
}
