using Concord.Engine.Connectors;

namespace Concord.Connectors.Slack;

/// <summary>
/// What Slack's failures mean for a delivery. Slack reports most of them as HTTP 200 with
/// <c>"ok": false</c>, so the error code, not the status, decides: a bad token or channel is
/// permanent and names the setting to fix; throttling holds every call to the workspace.
/// </summary>
public static class SlackErrors
{
    private static readonly HashSet<string> TokenErrors = new(StringComparer.Ordinal)
    {
        "not_authed", "invalid_auth", "account_inactive", "token_revoked", "token_expired", "no_permission", "missing_scope", "not_allowed_token_type",
    };

    private static readonly HashSet<string> ChannelErrors = new(StringComparer.Ordinal)
    {
        "channel_not_found", "not_in_channel", "is_archived", "channel_is_archived", "restricted_action",
    };

    private static readonly HashSet<string> Transient = new(StringComparer.Ordinal)
    {
        "internal_error", "fatal_error", "service_unavailable", "request_timeout", "team_added_to_org",
    };

    /// <summary>Until Slack says otherwise, wait this long after a throttle without <c>Retry-After</c>.</summary>
    public static readonly TimeSpan DefaultThrottleWait = TimeSpan.FromSeconds(1);

    /// <summary>The setting a permanent error points at, if any.</summary>
    public static string? Setting(string? error) =>
        error is null ? null : TokenErrors.Contains(error) ? "bot_token" : ChannelErrors.Contains(error) ? "channel" : null;

    /// <summary>The failure for a Web API answer that is not ok.</summary>
    public static DeliveryFailedException ForApi(string system, string method, SlackApiResponse response)
    {
        var error = response.Error;
        var throttled = response.Status == 429 || error is "ratelimited" or "rate_limited";
        if (throttled)
        {
            return new DeliveryFailedException($"{system}: Slack is rate limiting {method} ({error ?? "429"})", response.Status, response.Body,
                retryable: true, response.RetryAfter ?? DefaultThrottleWait, holdsSystem: true);
        }

        var retryable = response.Status >= 500 || response.Status == 408 || (error is not null && Transient.Contains(error));
        var message = $"{system}: Slack answered {response.Status} to {method}" + (error is null ? "" : $" with error {error}");
        if (Setting(error) is { } setting)
        {
            message += $"; check settings.{setting} of system '{system}'";
        }

        return new DeliveryFailedException(message, response.Status, response.Body, retryable, response.RetryAfter);
    }
}
