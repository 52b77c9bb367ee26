using System.Text.Json;
using System.Text.Json.Nodes;
using Concord.Connectors.Vendor;
using Concord.Engine.Connectors;

namespace Concord.Connectors.Stripe;

/// <summary>
/// Reads Stripe's error answers (<c>{"error":{"type","code","message","param"}}</c>) into the
/// engine's terms. Stripe's <c>Stripe-Should-Retry</c> header, when present, decides retryability
/// over the status: Stripe knows better than a status code whether the same request can succeed.
/// </summary>
public static class StripeErrors
{
    /// <summary>How long to hold a throttled system when Stripe does not say (it rarely sends <c>Retry-After</c>).</summary>
    public static readonly TimeSpan DefaultThrottleWait = TimeSpan.FromSeconds(1);

    public static DeliveryFailedException Failure(string system, string operation, HttpResponseMessage response, string body, TimeProvider time)
    {
        var status = (int)response.StatusCode;
        var error = TryParse(body)?["error"] as JsonObject;
        var type = Text(error, "type");
        var code = Text(error, "code");
        var message = Text(error, "message");
        var param = Text(error, "param");

        var retryable = VendorResponse.Header(response, "Stripe-Should-Retry") switch
        {
            "true" => true,
            "false" => false,

            // 409: another request with the same Idempotency-Key is still in progress; 402 and
            // other 4xx (card declined, invalid request) fail the same way every time.
            _ => VendorResponse.Retryable(status),
        };
        var retryAfter = VendorResponse.RetryAfter(response, time) ?? (status == 429 ? DefaultThrottleWait : null);

        var detail = status == 401
            ? $"the api_key setting was refused ({message ?? "invalid API key"})"
            : string.Join(" ", new[] { type is null ? null : $"{type}{(code is null ? "" : "/" + code)}:", message, param is null ? null : $"(param {param})" }.Where(p => p is not null));
        return VendorResponse.Failure(system, operation, response, body, time, retryable, retryAfter, detail);
    }

    /// <summary>The Stripe error code (e.g. <c>resource_missing</c>) of a failure, when it has one.</summary>
    public static string? Code(DeliveryFailedException failure) =>
        failure.Body is { } body ? Text(TryParse(body)?["error"] as JsonObject, "code") : null;

    internal static JsonNode? TryParse(string body)
    {
        if (body.Length == 0 || (body[0] != '{' && body[0] != '['))
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(body);
        }
        catch (JsonException)
        {
            // A proxy in front of Stripe may answer with HTML; the status still says enough.
            return null;
        }
    }

    private static string? Text(JsonObject? obj, string name) =>
        obj?[name] is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0 ? s : null;
}
