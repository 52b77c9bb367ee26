using Concord.Sandboxes.HubSpot;
using Concord.Sandboxes.QuickBooks;
using Concord.Sandboxes.Slack;
using Concord.Sandboxes.Stripe;

namespace Concord.Testing;

/// <summary>
/// HubSpot, Stripe, QuickBooks Online and Slack — each a stateful sandbox speaking its vendor's API
/// on loopback — for a hub under test: the secrets the hub reads from its environment, and the
/// <c>systems:</c> entries that point at the sandboxes.
/// </summary>
public sealed class VendorStack : IAsyncDisposable
{
    public static readonly IReadOnlyDictionary<string, string> Secrets = new Dictionary<string, string>
    {
        ["HS_TOKEN"] = "pat-na1-acceptance",
        ["HS_CLIENT_SECRET"] = "hs-client-secret",
        ["STRIPE_KEY"] = "sk_test_acceptance",
        ["STRIPE_WHSEC"] = "whsec_acceptance",
        ["QB_SECRET"] = "qb-secret",
        ["QB_REFRESH"] = "rt-initial",
        ["QB_VERIFIER"] = "qb-verifier",
        ["SLACK_TOKEN"] = "xoxb-acceptance",
    };

    /// <summary>The port the hub must listen on: HubSpot's webhooks are addressed to it before the hub starts.</summary>
    public int HubPort { get; } = HubHarness.FreePort();

    public HubSpotSandbox HubSpot { get; } = new("hubspot", Secrets["HS_TOKEN"], Secrets["HS_CLIENT_SECRET"]);

    public StripeSandbox Stripe { get; } = new("stripe", Secrets["STRIPE_KEY"], Secrets["STRIPE_WHSEC"]);

    public QuickBooksSandbox QuickBooks { get; } = new("quickbooks", "4620816365", "qb-client", Secrets["QB_SECRET"], Secrets["QB_REFRESH"], Secrets["QB_VERIFIER"],
        xsdFolder: Path.GetDirectoryName(RepoPaths.VendorSpec("quickbooks/IntuitRestServiceDef.xsd")));

    public SlackSandbox Slack { get; } = new("slack", Secrets["SLACK_TOKEN"]);

    public async Task StartAsync()
    {
        HubSpot.WebhookUrl = $"http://127.0.0.1:{HubPort}/hooks/hubspot";
        await HubSpot.StartAsync();
        await Stripe.StartAsync();
        await QuickBooks.StartAsync();
        await Slack.StartAsync();
    }

    /// <summary>
    /// <c>hub:</c> and <c>systems:</c> for the sandboxes, polling every 500 ms and retrying quickly;
    /// <paramref name="hubspotSettings"/> are more lines of HubSpot settings, <paramref name="slack"/> whether Slack is one of the systems.
    /// </summary>
    public string HubAndSystemsYaml(string hubspotSettings = "", bool slack = true) => $$"""
        hub: { listen: "http://127.0.0.1:{{HubPort}}" }
        systems:
          hubspot:
            kind: hubspot
            settings:
              base_url: {{HubSpot.Url}}
              access_token: { env: HS_TOKEN }
              client_secret: { env: HS_CLIENT_SECRET }
              webhook_url: {{HubSpot.WebhookUrl}}
              poll_interval: 500ms{{(hubspotSettings.Length == 0 ? "" : "\n      " + hubspotSettings)}}
            retry: { max_attempts: 30, initial_delay: 100ms, max_delay: 1s }
          stripe:
            kind: stripe
            settings:
              base_url: {{Stripe.Url}}
              api_key: { env: STRIPE_KEY }
              webhook_secret: { env: STRIPE_WHSEC }
              poll_interval: 500ms
            retry: { max_attempts: 30, initial_delay: 100ms, max_delay: 1s }
          quickbooks:
            kind: quickbooks
            settings:
              base_url: {{QuickBooks.Url}}
              token_url: {{QuickBooks.TokenUrl}}
              client_id: {{QuickBooks.ClientId}}
              client_secret: { env: QB_SECRET }
              refresh_token: { env: QB_REFRESH }
              realm_id: "{{QuickBooks.RealmId}}"
              verifier_token: { env: QB_VERIFIER }
              poll_interval: 500ms
            retry: { max_attempts: 30, initial_delay: 100ms, max_delay: 1s }
            circuit_breaker: { failure_threshold: 3, break_duration: 1s }
        {{(slack ? SlackYaml : "")}}
        """;

    private string SlackYaml => $$"""
          slack:
            kind: slack
            settings:
              base_url: {{Slack.ApiUrl}}
              bot_token: { env: SLACK_TOKEN }
              channel: {{SlackSandbox.GeneralId}}
            retry: { max_attempts: 30, initial_delay: 100ms, max_delay: 1s }
        """;

    /// <summary>
    /// Starts a hub on <see cref="HubPort"/> with <paramref name="yaml"/>, points the sandboxes' webhooks at it, and waits for every poller's first run;
    /// <paramref name="secrets"/> replace <see cref="Secrets"/> (include them when adding more).
    /// </summary>
    public async Task<HubHarness> StartHubAsync(string yaml, IReadOnlyDictionary<string, string>? secrets = null)
    {
        var hub = await HubHarness.StartAsync(yaml, secrets ?? Secrets);
        HubSpot.HubUrl = Stripe.HubUrl = QuickBooks.HubUrl = hub.Url;
        await Eventually.TrueAsync(() => hub.Hub.Runtime.Pollers.Values.All(p => p.LastPolledAt is not null), "every poller's first run");
        return hub;
    }

    public async ValueTask DisposeAsync()
    {
        await HubSpot.DisposeAsync();
        await Stripe.DisposeAsync();
        await QuickBooks.DisposeAsync();
        await Slack.DisposeAsync();
    }
}
