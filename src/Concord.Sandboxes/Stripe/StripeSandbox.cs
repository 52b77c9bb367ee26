using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Concord.Connectors.Stripe;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Concord.Sandboxes.Stripe;

/// <summary>
/// A stateful stand-in for Stripe's API on loopback: customers, invoices, invoice items, payment
/// intents, subscriptions and the event feed, with Stripe's paths, bearer-key auth and 401 body,
/// list pagination, form bodies in bracket notation, idempotency keys (a replay answers with
/// <c>Idempotent-Replayed: true</c>; a reused key with other parameters is an <c>idempotency_error</c>)
/// and error bodies. Every change appends an event and, with <see cref="VendorSandbox.HubUrl"/> set,
/// posts it as a webhook signed with <c>Stripe-Signature</c>. Given Stripe's OpenAPI specification,
/// it refuses parameters the specification does not have, as Stripe does.
/// </summary>
public sealed partial class StripeSandbox : VendorSandbox
{
    private readonly object _gate = new();
    private readonly List<StripeStored> _all = [];
    private readonly Dictionary<string, StripeStored> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Fingerprint, int Status, string Body)> _idempotency = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _versions = new();
    private readonly StripeSpecCheck? _spec;
    private readonly HttpClient _webhookHttp = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly SemaphoreSlim _webhookOrder = new(1, 1);
    private StripeError? _failNext;
    private Action<JsonObject>? _apiChange;
    private bool _failNextShouldRetry;
    private bool _failNextHasHeader;
    private long _sequence;
    private int _invoiceNumber;
    private int _webhooksSent;
    private int _webhookFailures;

    /// <param name="name">The system's name in the hub (webhooks go to <c>/hooks/{name}</c>).</param>
    /// <param name="apiKey">The secret key calls must carry.</param>
    /// <param name="webhookSecret">The endpoint secret webhooks are signed with.</param>
    /// <param name="specPath">Stripe's OpenAPI specification; with it, unknown parameters are refused.</param>
    public StripeSandbox(string name = "stripe", string apiKey = "sk_test_concord", string webhookSecret = "whsec_concord", string? specPath = null)
        : base(name)
    {
        ApiKey = apiKey;
        WebhookSecret = webhookSecret;
        _spec = specPath is null ? null : new StripeSpecCheck(specPath);
    }

    public string ApiKey { get; }

    public string WebhookSecret { get; }

    public TimeProvider Time { get; set; } = TimeProvider.System;

    /// <summary>Webhooks the hub answered with a 2xx.</summary>
    public int WebhooksSent => Volatile.Read(ref _webhooksSent);

    /// <summary>Webhooks the hub refused or that could not be delivered.</summary>
    public int WebhookFailures => Volatile.Read(ref _webhookFailures);

    /// <summary>The <c>Stripe-Version</c> header of every call, in order.</summary>
    public IReadOnlyList<string> VersionsReceived => _versions.ToArray();

    /// <summary>
    /// The next API call fails with this error; <paramref name="shouldRetry"/> sets Stripe's
    /// <c>Stripe-Should-Retry</c> header (null: no header).
    /// </summary>
    public void FailNext(int status, string type, string? code, string message, bool? shouldRetry = null)
    {
        lock (_gate)
        {
            _failNext = new StripeError(status, type, code, null, message);
            _failNextHasHeader = shouldRetry.HasValue;
            _failNextShouldRetry = shouldRetry ?? false;
        }
    }

    /// <summary>
    /// Behaves as if Stripe changed its API: from now on the object of every event passes through
    /// <paramref name="change"/> (a field dropped, a type changed, a field added) before the event is stored and
    /// sent, so webhooks and <c>GET /v1/events</c> both carry the new shape. Null goes back to the documented shape.
    /// </summary>
    public void ChangeApi(Action<JsonObject>? change)
    {
        lock (_gate)
        {
            _apiChange = change;
        }
    }

    protected override void MapRoutes(WebApplication app) => app.Map("/v1/{**rest}", HandleAsync);

    protected override IResult Throttled(HttpContext context, TimeSpan retryAfter) => Results.Json(
        new StripeError(429, "invalid_request_error", "rate_limit", null,
            "Too many requests hit the API too quickly. We recommend an exponential backoff of your requests.").Body(), statusCode: 429);

    protected override IResult Unavailable(HttpContext context) => Results.Json(
        new StripeError(503, "api_error", null, null, "Stripe is temporarily unavailable. Please try again later.").Body(), statusCode: 503);

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        _versions.Enqueue(request.Headers["Stripe-Version"].FirstOrDefault() ?? "");
        if (Authenticate(request) is { } unauthorized)
        {
            await WriteAsync(context, unauthorized.Status, unauthorized.Body().ToJsonString());
            return;
        }

        var body = "";
        if (request.Method == "POST")
        {
            using var reader = new StreamReader(request.Body, Encoding.UTF8);
            body = await reader.ReadToEndAsync(context.RequestAborted);
        }

        var key = request.Method == "POST" ? request.Headers["Idempotency-Key"].FirstOrDefault() : null;
        var fingerprint = $"{request.Method} {request.Path}\n{body}";
        int status;
        string json;
        var pending = new List<JsonObject>();
        lock (_gate)
        {
            if (key is not null && _idempotency.TryGetValue(key, out var saved))
            {
                if (saved.Fingerprint != fingerprint)
                {
                    var mismatch = new StripeError(400, "idempotency_error", null, null,
                        $"Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '{key}' if you meant to execute a different request.");
                    (status, json) = (mismatch.Status, mismatch.Body().ToJsonString());
                }
                else
                {
                    context.Response.Headers["Idempotent-Replayed"] = "true";
                    (status, json) = (saved.Status, saved.Body);
                }
            }
            else if (_failNext is { } fail)
            {
                _failNext = null;
                if (_failNextHasHeader)
                {
                    context.Response.Headers["Stripe-Should-Retry"] = _failNextShouldRetry ? "true" : "false";
                }

                (status, json) = (fail.Status, fail.Body().ToJsonString());
            }
            else
            {
                var segments = request.Path.Value!.Split('/', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToArray();
                var form = StripeFormDecoder.Decode(body);
                var (result, error) = Route(request.Method, segments, form, request.Query, key, pending);
                (status, json) = error is null ? (200, result!.ToJsonString()) : (error.Status, error.Body().ToJsonString());

                // Stripe keeps the answer of a request that ran; one refused before it ran is not kept.
                if (key is not null && (status < 400 || status == 402))
                {
                    _idempotency[key] = (fingerprint, status, json);
                }
            }
        }

        context.Response.Headers["Request-Id"] = "req_" + RandomId(14);
        await WriteAsync(context, status, json);
        foreach (var e in pending)
        {
            _ = SendWebhookAsync(e);
        }
    }

    private StripeError? Authenticate(HttpRequest request)
    {
        var header = request.Headers.Authorization.FirstOrDefault();
        string? given = null;
        if (header?.StartsWith("Bearer ", StringComparison.Ordinal) == true)
        {
            given = header["Bearer ".Length..].Trim();
        }
        else if (header?.StartsWith("Basic ", StringComparison.Ordinal) == true)
        {
            try
            {
                given = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..].Trim())).Split(':')[0];
            }
            catch (FormatException)
            {
                given = "";
            }
        }

        if (string.IsNullOrEmpty(given))
        {
            return new StripeError(401, "invalid_request_error", null, null,
                "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').");
        }

        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(ApiKey))
            ? null
            : new StripeError(401, "invalid_request_error", null, null, $"Invalid API Key provided: {Mask(given)}");
    }

    private static string Mask(string key) => key.Length <= 12 ? key[..Math.Min(3, key.Length)] + "***" : key[..8] + new string('*', key.Length - 12) + key[^4..];

    private static async Task WriteAsync(HttpContext context, int status, string json)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(json, context.RequestAborted);
    }

    /// <summary>Posts one event to the hub, signed as Stripe signs it. Sends one at a time, in order.</summary>
    private async Task SendWebhookAsync(JsonObject stripeEvent)
    {
        if (HubUrl is not { } hub)
        {
            return;
        }

        var bytes = Encoding.UTF8.GetBytes(stripeEvent.ToJsonString());
        await _webhookOrder.WaitAsync();
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"{hub.TrimEnd('/')}/hooks/{Name}") { Content = new ByteArrayContent(bytes) };
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            request.Headers.Add(StripeSignature.Header, StripeSignature.Sign(WebhookSecret, Time.GetUtcNow().ToUnixTimeSeconds(), bytes));
            using var response = await _webhookHttp.SendAsync(request);
            Interlocked.Increment(ref response.IsSuccessStatusCode ? ref _webhooksSent : ref _webhookFailures);
        }
        catch (HttpRequestException)
        {
            Interlocked.Increment(ref _webhookFailures);
        }
        catch (TaskCanceledException)
        {
            Interlocked.Increment(ref _webhookFailures);
        }
        finally
        {
            _webhookOrder.Release();
        }
    }

    private static string RandomId(int length)
    {
        const string alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        return RandomNumberGenerator.GetString(alphabet, length);
    }

    private long Now => Time.GetUtcNow().ToUnixTimeSeconds();

    private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);
}
