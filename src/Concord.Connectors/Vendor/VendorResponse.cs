using System.Globalization;
using Concord.Engine.Connectors;

namespace Concord.Connectors.Vendor;

/// <summary>
/// Turns a vendor's failed answer into the exception the engine acts on: whether to retry, how long
/// to wait, and whether the wait holds every call to the system (throttling) or just this one.
/// </summary>
public static class VendorResponse
{
    /// <summary>Statuses worth retrying: timeouts, throttling and server errors.</summary>
    public static bool Retryable(int status) => status is 408 or 409 or 425 or 429 || status >= 500;

    /// <summary>The wait a response asks for: <c>Retry-After</c> as seconds or a date.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response, TimeProvider time)
    {
        if (response.Headers.RetryAfter is not { } retryAfter)
        {
            return null;
        }

        if (retryAfter.Delta is { } delta)
        {
            return delta;
        }

        return retryAfter.Date is { } date ? date - time.GetUtcNow() : null;
    }

    /// <summary>The failure for a non-success answer; the caller may refine retryability and the wait.</summary>
    public static DeliveryFailedException Failure(string system, string operation, HttpResponseMessage response, string body, TimeProvider time,
        bool? retryable = null, TimeSpan? retryAfter = null, string? detail = null)
    {
        var status = (int)response.StatusCode;
        var message = $"{system} answered {status} {response.ReasonPhrase} to {operation}" + (detail is { Length: > 0 } ? $": {detail}" : "");
        return new DeliveryFailedException(message, status, body, retryable ?? Retryable(status), retryAfter ?? RetryAfter(response, time));
    }

    /// <summary>An integer header, when present.</summary>
    public static long? IntHeader(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) && long.TryParse(values.FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null;

    /// <summary>A header's first value, when present.</summary>
    public static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}
