using System.Text;
using System.Text.Json.Nodes;
using Concord.Connectors.Vendor;
using Concord.Core.Configuration;
using Concord.Engine.Connectors;
using Concord.Engine.Storage;

namespace Concord.Connectors.Slack;

/// <summary>
/// Posts each delivery as <c>{"text": …}</c> to an incoming webhook URL. Slack answers <c>ok</c> as
/// plain text; its failures are plain-text codes with 4xx statuses (<c>invalid_payload</c>,
/// <c>no_service</c>, <c>channel_is_archived</c>) that no retry will fix, while 429 and 5xx are
/// worth retrying. Incoming webhooks take no metadata, so nothing ties a message to its delivery.
/// </summary>
public sealed class SlackWebhookOutbound(SystemConfig system, HttpClient http, Uri webhookUrl, SlackMessageTemplate template, TimeProvider time) : IOutboundConnector
{
    public async Task<OutboundResult> SendAsync(Delivery delivery, CancellationToken cancellationToken)
    {
        var json = new JsonObject { ["text"] = template.Render(delivery) }.ToJsonString();
        using var request = new HttpRequestMessage(HttpMethod.Post, webhookUrl) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            return new OutboundResult((int)response.StatusCode, body, ExternalId: null);
        }

        var status = (int)response.StatusCode;
        var detail = body.Trim() is { Length: > 0 and <= 100 } code ? code : null;
        if (status is 403 or 404 or 410)
        {
            detail += $"; check settings.webhook_url of system '{system.Name}' (the webhook or its channel is gone)";
        }

        // A 429 holds every delivery to the webhook (DeliveryFailedException does that for 429).
        var throttled = status == 429;
        throw VendorResponse.Failure(system.Name, "the incoming webhook", response, body, time,
            retryable: throttled || status >= 500 || status == 408,
            retryAfter: throttled ? VendorResponse.RetryAfter(response, time) ?? SlackErrors.DefaultThrottleWait : null,
            detail: detail);
    }
}
