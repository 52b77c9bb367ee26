using Concord.Connectors.Stripe;
using Concord.Core.Configuration;
using Concord.Engine.Connectors;
using Concord.Engine.Intake;
using Concord.Core.Sync;
using Concord.Sandboxes.Stripe;
using Concord.Testing;

namespace Concord.Connectors.Tests.Stripe;

/// <summary>A Stripe sandbox (checking bodies against Stripe's spec) and the connector's parts pointed at it.</summary>
public sealed class StripeTestbed : IAsyncDisposable
{
    public const string ApiKey = "sk_test_4eC39HqLyjWDarjtT1zdp7dc";
    public const string WebhookSecret = "whsec_test_secret";

    private StripeTestbed(StripeSandbox sandbox, HubConfig config, ConnectorContext context, MemoryLinks links)
    {
        Sandbox = sandbox;
        Config = config;
        Context = context;
        Links = links;
    }

    public StripeSandbox Sandbox { get; }

    public HubConfig Config { get; }

    public ConnectorContext Context { get; }

    public MemoryLinks Links { get; }

    public SystemConfig System => Config.Systems["stripe"];

    public static string SpecForBodies => RepoPaths.VendorSpec("stripe/stripe-collapsed-fixtures.2023-08-16.json");

    public static async Task<StripeTestbed> StartAsync(string apiKey = ApiKey, string extraSettings = "", string fields = "")
    {
        var sandbox = new StripeSandbox("stripe", ApiKey, WebhookSecret, SpecForBodies);
        await sandbox.StartAsync();
        var secrets = new Dictionary<string, string> { ["STRIPE_KEY"] = apiKey, ["STRIPE_WHSEC"] = WebhookSecret };
        var config = TestConfigs.Load($$"""
            version: 1
            systems:
              stripe:
                kind: stripe
                settings:
                  base_url: {{sandbox.Url}}
                  api_key: { env: STRIPE_KEY }
                  webhook_secret: { env: STRIPE_WHSEC }
                  {{extraSettings}}
                {{fields}}
            entities:
              customer: { owner: stripe }
              invoice: { owner: stripe }
              payment: { owner: stripe }
              subscription: { owner: stripe }
            syncs:
              - { system: stripe, type: customer, direction: two-way }
              - { system: stripe, type: invoice, direction: two-way }
              - { system: stripe, type: payment, direction: pull }
              - { system: stripe, type: subscription, direction: pull }
            """, secrets.GetValueOrDefault);
        var links = new MemoryLinks();
        var context = new ConnectorContext
        {
            Http = new HttpClient(),
            Time = TimeProvider.System,
            Intake = new ChangeIntake(new SyncPlan(config), TimeProvider.System),
            Links = links,
            Credentials = new MemoryCredentials(),
            Environment = secrets.GetValueOrDefault,
        };
        return new StripeTestbed(sandbox, config, context, links);
    }

    public SystemConnectors Connectors() => new StripeConnector.Kind().Create(System, Context);

    public async ValueTask DisposeAsync()
    {
        await Sandbox.DisposeAsync();
        Context.Http.Dispose();
    }
}
