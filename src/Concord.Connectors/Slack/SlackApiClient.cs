using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Concord.Connectors.Vendor;

namespace Concord.Connectors.Slack;

/// <summary>
/// The few Web API methods the connector calls, with the bot token as <c>Authorization: Bearer</c>.
/// Bodies are form-encoded: every Web API method accepts that, while JSON bodies are not accepted
/// by every method. Slack answers most failures with HTTP 200 and <c>{"ok":false,"error":…}</c>,
/// so the caller reads <see cref="SlackApiResponse.Ok"/> rather than the status alone.
/// </summary>
public sealed class SlackApiClient(HttpClient http, Uri baseUrl, string botToken, TimeProvider time)
{
    /// <summary>Where the Web API lives; methods are paths under it.</summary>
    public const string DefaultBaseUrl = "https://slack.com/api";

    /// <summary>The <c>metadata.event_type</c> that carries a delivery's idempotency key.</summary>
    public const string DeliveryEventType = "concord_delivery";

    /// <summary>
    /// <c>chat.postMessage</c>. The idempotency key travels as message metadata: Slack itself does
    /// not deduplicate on it, but it lets anyone find which delivery posted a message (and a repeat).
    /// </summary>
    public Task<SlackApiResponse> PostMessageAsync(string channel, string text, string idempotencyKey, CancellationToken cancellationToken)
    {
        var metadata = new JsonObject
        {
            ["event_type"] = DeliveryEventType,
            ["event_payload"] = new JsonObject { ["idempotency_key"] = idempotencyKey },
        };
        return SendAsync(HttpMethod.Post, "chat.postMessage", new Dictionary<string, string>
        {
            ["channel"] = channel,
            ["text"] = text,
            ["metadata"] = metadata.ToJsonString(),
        }, cancellationToken);
    }

    /// <summary><c>auth.test</c>: whether the token is valid, and whose it is.</summary>
    public Task<SlackApiResponse> AuthTestAsync(CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, "auth.test", null, cancellationToken);

    /// <summary><c>conversations.info</c> for a channel id.</summary>
    public Task<SlackApiResponse> ConversationInfoAsync(string channel, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, "conversations.info?channel=" + Uri.EscapeDataString(channel), null, cancellationToken);

    private async Task<SlackApiResponse> SendAsync(HttpMethod method, string path, Dictionary<string, string>? form, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(baseUrl.AbsoluteUri.TrimEnd('/') + "/" + path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", botToken);
        if (form is not null)
        {
            request.Content = new FormUrlEncodedContent(form);
        }

        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        return new SlackApiResponse((int)response.StatusCode, response.ReasonPhrase, VendorResponse.RetryAfter(response, time), body, Parse(body));
    }

    private static JsonObject? Parse(string body)
    {
        if (body.Length == 0 || body[0] != '{')
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
            // A proxy's error page is not Slack's JSON; the status says what happened.
            return null;
        }
    }
}

/// <summary>One Web API answer: the HTTP status, the wait Slack asked for, the body and its JSON.</summary>
/// <param name="Status">The HTTP status.</param>
/// <param name="Reason">The HTTP reason phrase.</param>
/// <param name="RetryAfter">The response's <c>Retry-After</c>.</param>
/// <param name="Body">The raw body.</param>
/// <param name="Json">The body as a JSON object, when it is one.</param>
public sealed record SlackApiResponse(int Status, string? Reason, TimeSpan? RetryAfter, string Body, JsonObject? Json)
{
    /// <summary>A 2xx whose JSON says <c>"ok": true</c>.</summary>
    public bool Ok => Status is >= 200 and < 300 && Json?["ok"] is JsonValue ok && ok.TryGetValue<bool>(out var b) && b;

    /// <summary>Slack's error code (<c>invalid_auth</c>, <c>channel_not_found</c>…), when it gave one.</summary>
    public string? Error => Json?["error"] is JsonValue e && e.TryGetValue<string>(out var s) ? s : null;

    public string? Text(string name) => Json?[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
