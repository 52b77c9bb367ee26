using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Concord.Connectors.HubSpot;

/// <summary>A HubSpot answer that was a success: its status, raw body and parsed JSON (null when empty).</summary>
public sealed record HubSpotResponse(int Status, string Body, JsonNode? Json);

/// <summary>
/// The calls Concord makes to HubSpot's CRM API: a private-app token as <c>Authorization: Bearer</c>,
/// JSON bodies, and the pinned v3 object paths (v4 for associations). A non-success answer throws
/// the engine's failure (see <see cref="HubSpotErrors"/>).
/// </summary>
public sealed class HubSpotClient(HttpClient http, Uri baseUrl, string token, string system, TimeProvider time)
{
    public const string DefaultBaseUrl = "https://api.hubapi.com";

    public string System => system;

    public static string ObjectsPath(string obj) => $"/crm/v3/objects/{obj}";

    public Task<HubSpotResponse> GetAsync(string path, string operation, CancellationToken ct) => SendAsync(HttpMethod.Get, path, null, operation, ct);

    public Task<HubSpotResponse> PostAsync(string path, JsonNode body, string operation, CancellationToken ct) => SendAsync(HttpMethod.Post, path, body, operation, ct);

    public Task<HubSpotResponse> PatchAsync(string path, JsonNode body, string operation, CancellationToken ct) => SendAsync(HttpMethod.Patch, path, body, operation, ct);

    public Task<HubSpotResponse> PutAsync(string path, string operation, CancellationToken ct) => SendAsync(HttpMethod.Put, path, null, operation, ct);

    public Task<HubSpotResponse> DeleteAsync(string path, string operation, CancellationToken ct) => SendAsync(HttpMethod.Delete, path, null, operation, ct);

    public async Task<HubSpotResponse> SendAsync(HttpMethod method, string path, JsonNode? body, string operation, CancellationToken ct)
    {
        using var response = await SendRawAsync(method, path, body, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
        {
            throw HubSpotErrors.Failure(system, operation, response, text, time);
        }

        return new HubSpotResponse((int)response.StatusCode, text, text.Length > 0 ? JsonNode.Parse(text) : null);
    }

    /// <summary>The call itself, for callers that read the status themselves (the verifier).</summary>
    public async Task<HttpResponseMessage> SendRawAsync(HttpMethod method, string path, JsonNode? body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, new Uri(baseUrl.AbsoluteUri.TrimEnd('/') + path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        return await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct);
    }
}
