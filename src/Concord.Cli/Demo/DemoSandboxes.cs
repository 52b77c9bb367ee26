using System.Security.Cryptography;
using Concord.Sandboxes.HubSpot;
using Concord.Sandboxes.QuickBooks;
using Concord.Sandboxes.Slack;
using Concord.Sandboxes.Stripe;

namespace Concord.Cli.Demo;

/// <summary>The four vendor sandboxes of the demo, with fresh credentials each run.</summary>
internal sealed class DemoSandboxes : IAsyncDisposable
{
    private DemoSandboxes(string hubUrl)
    {
        Secrets = new Dictionary<string, string>
        {
            ["DEMO_HUBSPOT_TOKEN"] = "pat-na1-" + NewSecret(),
            ["DEMO_HUBSPOT_CLIENT_SECRET"] = NewSecret(),
            ["DEMO_STRIPE_KEY"] = "sk_test_" + NewSecret(),
            ["DEMO_STRIPE_WEBHOOK_SECRET"] = "whsec_" + NewSecret(),
            ["DEMO_QUICKBOOKS_CLIENT_SECRET"] = NewSecret(),
            ["DEMO_QUICKBOOKS_REFRESH_TOKEN"] = "AB11" + NewSecret(),
            ["DEMO_QUICKBOOKS_VERIFIER"] = NewSecret(),
            ["DEMO_SLACK_TOKEN"] = "xoxb-" + NewSecret(),
        };
        HubSpot = new HubSpotSandbox("hubspot", Secrets["DEMO_HUBSPOT_TOKEN"], Secrets["DEMO_HUBSPOT_CLIENT_SECRET"]) { WebhookUrl = hubUrl + "/hooks/hubspot" };
        Stripe = new StripeSandbox("stripe", Secrets["DEMO_STRIPE_KEY"], Secrets["DEMO_STRIPE_WEBHOOK_SECRET"]);
        QuickBooks = new QuickBooksSandbox("quickbooks", "9130357", "ABdemoClient", Secrets["DEMO_QUICKBOOKS_CLIENT_SECRET"],
            Secrets["DEMO_QUICKBOOKS_REFRESH_TOKEN"], Secrets["DEMO_QUICKBOOKS_VERIFIER"]);
        Slack = new SlackSandbox("slack", Secrets["DEMO_SLACK_TOKEN"]);
    }

    public Dictionary<string, string> Secrets { get; }

    public HubSpotSandbox HubSpot { get; }

    public StripeSandbox Stripe { get; }

    public QuickBooksSandbox QuickBooks { get; }

    public SlackSandbox Slack { get; }

    public static async Task<DemoSandboxes> StartAsync(string hubUrl)
    {
        var sandboxes = new DemoSandboxes(hubUrl);
        await sandboxes.HubSpot.StartAsync();
        await sandboxes.Stripe.StartAsync();
        await sandboxes.QuickBooks.StartAsync();
        await sandboxes.Slack.StartAsync();
        return sandboxes;
    }

    /// <summary>The demo's configuration with the sandboxes' addresses filled in.</summary>
    public string Configure(string template, string hubUrl, int port) => template
        .Replace("{hubspot_url}", HubSpot.Url, StringComparison.Ordinal)
        .Replace("{stripe_url}", Stripe.Url, StringComparison.Ordinal)
        .Replace("{quickbooks_url}", QuickBooks.Url, StringComparison.Ordinal)
        .Replace("{quickbooks_client_id}", QuickBooks.ClientId, StringComparison.Ordinal)
        .Replace("{quickbooks_realm}", QuickBooks.RealmId, StringComparison.Ordinal)
        .Replace("{slack_url}", Slack.ApiUrl, StringComparison.Ordinal)
        .Replace("{slack_channel}", SlackSandbox.GeneralId, StringComparison.Ordinal)
        .Replace("{hub_url}", hubUrl, StringComparison.Ordinal)
        .Replace("127.0.0.1:5080", $"127.0.0.1:{port}", StringComparison.Ordinal);

    /// <summary>Points every sandbox's webhooks at the hub.</summary>
    public void SendWebhooksTo(string hubUrl) => HubSpot.HubUrl = Stripe.HubUrl = QuickBooks.HubUrl = Slack.HubUrl = hubUrl;

    private static string NewSecret() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));

    public async ValueTask DisposeAsync()
    {
        await HubSpot.DisposeAsync();
        await Stripe.DisposeAsync();
        await QuickBooks.DisposeAsync();
        await Slack.DisposeAsync();
    }
}
