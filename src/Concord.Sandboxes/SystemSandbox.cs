using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Concord.Connectors.Webhook;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Concord.Sandboxes;

/// <summary>
/// A stand-in for a business system (a CRM, billing, accounting): a real HTTP server on loopback
/// with its own records. It receives Concord's deliveries (verifying their signature, honouring
/// <c>Idempotency-Key</c>), and when a person edits a record it posts a signed webhook to the hub,
/// as the real tools do. It can be taken down to show retries and catch-up.
/// </summary>
public sealed class SystemSandbox : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, SandboxRecord> _records = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _idempotent = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly string _prefix;
    private readonly string? _deliverySecret;
    private WebApplication? _app;
    private int _nextId;
    private int _nextEvent;

    /// <param name="name">The system's name in the hub's configuration.</param>
    /// <param name="idPrefix">How this system's ids look, e.g. <c>cus_</c>.</param>
    /// <param name="webhookSecret">Signs the webhooks it sends to the hub.</param>
    /// <param name="deliverySecret">When set, deliveries must carry a valid Concord signature.</param>
    public SystemSandbox(string name, string idPrefix, string webhookSecret, string? deliverySecret)
    {
        Name = name;
        _prefix = idPrefix;
        WebhookSecret = webhookSecret;
        _deliverySecret = deliverySecret;
    }

    public string Name { get; }

    public string WebhookSecret { get; }

    /// <summary>Where the hub is; webhooks go to <c>{HubUrl}/hooks/{Name}</c>.</summary>
    public string? HubUrl { get; set; }

    /// <summary>Where the hub delivers to.</summary>
    public string DeliveryUrl => $"{Url}/concord";

    public string Url { get; private set; } = "";

    /// <summary>While true every request is answered 503, as a system in maintenance would.</summary>
    public bool Down { get; set; }

    /// <summary>Post a webhook for changes the hub made too (real systems do); the hub must not loop on them.</summary>
    public bool EchoHubChanges { get; set; } = true;

    public int DeliveriesReceived => _deliveriesReceived;

    public int DeliveriesRefused => _deliveriesRefused;

    public int DuplicateDeliveries => _duplicateDeliveries;

    public int WebhooksSent => _webhooksSent;

    private int _deliveriesReceived;
    private int _deliveriesRefused;
    private int _duplicateDeliveries;
    private int _webhooksSent;

    public IReadOnlyCollection<SandboxRecord> Records => _records.Values.ToList();

    public SandboxRecord? Find(string type, Func<SandboxRecord, bool> predicate) => _records.Values.FirstOrDefault(r => r.Type == type && predicate(r));

    public SandboxRecord? Get(string id) => _records.GetValueOrDefault(id);

    public async Task StartAsync(int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        _app = builder.Build();
        _app.MapPost("/concord", ReceiveAsync);
        _app.MapGet("/records", () => Results.Json(_records.Values.Select(r => new { r.Id, r.Type, r.Fields })));
        await _app.StartAsync();
        Url = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
    }

    /// <summary>A person creates a record in the system; the system tells the hub.</summary>
    public async Task<SandboxRecord> CreateAsync(string type, JsonObject fields, CancellationToken cancellationToken = default)
    {
        var record = new SandboxRecord { Id = NewId(), Type = type, Fields = (JsonObject)fields.DeepClone() };
        _records[record.Id] = record;
        await NotifyHubAsync(record, fields, cancellationToken);
        return record;
    }

    /// <summary>A person edits a record in the system; the system tells the hub what changed.</summary>
    public async Task UpdateAsync(string id, JsonObject changes, CancellationToken cancellationToken = default)
    {
        var record = _records[id];
        lock (_gate)
        {
            foreach (var (k, v) in changes)
            {
                record.Fields[k] = v?.DeepClone();
            }
        }

        await NotifyHubAsync(record, changes, cancellationToken);
    }

    private string NewId() => _prefix + Interlocked.Increment(ref _nextId).ToString("D4", CultureInfo.InvariantCulture);

    /// <summary>Posts a signed webhook; retries a few times, as vendors do, if the hub is unreachable.</summary>
    private async Task NotifyHubAsync(SandboxRecord record, JsonObject fields, CancellationToken cancellationToken)
    {
        if (HubUrl is null)
        {
            return;
        }

        var change = new JsonObject
        {
            ["type"] = record.Type,
            ["external_id"] = record.Id,
            ["event_id"] = $"{Name}-evt-{Interlocked.Increment(ref _nextEvent)}",
            ["occurred_at"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
            ["fields"] = fields.DeepClone(),
        };
        var body = Encoding.UTF8.GetBytes(new JsonObject { ["changes"] = new JsonArray(change) }.ToJsonString());
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var ts = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
                using var request = new HttpRequestMessage(HttpMethod.Post, $"{HubUrl}/hooks/{Name}") { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = new("application/json");
                request.Headers.Add(WebhookSignature.TimestampHeader, ts.ToString(CultureInfo.InvariantCulture));
                request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Sign(WebhookSecret, ts, body));
                using var response = await _http.SendAsync(request, cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref _webhooksSent);
                    return;
                }

                if ((int)response.StatusCode < 500 || attempt >= 5)
                {
                    throw new InvalidOperationException($"{Name}: the hub refused the webhook: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
                }
            }
            catch (HttpRequestException) when (attempt < 5)
            {
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt), cancellationToken);
        }
    }

    private async Task<IResult> ReceiveAsync(HttpRequest request)
    {
        if (Down)
        {
            Interlocked.Increment(ref _deliveriesRefused);
            return Results.Json(new { error = $"{Name} is down for maintenance" }, statusCode: 503);
        }

        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer);
        var body = buffer.ToArray();
        if (_deliverySecret is not null)
        {
            var why = WebhookSignature.Verify(_deliverySecret, request.Headers[WebhookSignature.TimestampHeader], request.Headers[WebhookSignature.SignatureHeader],
                body, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5));
            if (why is not null)
            {
                return Results.Json(new { error = why }, statusCode: 401);
            }
        }

        var key = request.Headers["Idempotency-Key"].ToString();
        if (key.Length > 0 && _idempotent.TryGetValue(key, out var previous))
        {
            Interlocked.Increment(ref _duplicateDeliveries);
            return Results.Text(previous, "application/json");
        }

        var envelope = JsonNode.Parse(body)!.AsObject();
        var type = (string)envelope["type"]!;
        var operation = (string)envelope["operation"]!;
        var hubId = (string)envelope["record_id"]!;
        var version = (long)envelope["version"]!;
        var externalId = (string?)envelope["external_id"];
        var fields = envelope["fields"]!.AsObject();
        Interlocked.Increment(ref _deliveriesReceived);

        SandboxRecord record;
        lock (_gate)
        {
            record = (externalId is not null ? _records.GetValueOrDefault(externalId) : null)
                ?? _records.Values.FirstOrDefault(r => r.HubRecordId == hubId)
                ?? new SandboxRecord { Id = NewId(), Type = type };
            if (operation == "delete")
            {
                _records.TryRemove(record.Id, out _);
            }
            else if (version >= record.HubVersion)
            {
                foreach (var (k, v) in fields)
                {
                    record.Fields[k] = v?.DeepClone();
                }

                record.HubRecordId = hubId;
                record.HubVersion = version;
                _records[record.Id] = record;
            }
        }

        var answer = JsonSerializer.Serialize(new { external_id = record.Id });
        if (key.Length > 0)
        {
            _idempotent[key] = answer;
        }

        if (EchoHubChanges && operation != "delete")
        {
            // Like HubSpot or Stripe, the system reports the change it just received. Fire and
            // forget: the hub answers the delivery first, and must recognise this as an echo.
            _ = Task.Run(() => NotifyHubAsync(record, (JsonObject)record.Fields.DeepClone(), CancellationToken.None));
        }

        return Results.Text(answer, "application/json");
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        _http.Dispose();
    }
}
