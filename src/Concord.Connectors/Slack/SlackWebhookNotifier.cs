using System.Text;
using System.Text.Json.Nodes;
using Concord.Connectors.Vendor;
using Concord.Engine.Connectors;

namespace Concord.Connectors.Slack;

/// <summary>
/// A flow's <c>notify:</c> through an incoming webhook: <c>{"text": …}</c> to the webhook URL, which
/// posts into the one channel it was created for. A <c>channel</c> argument is refused rather than
/// ignored — the message would land somewhere the flow did not say. Incoming webhooks take no
/// metadata, so nothing ties the message to its step.
/// </summary>
public sealed class SlackWebhookNotifier(string system, HttpClient http, Uri webhookUrl, TimeProvider time) : INotifier
{
    public IReadOnlyList<string> Arguments => SlackNotifier.Args;

    public async Task<NotifyResult> NotifyAsync(Notification notification, CancellationToken cancellationToken)
    {
        var text = NotifyArgs.RequiredText(notification, system, "text");
        if (NotifyArgs.Text(notification, system, "channel") is { } channel)
        {
            throw NotifyArgs.Invalid(system, $"an incoming webhook posts only to the channel it was created for, so channel ({channel}) cannot be chosen: " +
                "remove channel from the step, or give the system a bot_token");
        }

        var json = new JsonObject { ["text"] = text }.ToJsonString();
        using var request = new HttpRequestMessage(HttpMethod.Post, webhookUrl) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var status = (int)response.StatusCode;
        if (response.IsSuccessStatusCode)
        {
            return new NotifyResult(status, json, body);
        }

        var throttled = status == 429;
        throw VendorResponse.Failure(system, "the incoming webhook", response, body, time,
            retryable: throttled || status >= 500 || status == 408,
            retryAfter: throttled ? VendorResponse.RetryAfter(response, time) ?? SlackErrors.DefaultThrottleWait : null,
            detail: body.Trim() is { Length: > 0 and <= 100 } code ? code : null);
    }
}
