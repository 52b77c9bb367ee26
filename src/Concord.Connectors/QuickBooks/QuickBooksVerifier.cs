using Concord.Engine.Connectors;

namespace Concord.Connectors.QuickBooks;

/// <summary>Proves the settings work by reading the company's own record (<c>/companyinfo/{realm}</c>).</summary>
public sealed class QuickBooksVerifier(QuickBooksClient client) : IVerifier
{
    public async Task<VerifyResult> VerifyAsync(CancellationToken cancellationToken)
    {
        try
        {
            var info = await client.GetAsync("companyinfo/" + Uri.EscapeDataString(client.RealmId), [], "read the company info", cancellationToken);
            var name = info["CompanyInfo"]?["CompanyName"]?.ToString() ?? "(unnamed)";
            return VerifyResult.Success($"connected to QuickBooks company '{name}' (realm {client.RealmId})");
        }
        catch (DeliveryFailedException ex)
        {
            return VerifyResult.Failure(ex.Message, ex.Data[QuickBooksClient.SettingKey] as string ?? (ex.StatusCode is 400 or 404 ? "realm_id" : null));
        }
        catch (HttpRequestException ex)
        {
            return VerifyResult.Failure($"{client.SystemName}: cannot reach QuickBooks: {ex.Message}", "base_url");
        }
        catch (InvalidOperationException ex)
        {
            // A secret's environment variable is not set.
            return VerifyResult.Failure(ex.Message);
        }
    }
}
