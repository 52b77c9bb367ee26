using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Concord.Core.Configuration;
using Concord.Engine.Connectors;

namespace Concord.Connectors.QuickBooks;

/// <summary>
/// The OAuth2 access token of one system. Access tokens last an hour and are refreshed five minutes
/// early; every refresh returns a NEW refresh token and invalidates the old one, so the new one is
/// stored (encrypted) before it is used, the stored one always wins over the configured one, and
/// refreshes run one at a time — two at once would spend the same refresh token twice.
/// </summary>
public sealed class QuickBooksTokens(SystemConfig system, ConnectorContext context, Uri tokenUrl) : ICredentialExpiry
{
    /// <summary>The credential key of the latest refresh token in the hub's credential store.</summary>
    public const string RefreshTokenKey = "refresh_token";

    /// <summary>
    /// When the latest refresh token expires (Intuit's <c>x_refresh_token_expires_in</c>, about 100 days),
    /// kept beside it: past that day the app must be reconnected by hand.
    /// </summary>
    public const string RefreshTokenExpiresKey = "refresh_token_expires_at";

    public string Credential => "the QuickBooks refresh token";

    public async Task<DateTimeOffset?> ExpiresAtAsync(CancellationToken cancellationToken) =>
        await context.Credentials.GetAsync(system.Name, RefreshTokenExpiresKey, cancellationToken) is { } text
        && DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at)
            ? at
            : null;

    private static readonly TimeSpan Early = TimeSpan.FromMinutes(5);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private string? _accessToken;
    private DateTimeOffset _expiresAt;

    /// <summary>A valid access token, refreshed first when it is missing or about to expire.</summary>
    public async Task<string> AccessTokenAsync(CancellationToken cancellationToken)
    {
        var token = _accessToken;
        if (token is not null && context.Time.GetUtcNow() < _expiresAt - Early)
        {
            return token;
        }

        return await RefreshAsync(token, cancellationToken);
    }

    /// <summary>
    /// Refreshes unless another caller already replaced <paramref name="rejected"/> (the token a
    /// 401 was given for) while this one waited its turn.
    /// </summary>
    public async Task<string> RefreshAsync(string? rejected, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_accessToken is { } current && current != rejected && context.Time.GetUtcNow() < _expiresAt - Early)
            {
                return current;
            }

            var refreshToken = await context.Credentials.GetAsync(system.Name, RefreshTokenKey, cancellationToken)
                ?? context.RequiredSecret(system, "refresh_token");
            using var request = new HttpRequestMessage(HttpMethod.Post, tokenUrl)
            {
                Content = new FormUrlEncodedContent([new("grant_type", "refresh_token"), new("refresh_token", refreshToken)]),
            };
            var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes(ClientId + ":" + context.RequiredSecret(system, "client_secret")));
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", basic);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            // Not the caller's token: once Intuit has issued a new refresh token the old one is dead,
            // so a shutdown or delivery timeout must not abandon the answer before it is stored.
            using var own = new CancellationTokenSource(TimeSpan.FromSeconds(30), context.Time);
            using var response = await context.Http.SendAsync(request, own.Token);
            var body = await response.Content.ReadAsStringAsync(own.Token);
            if (!response.IsSuccessStatusCode)
            {
                throw Rejected(response, body);
            }

            var json = JsonNode.Parse(body) as JsonObject;
            var access = json?["access_token"]?.GetValue<string>();
            var next = json?["refresh_token"]?.GetValue<string>();
            if (access is null || next is null)
            {
                throw new DeliveryFailedException($"{system.Name}: the token endpoint answered without access_token and refresh_token", (int)response.StatusCode, body, retryable: true);
            }

            // Stored before anything else: the old refresh token is already dead.
            await context.Credentials.SetAsync(system.Name, RefreshTokenKey, next, CancellationToken.None);
            if (json?["x_refresh_token_expires_in"] is JsonValue rv && rv.TryGetValue<long>(out var refreshSeconds) && refreshSeconds > 0)
            {
                var expires = context.Time.GetUtcNow() + TimeSpan.FromSeconds(refreshSeconds);
                await context.Credentials.SetAsync(system.Name, RefreshTokenExpiresKey, expires.ToString("O", System.Globalization.CultureInfo.InvariantCulture), CancellationToken.None);
            }

            var lifetime = json?["expires_in"] is JsonValue v && v.TryGetValue<int>(out var seconds) ? seconds : 3600;
            _expiresAt = context.Time.GetUtcNow() + TimeSpan.FromSeconds(lifetime);
            _accessToken = access;
            return access;
        }
        finally
        {
            _gate.Release();
        }
    }

    private string ClientId => system.GetSetting("client_id") ?? throw new InvalidOperationException($"system '{system.Name}' needs settings.client_id");

    private DeliveryFailedException Rejected(HttpResponseMessage response, string body)
    {
        var status = (int)response.StatusCode;
        var error = (JsonNode.Parse(body.Length > 0 && body[0] == '{' ? body : "{}") as JsonObject)?["error"]?.ToString();
        DeliveryFailedException failure = error switch
        {
            "invalid_grant" => new(
                $"{system.Name}: QuickBooks refused the refresh token (invalid_grant): it was revoked, expired or already used; reconnect the app and put the new refresh token in settings.refresh_token",
                status, body, retryable: false),
            "invalid_client" => new(
                $"{system.Name}: QuickBooks refused the app's credentials (invalid_client): check settings.client_id and settings.client_secret",
                status, body, retryable: false),
            _ => new($"{system.Name}: the token endpoint answered {status} {error}", status, body, Vendor.VendorResponse.Retryable(status),
                status == 429 ? Vendor.VendorResponse.RetryAfter(response, context.Time) ?? QuickBooksClient.ThrottleWait : null),
        };
        if (error is "invalid_grant" or "invalid_client")
        {
            failure.Data[QuickBooksClient.SettingKey] = error == "invalid_client" ? "client_id" : "refresh_token";
        }

        return failure;
    }
}
