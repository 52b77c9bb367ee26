using System.Text.Json;
using Concord.Connectors.Vendor;
using Concord.Engine.Connectors;

namespace Concord.Connectors.HubSpot;

/// <summary>
/// Reads HubSpot's error body (<c>{status, message, correlationId, category, errors[], context}</c>, or
/// <c>policyName</c> on a 429) into the failure the engine acts on.
/// </summary>
public static class HubSpotErrors
{
    /// <summary>The rolling window a <c>TEN_SECONDLY_ROLLING</c> 429 refers to: waiting it out always clears it.</summary>
    public static readonly TimeSpan SecondlyWait = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long to hold the system after the daily limit without a <c>Retry-After</c>: the daily
    /// limit resets at midnight in the account's time zone, which the API does not say, so Concord
    /// probes again hourly instead of guessing.
    /// </summary>
    public static readonly TimeSpan DailyWait = TimeSpan.FromHours(1);

    public static DeliveryFailedException Failure(string system, string operation, HttpResponseMessage response, string body, TimeProvider time)
    {
        var status = (int)response.StatusCode;
        var (message, category, policy) = Read(body);
        var detail = string.Join(" ", new[] { category, message }.Where(s => !string.IsNullOrEmpty(s)));
        return status switch
        {
            401 => VendorResponse.Failure(system, operation, response, body, time, retryable: false,
                detail: $"{detail} (check settings.access_token: the private app's access token)"),
            403 => VendorResponse.Failure(system, operation, response, body, time, retryable: false,
                detail: $"{detail} (the private app lacks a scope this call needs)"),

            // A conflict (an email another contact already has) will not go away by itself.
            409 => VendorResponse.Failure(system, operation, response, body, time, retryable: false, detail: detail),
            429 => VendorResponse.Failure(system, operation, response, body, time, retryable: true,
                retryAfter: VendorResponse.RetryAfter(response, time) ?? (policy is "DAILY" ? DailyWait : SecondlyWait),
                detail: $"{policy ?? "rate limit"}: {message}"),
            _ => VendorResponse.Failure(system, operation, response, body, time, detail: detail),
        };
    }

    /// <summary>The message, category and policy name of an error body; nulls when it is not HubSpot's JSON.</summary>
    public static (string? Message, string? Category, string? Policy) Read(string body)
    {
        if (body.Length == 0 || body[0] != '{')
        {
            return (null, null, null);
        }

        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            return (Text(root, "message"), Text(root, "category") ?? Text(root, "errorType"), Text(root, "policyName"));
        }
        catch (JsonException)
        {
            return (null, null, null);
        }
    }

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
