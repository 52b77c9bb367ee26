using Concord.Core.Configuration;
using Concord.Engine.Connectors;
using Microsoft.Extensions.Logging;

namespace Concord.Connectors.Stripe;

/// <summary>
/// The <c>stripe</c> connector: writes customers and invoices to Stripe, and reads customers,
/// invoices, payments (PaymentIntents) and subscriptions from Stripe's signed webhooks and its
/// event feed. Pinned to API version <see cref="StripeClient.ApiVersion"/>.
/// </summary>
public static class StripeConnector
{
    public static readonly ConnectorDescriptor Descriptor = new(
        "stripe",
        "Stripe: customers and invoices both ways; payments and subscriptions from Stripe (webhooks and the event feed); cancels a subscription when a person asks.",
        Inbound: true,
        Outbound: true,
        [
            new("api_key", "a secret key (sk_…) or a restricted key (rk_…) with write access to customers and invoices, read access to events", Secret: true, Required: true),
            new("webhook_secret", "the signing secret (whsec_…) of the webhook endpoint that points at /hooks/<system>", Secret: true),
            new("webhook_tolerance", "how far a webhook's signed timestamp may be from now (default 5m, as Stripe's libraries use)", IsDuration: true),
            new("base_url", $"Stripe's API (default {StripeClient.DefaultBaseUrl})", IsUrl: true),
            new("poll_interval", "how often the event feed is read when idle (default 1m)", IsDuration: true),
        ],
        InboundRequires: "webhook_secret")
    {
        Entities = StripeMappings.All,
        ApiVersion = StripeClient.ApiVersion,

        // Stripe's test mode allows 25 operations a second (live mode 100); Stripe publishes no
        // concurrency limit, so a few calls in flight at once keep well within it.
        VendorRateLimit = new RateLimitPolicy { PerSecond = 25, Burst = 25, Concurrency = 8 },
        Polls = true,
        RecordUrl = (_, type, id) => type switch
        {
            "customer" => "https://dashboard.stripe.com/customers/" + Uri.EscapeDataString(id),
            "invoice" => "https://dashboard.stripe.com/invoices/" + Uri.EscapeDataString(id),
            "subscription" => "https://dashboard.stripe.com/subscriptions/" + Uri.EscapeDataString(id),
            "payment" => "https://dashboard.stripe.com/payments/" + Uri.EscapeDataString(id),
            _ => null,
        },
        ListsRecords = true,
    };

    /// <summary>The <c>stripe</c> kind.</summary>
    public sealed class Kind : IConnectorKind
    {
        public ConnectorDescriptor Descriptor => StripeConnector.Descriptor;

        public SystemConnectors Create(SystemConfig system, ConnectorContext context)
        {
            var baseUrl = new Uri(system.GetSetting("base_url") ?? StripeClient.DefaultBaseUrl);
            var client = new StripeClient(system.Name, context.Http, baseUrl, context.RequiredSecret(system, "api_key"), context.Time);
            var reader = new StripeEventReader(system, context.Intake, context.Loggers.CreateLogger("Concord.Connectors.Stripe"));
            var interval = Duration(system, "poll_interval") ?? TimeSpan.FromMinutes(1);
            var webhook = context.Secret(system, "webhook_secret") is { } secret
                ? new StripeWebhook(secret, Duration(system, "webhook_tolerance") ?? StripeSignature.DefaultTolerance, context.Time, reader)
                : null;
            return new SystemConnectors(
                Outbound: new StripeOutbound(system, client, context.Links),
                Inbound: webhook,
                Poller: new StripeEventPoller(client, reader, context.Time, interval),
                Verifier: new StripeVerifier(client),
                Records: new StripeRecordReader(system, client),
                Subscriptions: new StripeSubscriptions(client));
        }

        private static TimeSpan? Duration(SystemConfig system, string name) =>
            system.GetSetting(name) is { } text && Core.Configuration.Duration.TryParse(text, out var value) ? value : null;
    }
}
