using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Concord.Engine.Connectors;

namespace Concord.Connectors.Stripe;

/// <summary>
/// A thin client for Stripe's REST API: the secret key as a bearer token, the pinned
/// <c>Stripe-Version</c> on every call, form-encoded bodies with an <c>Idempotency-Key</c> on every
/// POST, and JSON answers. A non-success answer throws <see cref="DeliveryFailedException"/> (see
/// <see cref="StripeErrors"/>); connection failures surface as they are, which the engine treats as transient.
/// </summary>
public sealed class StripeClient(string system, HttpClient http, Uri baseUrl, string apiKey, TimeProvider time)
{
    /// <summary>The API version Concord is written against; the vendor spec used by the contract tests has the same.</summary>
    public const string ApiVersion = "2023-08-16";

    public const string DefaultBaseUrl = "https://api.stripe.com";

    public Task<StripeAnswer> GetAsync(string pathAndQuery, string operation, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, pathAndQuery, null, null, operation, cancellationToken);

    public Task<StripeAnswer> PostAsync(string path, JsonObject parameters, string idempotencyKey, string operation, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, path, parameters, idempotencyKey, operation, cancellationToken);

    public Task<StripeAnswer> DeleteAsync(string path, string operation, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Delete, path, null, null, operation, cancellationToken);

    /// <summary>Sends one call; <paramref name="allowStatus"/> lets a caller take a failure status as an answer (e.g. 404 on delete).</summary>
    public async Task<StripeAnswer> SendAsync(HttpMethod method, string pathAndQuery, JsonObject? form, string? idempotencyKey, string operation,
        CancellationToken cancellationToken, int? allowStatus = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(baseUrl.AbsoluteUri.TrimEnd('/') + pathAndQuery));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        request.Headers.Add("Stripe-Version", ApiVersion);
        if (form is not null)
        {
            request.Content = new StringContent(StripeFormEncoder.Encode(form), Encoding.UTF8);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        }

        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var status = (int)response.StatusCode;
        if (!response.IsSuccessStatusCode && status != allowStatus)
        {
            throw StripeErrors.Failure(system, operation, response, body, time);
        }

        return new StripeAnswer(status, body, StripeErrors.TryParse(body), response.Headers.Contains("Idempotent-Replayed"));
    }

    /// <summary>A path segment or query value, escaped.</summary>
    public static string Escape(string value) => Uri.EscapeDataString(value);
}

/// <summary>One answer from Stripe.</summary>
/// <param name="Status">The HTTP status.</param>
/// <param name="Body">The raw body, for the transaction log.</param>
/// <param name="Json">The body parsed, or null when it is not JSON.</param>
/// <param name="Replayed">Stripe replayed a saved answer for the same <c>Idempotency-Key</c>.</param>
public sealed record StripeAnswer(int Status, string Body, JsonNode? Json, bool Replayed)
{
    public string? Id => Json?["id"]?.GetValue<string>();
}
