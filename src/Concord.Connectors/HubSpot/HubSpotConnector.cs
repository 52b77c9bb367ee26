using System.Globalization;
using Concord.Core.Configuration;
using Concord.Engine.Connectors;

namespace Concord.Connectors.HubSpot;

/// <summary>
/// HubSpot CRM: contacts, companies and deals, both ways. Outbound by PATCH or batch upsert (see
/// <see cref="HubSpotOutbound"/>); inbound by signed app webhooks (<see cref="HubSpotInbound"/>) and
/// by polling CRM search (<see cref="HubSpotPoller"/>), which also catches up after downtime.
/// </summary>
public static class HubSpotConnector
{
    /// <summary>HubSpot's ids of the objects the connector writes, as its record pages' addresses use them.</summary>
    private static readonly Dictionary<string, string> ObjectTypeIds = new(StringComparer.Ordinal)
    {
        [HubSpotObjects.ContactsObject] = "0-1",
        [HubSpotObjects.CompaniesObject] = "0-2",
        ["deals"] = "0-3",
    };

    public static readonly ConnectorDescriptor Descriptor = new(
        "hubspot",
        "HubSpot CRM: contacts, companies and deals, with associations; webhooks and search polling.",
        Inbound: true,
        Outbound: true,
        [
            new("access_token", "the private app's access token, sent as Authorization: Bearer", Secret: true, Required: true),
            new("client_secret", "the app's client secret, which signs webhooks (X-HubSpot-Signature-v3)", Secret: true),
            new("webhook_url", "the public URL HubSpot posts webhooks to (https://<hub>/hooks/<system>), part of what v3 signs", IsUrl: true),
            new("base_url", $"the API's address (default {HubSpotClient.DefaultBaseUrl})", IsUrl: true),
            new(HubSpotLayout.Setting, "the HubSpot object the hub's customers live on: contacts (default), or companies when customers are businesses",
                Allowed: HubSpotLayout.CustomerObjects),
            new("id_property", "the unique custom property companies (and customers kept on companies) and deals are upserted by; holds the hub's record id (default concord_id)"),
            new("portal_id", "the HubSpot account (portal) id, shown in the app's addresses; lets the dashboard link to each record in HubSpot",
                Validate: v => v.Length is > 0 and <= 12 && v.All(char.IsAsciiDigit) ? null : $"must be the account's number, e.g. 4417852, not '{v}'"),
            new("poll_interval", "how often to search for changes (default 1m)", IsDuration: true),
            new("poll_from", "the first poll reads changes since this ISO 8601 time instead of since start-up"),
        ],
        InboundRequires: "client_secret")
    {
        Entities = HubSpotObjects.Entities,
        EntitiesFor = system => HubSpotLayout.Of(system).Entities,
        ApiVersion = "v3",

        // Private apps on Free/Starter: 100 calls per 10 s. Pro/Enterprise (190 per 10 s) may raise it with rate_limit.
        VendorRateLimit = new RateLimitPolicy { PerSecond = 10, Burst = 10, Concurrency = 10 },
        Polls = true,
        ListsRecords = true,
        RecordUrl = (system, type, id) =>
            system.GetSetting("portal_id") is { } portal && HubSpotLayout.Of(system).ForType(type) is { } o && ObjectTypeIds.TryGetValue(o.Object, out var objectTypeId)
                ? $"https://app.hubspot.com/contacts/{Uri.EscapeDataString(portal)}/record/{objectTypeId}/{Uri.EscapeDataString(id)}"
                : null,
    };


    /// <summary>The <c>hubspot</c> kind.</summary>
    public sealed class Kind : IConnectorKind
    {
        public ConnectorDescriptor Descriptor => HubSpotConnector.Descriptor;

        public SystemConnectors Create(SystemConfig system, ConnectorContext context)
        {
            var baseUrl = new Uri(system.GetSetting("base_url") ?? HubSpotClient.DefaultBaseUrl);
            var client = new HubSpotClient(context.Http, baseUrl, context.RequiredSecret(system, "access_token"), system.Name, context.Time);
            var changes = new HubSpotChanges(context.Intake, system.Name);
            var interval = system.GetSetting("poll_interval") is { } t && Duration.TryParse(t, out var parsed) ? parsed : TimeSpan.FromMinutes(1);
            DateTimeOffset? pollFrom = system.GetSetting("poll_from") is { } from
                ? DateTimeOffset.Parse(from, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal)
                : null;
            var clientSecret = context.Secret(system, "client_secret");
            var layout = HubSpotLayout.Of(system);
            return new SystemConnectors(
                Outbound: new HubSpotOutbound(system, layout, client, context.Links, system.GetSetting("id_property") ?? "concord_id"),
                Inbound: clientSecret is null ? null : new HubSpotInbound(system, layout, clientSecret, system.GetSetting("webhook_url"), changes, context.RequestPoll, context.Time),
                Poller: new HubSpotPoller(system, layout, client, changes, context.Time, interval, pollFrom),
                Verifier: new HubSpotVerifier(client, layout.Customers.Object),
                Records: new HubSpotRecordReader(system, layout, client));
        }
    }
}
