using System.Net.Http;
using System.Text.RegularExpressions;
using Concord.Engine.Connectors;

namespace Concord.Connectors.Slack;

/// <summary>
/// Bot mode: <c>auth.test</c> proves the token, then <c>conversations.info</c> proves the channel
/// when it is given by id (looking a name up would mean listing every channel of the workspace).
/// </summary>
public sealed partial class SlackBotVerifier(SlackApiClient client, string channel) : IVerifier
{
    public async Task<VerifyResult> VerifyAsync(CancellationToken cancellationToken)
    {
        SlackApiResponse auth;
        try
        {
            auth = await client.AuthTestAsync(cancellationToken);
        }
        catch (HttpRequestException e)
        {
            return VerifyResult.Failure($"could not reach Slack: {e.Message}", "base_url");
        }

        if (!auth.Ok)
        {
            return VerifyResult.Failure($"auth.test answered {auth.Status} {auth.Error ?? auth.Body}", SlackErrors.Setting(auth.Error) ?? (auth.Status == 404 ? "base_url" : "bot_token"));
        }

        var who = $"token of {auth.Text("user") ?? "?"} in {auth.Text("team") ?? "?"}";
        if (!ChannelId().IsMatch(channel))
        {
            return VerifyResult.Success($"{who} works; channel '{channel}' is a name, which is only checked when the first message is posted");
        }

        var info = await client.ConversationInfoAsync(channel, cancellationToken);
        if (info.Ok)
        {
            var member = info.Json?["channel"]?["is_member"]?.GetValue<bool>() ?? true;
            return member
                ? VerifyResult.Success($"{who} works and can post to {channel}")
                : VerifyResult.Failure($"the bot is not a member of {channel}: invite it (/invite @app) or use a channel it is in", "channel");
        }

        return info.Error == "missing_scope"
            ? VerifyResult.Success($"{who} works; channel {channel} not checked (the token lacks channels:read)")
            : VerifyResult.Failure($"conversations.info for {channel} answered {info.Error ?? info.Status.ToString(System.Globalization.CultureInfo.InvariantCulture)}", SlackErrors.Setting(info.Error) ?? "channel");
    }

    [GeneratedRegex("^[CGD][A-Z0-9]{6,}$")]
    private static partial Regex ChannelId();
}

/// <summary>
/// Webhook mode: an incoming webhook has no read-only call, so only the URL's shape can be checked
/// without posting a message into the channel.
/// </summary>
public sealed class SlackWebhookVerifier(Uri webhookUrl) : IVerifier
{
    public Task<VerifyResult> VerifyAsync(CancellationToken cancellationToken)
    {
        var segments = webhookUrl.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var shaped = segments.Length == 4 && segments[0] == "services";
        if (webhookUrl.Host == "hooks.slack.com" && (webhookUrl.Scheme != Uri.UriSchemeHttps || !shaped))
        {
            return Task.FromResult(VerifyResult.Failure("an incoming webhook URL looks like https://hooks.slack.com/services/T…/B…/…", "webhook_url"));
        }

        var note = webhookUrl.Host == "hooks.slack.com" ? "" : $" (host {webhookUrl.Host}, not hooks.slack.com)";
        return Task.FromResult(shaped
            ? VerifyResult.Success($"webhook_url is shaped like an incoming webhook{note}; it cannot be checked without posting a message, so the first delivery proves it")
            : VerifyResult.Failure($"webhook_url {webhookUrl.Scheme}://{webhookUrl.Host}/… does not end in /services/T…/B…/…", "webhook_url"));
    }
}
