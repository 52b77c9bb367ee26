using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Concord.Connectors.Vendor;
using Concord.Engine.Connectors;

namespace Concord.Connectors.Webhook;

/// <summary>
/// A flow's <c>notify:</c> as a JSON POST to a URL of the system's: the step's <c>body</c> as it is,
/// or <c>{"text": …}</c> (the shape chat tools' incoming webhooks take). It carries the step's
/// <c>Idempotency-Key</c> and, with a signing secret, the same signature as the hub's deliveries,
/// so the receiver can check it came from the hub and apply a retried notification once.
/// </summary>
public sealed class WebhookNotifier(string system, HttpClient http, Uri url, string? signingSecret, string? token, TimeProvider time) : INotifier
{
    public static readonly string[] Args = ["body", "text"];

    /// <summary>Names the run that sent a notification, for the receiver's logs.</summary>
    public const string RunHeader = "X-Concord-Run";

    public IReadOnlyList<string> Arguments => Args;

    public async Task<NotifyResult> NotifyAsync(Notification notification, CancellationToken cancellationToken)
    {
        var payload = Payload(notification);
        var bytes = Encoding.UTF8.GetBytes(payload);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Add("Idempotency-Key", notification.IdempotencyKey);
        request.Headers.Add(RunHeader, notification.CorrelationId);
        if (signingSecret is not null)
        {
            var ts = time.GetUtcNow().ToUnixTimeSeconds();
            request.Headers.Add(WebhookSignature.TimestampHeader, ts.ToString(CultureInfo.InvariantCulture));
            request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Sign(signingSecret, ts, bytes));
        }

        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            return new NotifyResult((int)response.StatusCode, payload, body);
        }

        var status = (int)response.StatusCode;
        throw VendorResponse.Failure(system, "a notification", response, body, time, retryable: status is 408 or 425 or 429 || status >= 500);
    }

    private string Payload(Notification notification)
    {
        var body = notification.Args["body"];
        var text = NotifyArgs.Text(notification, system, "text");
        return (body, text) switch
        {
            (not null, not null) => throw NotifyArgs.Invalid(system, "give body or text, not both"),
            (not null, null) => body.ToJsonString(),
            (null, not null) => new JsonObject { ["text"] = text }.ToJsonString(),
            _ => throw NotifyArgs.Invalid(system, "needs body (any JSON) or text"),
        };
    }
}
