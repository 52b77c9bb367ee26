using System.Text;
using Concord.Connectors.HubSpot;
using Concord.Core.Configuration;
using Concord.Core.Sync;
using Concord.Engine.Connectors;
using Concord.Engine.Intake;
using Concord.Engine.Storage;
using Concord.Sandboxes.HubSpot;
using Concord.Testing;

namespace Concord.Connectors.Tests.HubSpot;

/// <summary>A HubSpot sandbox and the connector's parts built against it, as the hub builds them.</summary>
public sealed class HubSpotKit : IAsyncDisposable
{
    public const string Token = "pat-na1-test-token";
    public const string ClientSecret = "hubspot-client-secret";
    public const string WebhookUrl = "https://hub.example.com/hooks/hubspot";

    private HubSpotKit(HubSpotSandbox sandbox, HubConfig config, ConnectorContext context, SystemConnectors parts, MemoryLinks links)
    {
        _links = links;
        Sandbox = sandbox;
        Config = config;
        Context = context;
        Parts = parts;
    }

    public HubSpotSandbox Sandbox { get; }

    public HubConfig Config { get; }

    public ConnectorContext Context { get; }

    public SystemConnectors Parts { get; }

    public SystemConfig System => Config.Systems["hubspot"];

    /// <summary>Hub record id → HubSpot id, as the hub's links would answer.</summary>
    public global::System.Collections.Concurrent.ConcurrentDictionary<string, string> Links => _links.Ids;

    private readonly MemoryLinks _links;

    /// <summary>Systems the connector asked the hub to poll.</summary>
    public List<string> PollRequests { get; } = [];

    public IOutboundConnector Outbound => Parts.Outbound!;

    public IInboundConnector Inbound => Parts.Inbound!;

    public static string Yaml(string baseUrl) => $$"""
        version: 1
        systems:
          hubspot:
            kind: hubspot
            settings:
              base_url: {{baseUrl}}
              access_token: { env: HS_TOKEN }
              client_secret: { env: HS_CLIENT_SECRET }
              webhook_url: {{WebhookUrl}}
              poll_interval: 1s
        entities:
          customer: { owner: hubspot, identity: [email] }
          company: { owner: hubspot, identity: [domain] }
          deal: { owner: hubspot }
        syncs:
          - { system: hubspot, type: customer, direction: two-way }
          - { system: hubspot, type: company, direction: two-way }
          - { system: hubspot, type: deal, direction: two-way }
        """;

    /// <summary>A B2B system: the hub's customers live on HubSpot companies, with deals associated to them.</summary>
    public static string CompaniesYaml(string baseUrl) => $$"""
        version: 1
        systems:
          hubspot:
            kind: hubspot
            settings:
              base_url: {{baseUrl}}
              access_token: { env: HS_TOKEN }
              client_secret: { env: HS_CLIENT_SECRET }
              webhook_url: {{WebhookUrl}}
              poll_interval: 1s
              customer_object: companies
        entities:
          customer: { owner: hubspot, identity: [company_domain] }
          deal: { owner: hubspot }
        syncs:
          - { system: hubspot, type: customer, direction: two-way }
          - { system: hubspot, type: deal, direction: two-way }
        """;

    public static Dictionary<string, string> Secrets(string token = Token) => new()
    {
        ["HS_TOKEN"] = token,
        ["HS_CLIENT_SECRET"] = ClientSecret,
    };

    public static async Task<HubSpotKit> StartAsync(string token = Token, Func<string, string>? yaml = null)
    {
        var sandbox = new HubSpotSandbox("hubspot", Token, ClientSecret);
        await sandbox.StartAsync();
        var secrets = Secrets(token);
        var config = TestConfigs.Load((yaml ?? Yaml)(sandbox.Url), secrets.GetValueOrDefault);
        SystemConnectors parts = null!;
        HubSpotKit kit = null!;
        var links = new MemoryLinks();
        var context = new ConnectorContext
        {
            Http = new HttpClient(),
            Time = TimeProvider.System,
            Intake = new ChangeIntake(new SyncPlan(config), TimeProvider.System),
            Links = links,
            Credentials = new MemoryCredentials(),
            RequestPoll = s => kit.PollRequests.Add(s),
            Environment = secrets.GetValueOrDefault,
        };
        parts = new HubSpotConnector.Kind().Create(config.Systems["hubspot"], context);
        kit = new HubSpotKit(sandbox, config, context, parts, links);
        return kit;
    }

    /// <summary>A poller over the sandbox with a small page, reading from <paramref name="from"/>.</summary>
    public HubSpotPoller Poller(DateTimeOffset from, int pageSize) =>
        new(System, HubSpotLayout.Of(System), new HubSpotClient(Context.Http, new Uri(Sandbox.Url), Token, "hubspot", TimeProvider.System),
            new HubSpotChanges(Context.Intake, "hubspot"), TimeProvider.System, TimeSpan.FromSeconds(1), from, pageSize);

    public static Delivery Delivery(string type, string recordId, string payload, string? externalId = null, string operation = "upsert", string key = "idem-1") => new()
    {
        Id = 1,
        System = "hubspot",
        Type = type,
        RecordId = recordId,
        Version = 1,
        Operation = operation,
        Payload = payload,
        Changed = "[]",
        IdempotencyKey = key,
        CorrelationId = "corr-1",
        ExternalId = externalId,
    };

    /// <summary>A webhook as HubSpot posts it, signed for <see cref="WebhookUrl"/>.</summary>
    public static InboundRequest Webhook(string body, string secret = ClientSecret, DateTimeOffset? at = null)
    {
        var ms = (at ?? DateTimeOffset.UtcNow).ToUnixTimeMilliseconds();
        return new InboundRequest("hubspot", new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            [HubSpotSignature.V3Header] = HubSpotSignature.SignV3(secret, "POST", WebhookUrl, body, ms),
            [HubSpotSignature.TimestampHeader] = ms.ToString(global::System.Globalization.CultureInfo.InvariantCulture),
        }, Encoding.UTF8.GetBytes(body));
    }

    public async ValueTask DisposeAsync()
    {
        await Sandbox.DisposeAsync();
        Context.Http.Dispose();
    }
}
