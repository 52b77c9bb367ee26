using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Concord.Connectors.Vendor;
using Concord.Core.Configuration;
using Concord.Engine.Connectors;

namespace Concord.Connectors.QuickBooks;

/// <summary>
/// Calls to one QuickBooks company: <c>/v3/company/{realm}/…</c> with the access token and the
/// pinned <c>minorversion</c>. A 401 refreshes the token once and repeats the call; any other
/// failure becomes the <see cref="DeliveryFailedException"/> the engine acts on.
/// </summary>
public sealed class QuickBooksClient
{
    /// <summary>Key in <see cref="Exception.Data"/> naming the setting a failure is about.</summary>
    public const string SettingKey = "concord.setting";

    /// <summary>Key in <see cref="Exception.Data"/> holding the QuickBooks Fault error code.</summary>
    public const string FaultCodeKey = "quickbooks.code";

    /// <summary>QuickBooks' documented wait after a 429 when it does not say.</summary>
    public static readonly TimeSpan ThrottleWait = TimeSpan.FromSeconds(60);

    private readonly SystemConfig _system;
    private readonly ConnectorContext _context;
    private readonly QuickBooksTokens _tokens;
    private readonly string _companyUrl;

    public QuickBooksClient(SystemConfig system, ConnectorContext context)
    {
        _system = system;
        _context = context;
        RealmId = system.GetSetting("realm_id") ?? throw new InvalidOperationException($"system '{system.Name}' needs settings.realm_id");
        var baseUrl = (system.GetSetting("base_url") ?? "https://quickbooks.api.intuit.com").TrimEnd('/');
        _companyUrl = $"{baseUrl}/v3/company/{Uri.EscapeDataString(RealmId)}/";
        _tokens = new QuickBooksTokens(system, context, new Uri(system.GetSetting("token_url") ?? "https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer"));
    }

    public string RealmId { get; }

    /// <summary>The system's OAuth tokens, which also say when the refresh token expires.</summary>
    public QuickBooksTokens Tokens => _tokens;

    public string SystemName => _system.Name;

    /// <summary>GETs <paramref name="path"/> (relative to the company) with query parameters.</summary>
    public Task<JsonObject> GetAsync(string path, IEnumerable<KeyValuePair<string, string>> query, string operation, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, path, query, null, operation, cancellationToken);

    /// <summary>POSTs a JSON body to <paramref name="path"/> (relative to the company).</summary>
    public Task<JsonObject> PostAsync(string path, IEnumerable<KeyValuePair<string, string>> query, JsonObject body, string operation, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, path, query, body, operation, cancellationToken);

    private async Task<JsonObject> SendAsync(HttpMethod method, string path, IEnumerable<KeyValuePair<string, string>> query, JsonObject? body, string operation,
        CancellationToken cancellationToken)
    {
        var url = _companyUrl + path + "?" + string.Join('&', query.Append(new("minorversion", QuickBooksConnector.MinorVersion))
            .Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)));
        var payload = body?.ToJsonString();
        var token = await _tokens.AccessTokenAsync(cancellationToken);
        for (var attempt = 1; ; attempt++)
        {
            using var request = new HttpRequestMessage(method, url);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            if (payload is not null)
            {
                request.Content = new StringContent(payload, Encoding.UTF8, "application/json");
            }

            using var response = await _context.Http.SendAsync(request, cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                return JsonNode.Parse(text) as JsonObject ?? throw new DeliveryFailedException($"{_system.Name} answered {operation} with something other than a JSON object", (int)response.StatusCode, text, retryable: true);
            }

            if (response.StatusCode == HttpStatusCode.Unauthorized && attempt == 1)
            {
                // Revoked or expired early: one refresh, one more try; a second 401 is final.
                token = await _tokens.RefreshAsync(token, cancellationToken);
                continue;
            }

            throw Failure(operation, response, text);
        }
    }

    private DeliveryFailedException Failure(string operation, HttpResponseMessage response, string body)
    {
        var fault = QuickBooksFault.Parse(body);
        var status = (int)response.StatusCode;
        DeliveryFailedException failure;
        if (status == 429)
        {
            failure = VendorResponse.Failure(_system.Name, operation, response, body, _context.Time,
                retryable: true, retryAfter: VendorResponse.RetryAfter(response, _context.Time) ?? ThrottleWait, detail: fault?.Summary);
        }
        else if (status == 401)
        {
            failure = VendorResponse.Failure(_system.Name, operation, response, body, _context.Time, retryable: false,
                detail: $"{fault?.Summary ?? "authentication failed"} even with a fresh access token; reconnect the app (settings.refresh_token) or check settings.client_id");
            failure.Data[SettingKey] = "refresh_token";
        }
        else if (status == 403)
        {
            failure = VendorResponse.Failure(_system.Name, operation, response, body, _context.Time, retryable: false,
                detail: $"{fault?.Summary ?? "not authorised"}; the app is not connected to company {RealmId} (settings.realm_id) or lacks the accounting scope");
            failure.Data[SettingKey] = "realm_id";
        }
        else if (fault?.Code == "6240")
        {
            failure = VendorResponse.Failure(_system.Name, operation, response, body, _context.Time, retryable: false,
                detail: $"another QuickBooks customer, vendor or employee already has this name ({fault.Summary}); QuickBooks needs display names to be unique");
        }
        else
        {
            failure = VendorResponse.Failure(_system.Name, operation, response, body, _context.Time, detail: fault?.Summary);
        }

        if (fault?.Code is { } code)
        {
            failure.Data[FaultCodeKey] = code;
        }

        return failure;
    }
}
