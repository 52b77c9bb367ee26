using Concord.Core.Configuration;
using Concord.Core.Mapping;
using Concord.Engine.Connectors;

namespace Concord.Connectors.Slack;

/// <summary>
/// Slack as a notification target: each delivery of a type Slack receives becomes one message in a
/// channel, through an incoming webhook (<c>webhook_url</c>) or a bot (<c>bot_token</c> and
/// <c>channel</c>) — exactly one of the two — and the target of flows' <c>notify:</c> steps. Slack
/// is never a source of records here.
/// </summary>
public static class SlackConnector
{
    /// <summary>Every shipped type may be announced; there is nothing to map, so the field maps are empty.</summary>
    private static readonly string[] Announced = ["customer", "company", "deal", "invoice", "payment", "subscription", "ticket", "task", "project"];

    public static readonly ConnectorDescriptor Descriptor = new(
        "slack",
        "Posts a message to a Slack channel for each change it receives (incoming webhook, or a bot token and channel).",
        Inbound: false,
        Outbound: true,
        [
            new("base_url", $"the Web API root (default {SlackApiClient.DefaultBaseUrl})", IsUrl: true),
            new("webhook_url", "an incoming webhook URL, https://hooks.slack.com/services/…: a credential (use this or bot_token)", Secret: true),
            new("bot_token", "a bot token (xoxb-…) with chat:write (use this or webhook_url)", Secret: true),
            new("channel", "the channel id (C…) or #name the bot posts to; required with bot_token"),
            new("message", "the message template: {field}, {type}, {operation}, {changed}, {title}, {id} (default: a summary per type)"),
            new("include_pii", "true puts personal fields (email, name, phone…) into messages; default false", Allowed: ["true", "false"]),
        ])
    {
        Entities = Announced.Select(t => new EntitySupport(t, "message", EntityOperations.Notify, new Dictionary<string, string>())).ToArray(),

        // chat.postMessage allows about one message per second per channel, with short bursts;
        // incoming webhooks the same. One at a time also keeps the messages in order.
        VendorRateLimit = new RateLimitPolicy { PerSecond = 1, Burst = 3, Concurrency = 1 },
        Check = CheckModes,
        NotifyArguments = SlackNotifier.Args,
        NotifyRequires = ["text"],
    };

    /// <summary>Exactly one way to post, and a bot needs a channel; <c>concord validate</c> says so before the hub starts.</summary>
    private static IEnumerable<(string Message, string? Hint)> CheckModes(SystemConfig system)
    {
        var webhook = system.Secrets.ContainsKey("webhook_url");
        var bot = system.Secrets.ContainsKey("bot_token");
        if (webhook == bot)
        {
            yield return (webhook ? "has both webhook_url and bot_token; it posts one way only" : "needs webhook_url (an incoming webhook) or bot_token with channel (a bot)",
                "keep webhook_url: { env: … } for an incoming webhook, or bot_token: { env: … } and channel: C… for a bot");
        }

        if (bot && system.GetSetting("channel") is null)
        {
            yield return ("has a bot_token but no channel to post to", "add channel: C0123456789 (the channel id) or channel: \"#sales\"");
        }
    }

    /// <summary>The <c>slack</c> kind.</summary>
    public sealed class Kind : IConnectorKind
    {
        public ConnectorDescriptor Descriptor => SlackConnector.Descriptor;

        public SystemConnectors Create(SystemConfig system, ConnectorContext context)
        {
            var webhookUrl = context.Secret(system, "webhook_url");
            var botToken = context.Secret(system, "bot_token");
            var template = new SlackMessageTemplate(system.GetSetting("message"), system.GetSetting("include_pii") == "true");
            if ((webhookUrl is null) == (botToken is null))
            {
                throw new InvalidOperationException(
                    $"system '{system.Name}' (slack) needs exactly one of settings.webhook_url (an incoming webhook) or settings.bot_token with settings.channel (a bot)");
            }

            if (webhookUrl is not null)
            {
                if (!Uri.TryCreate(webhookUrl, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
                {
                    throw new InvalidOperationException($"settings.webhook_url of system '{system.Name}' is not an absolute http(s) URL");
                }

                return new SystemConnectors(
                    Outbound: new SlackWebhookOutbound(system, context.Http, url, template, context.Time),
                    Verifier: new SlackWebhookVerifier(url),
                    Notifier: new SlackWebhookNotifier(system.Name, context.Http, url, context.Time));
            }

            var channel = system.GetSetting("channel")
                ?? throw new InvalidOperationException($"system '{system.Name}' (slack) has a bot_token, so it needs settings.channel: the channel id (C…) or #name to post to");
            var client = new SlackApiClient(context.Http, new Uri(system.GetSetting("base_url") ?? SlackApiClient.DefaultBaseUrl), botToken!, context.Time);
            return new SystemConnectors(
                Outbound: new SlackBotOutbound(system, client, channel, template),
                Verifier: new SlackBotVerifier(client, channel),
                Notifier: new SlackNotifier(system.Name, client, channel));
        }
    }
}
