using Concord.Core.Configuration;
using Concord.Engine.Connectors;

namespace Concord.Connectors.QuickBooks;

/// <summary>
/// QuickBooks Online: customers, invoices and payments over the v3 accounting API, with OAuth2
/// (rotating refresh tokens), the change data capture feed for reading, and signed webhooks that
/// say which object changed so the feed is read at once.
/// </summary>
public static class QuickBooksConnector
{
    /// <summary>The <c>minorversion</c> sent with every call.</summary>
    public const string MinorVersion = "75";

    public static readonly ConnectorDescriptor Descriptor = new(
        "quickbooks",
        "QuickBooks Online: customers, invoices and payments (OAuth2, change data capture, signed webhooks).",
        Inbound: true,
        Outbound: true,
        [
            new("client_id", "the app's client id (Intuit developer portal, Keys & credentials)", Required: true),
            new("client_secret", "the app's client secret", Secret: true, Required: true),
            new("refresh_token", "the first refresh token from connecting the app; Concord keeps the rotated ones itself", Secret: true, Required: true),
            new("realm_id", "the company id (realmId) the app was connected to", Required: true),
            new("base_url", "the API host (default https://quickbooks.api.intuit.com; sandbox companies: https://sandbox-quickbooks.api.intuit.com)", IsUrl: true),
            new("token_url", "the OAuth2 token endpoint (default https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer)", IsUrl: true),
            new("verifier_token", "the webhooks verifier token; lets QuickBooks post signed webhooks to /hooks/<system>", Secret: true),
            new("item_id", "the QuickBooks item (product or service) of the one line Concord writes on an invoice (default 1)"),
            new("poll_interval", "how often the change data capture feed is read (default 5m)", IsDuration: true),
            new("poll_from", "an ISO 8601 date-time to read changes from on the very first poll (default: now)"),
        ])
    {
        Entities = QuickBooksMappings.Entities,
        ApiVersion = "minorversion=" + MinorVersion,
        // 500 requests a minute and 10 at once per realm: 8 a second stays under the minute limit.
        VendorRateLimit = new RateLimitPolicy { PerSecond = 8, Burst = 10, Concurrency = 10 },
        Polls = true,

        // Customers have a stable page; transactions are opened by the app's own routes, which Intuit does not document.
        RecordUrl = (_, type, id) => type == "customer" ? "https://app.qbo.intuit.com/app/customerdetail?nameId=" + Uri.EscapeDataString(id) : null,
        ListsRecords = true,
    };

    /// <summary>The <c>quickbooks</c> kind.</summary>
    public sealed class Kind : IConnectorKind
    {
        public ConnectorDescriptor Descriptor => QuickBooksConnector.Descriptor;

        public SystemConnectors Create(SystemConfig system, ConnectorContext context)
        {
            var client = new QuickBooksClient(system, context);
            var verifierToken = context.Secret(system, "verifier_token");
            return new SystemConnectors(
                Outbound: new QuickBooksOutbound(system, client, context),
                Inbound: verifierToken is null ? null : new QuickBooksInbound(system, client.RealmId, verifierToken, context),
                Poller: new QuickBooksPoller(system, client, context),
                Verifier: new QuickBooksVerifier(client),
                Records: new QuickBooksRecordReader(system, client),
                CredentialExpiry: client.Tokens);
        }
    }
}
