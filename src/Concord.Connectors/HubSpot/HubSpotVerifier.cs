using Concord.Engine.Connectors;

namespace Concord.Connectors.HubSpot;

/// <summary>
/// Proves the token works with the cheapest authenticated read: one record of the object the hub's
/// customers live on (contacts, or companies), whose read scope the private app needs anyway.
/// </summary>
public sealed class HubSpotVerifier(HubSpotClient client, string customerObject = HubSpotObjects.ContactsObject) : IVerifier
{
    public async Task<VerifyResult> VerifyAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var response = await client.SendRawAsync(HttpMethod.Get, HubSpotClient.ObjectsPath(customerObject) + "?limit=1", null, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            var (message, category, _) = HubSpotErrors.Read(body);
            return (int)response.StatusCode switch
            {
                >= 200 and < 300 => VerifyResult.Success($"HubSpot accepted the access token (read {customerObject})"),
                401 => VerifyResult.Failure($"HubSpot refused the access token: {category} {message}".TrimEnd(), "access_token"),
                403 => VerifyResult.Failure($"the private app may not read {customerObject} (give it the crm.objects.{customerObject}.read scope): {message}".TrimEnd(), "access_token"),
                var status => VerifyResult.Failure($"HubSpot answered {status}: {category} {message}".TrimEnd()),
            };
        }
        catch (HttpRequestException ex)
        {
            return VerifyResult.Failure($"cannot reach HubSpot: {ex.Message}", "base_url");
        }
    }
}
