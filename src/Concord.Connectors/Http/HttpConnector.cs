using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Concord.Connectors.Webhook;
using Concord.Core.Configuration;
using Concord.Engine.Connectors;
using Concord.Engine.Storage;

namespace Concord.Connectors.Http;

/// <summary>
/// The generic outbound connector: POSTs each delivery as JSON to a URL with an
/// <c>Idempotency-Key</c> header and, with a signing secret, Concord's HMAC signature. A 2xx
/// response may name the record's id in the receiving system (<c>external_id</c> or <c>id</c>),
/// which the hub links. Throws on any other answer; the engine decides what to do. Flows'
/// <c>notify:</c> steps POST to the same URL, signed the same way (<see cref="WebhookNotifier"/>).
/// </summary>
public sealed class HttpConnector(SystemConfig system, HttpClient http, string? signingSecret, string? token, TimeProvider time) : IOutboundConnector
{
    public static readonly ConnectorDescriptor Descriptor = new(
        "http",
        "Delivers golden changes as JSON to a URL; with webhook_secret it also receives signed webhooks.",
        Inbound: true,
        Outbound: true,
        [
            new("url", "where deliveries are POSTed", Required: true, IsUrl: true),
            new("format", "envelope (default): id, type, version, operation, fields, changed; fields: the fields object alone", Allowed: ["envelope", "fields"]),
            new("signing_secret", "signs each delivery (X-Concord-Timestamp, X-Concord-Signature)", Secret: true),
            new("token", "sent as Authorization: Bearer", Secret: true),
            new("webhook_secret", "lets the system send signed webhooks to /hooks/<system>", Secret: true),
            new("webhook_mode", "hmac (default) or shared-secret", Allowed: ["hmac", "shared-secret"]),
            new("webhook_header", "the header that carries the webhook signature or secret"),
            new("webhook_tolerance", "how far a webhook's signed timestamp may be from now (default 5m)", IsDuration: true),
        ],
        InboundRequires: "webhook_secret")
    {
        NotifyArguments = WebhookNotifier.Args,
    };

    /// <summary>The <c>http</c> kind.</summary>
    public sealed class Kind : IConnectorKind
    {
        public ConnectorDescriptor Descriptor => HttpConnector.Descriptor;

        public SystemConnectors Create(SystemConfig system, ConnectorContext context) => new(
            Outbound: new HttpConnector(system, context.Http, context.Secret(system, "signing_secret"), context.Secret(system, "token"), context.Time),
            Inbound: system.Secrets.ContainsKey("webhook_secret")
                ? new WebhookConnector(system, WebhookVerifier.FromSettings(system, "webhook_", context.Time, context.Environment), context.Intake)
                : null,
            Notifier: new WebhookNotifier(system.Name, context.Http, new Uri(system.GetSetting("url") ?? throw new InvalidOperationException($"system '{system.Name}' needs settings.url")),
                context.Secret(system, "signing_secret"), context.Secret(system, "token"), context.Time));
    }

    private readonly Uri _url = new(system.GetSetting("url") ?? throw new InvalidOperationException($"system '{system.Name}' needs settings.url"));
    private readonly bool _bareFields = system.GetSetting("format") == "fields";

    public async Task<OutboundResult> SendAsync(Delivery delivery, CancellationToken cancellationToken)
    {
        using var request = BuildRequest(delivery);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var status = (int)response.StatusCode;
        if (response.IsSuccessStatusCode)
        {
            return new OutboundResult(status, body, ExternalIdFrom(body));
        }

        var retryable = status is 408 or 425 or 429 || status >= 500;
        throw new DeliveryFailedException($"{system.Name} answered {status} {response.ReasonPhrase}", status, body, retryable, Vendor.VendorResponse.RetryAfter(response, time));
    }

    private HttpRequestMessage BuildRequest(Delivery delivery)
    {
        HttpRequestMessage request;
        if (_bareFields && delivery.Operation == "delete")
        {
            var id = delivery.ExternalId
                ?? throw new DeliveryFailedException($"{system.Name} never told the hub its id for record {delivery.RecordId}, so there is nothing to delete there", null, null, retryable: false);
            request = new HttpRequestMessage(HttpMethod.Delete, new Uri(_url.AbsoluteUri.TrimEnd('/') + "/" + Uri.EscapeDataString(id)));
        }
        else
        {
            var body = _bareFields ? Encoding.UTF8.GetBytes(delivery.Payload) : Envelope(delivery);
            request = new HttpRequestMessage(HttpMethod.Post, _url) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            if (signingSecret is not null)
            {
                var ts = time.GetUtcNow().ToUnixTimeSeconds();
                request.Headers.Add(WebhookSignature.TimestampHeader, ts.ToString(CultureInfo.InvariantCulture));
                request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Sign(signingSecret, ts, body));
            }
        }

        request.Headers.Add("Idempotency-Key", delivery.IdempotencyKey);
        request.Headers.Add("X-Concord-Delivery", delivery.Id.ToString(CultureInfo.InvariantCulture));
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return request;
    }

    /// <summary>
    /// The envelope: everything a receiver needs to apply the change idempotently and in order.
    /// The stored payload is already JSON, so it is copied in as it is rather than parsed again.
    /// </summary>
    internal static byte[] Envelope(Delivery d)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(d.Payload.Length + 512);
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = Core.Records.JsonText.Options.Encoder }))
        {
            w.WriteStartObject();
            w.WriteNumber("delivery_id", d.Id);
            w.WriteString("idempotency_key", d.IdempotencyKey);
            w.WriteString("type", d.Type);
            w.WriteString("record_id", d.RecordId);
            w.WriteNumber("version", d.Version);
            w.WriteString("operation", d.Operation);
            if (d.ExternalId is null)
            {
                w.WriteNull("external_id");
            }
            else
            {
                w.WriteString("external_id", d.ExternalId);
            }

            w.WritePropertyName("fields");
            w.WriteRawValue(d.Payload, skipInputValidation: true);
            w.WritePropertyName("changed");
            w.WriteRawValue(d.Changed, skipInputValidation: true);
            w.WriteString("correlation_id", d.CorrelationId);
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static string? ExternalIdFrom(string body)
    {
        if (body.Length == 0 || body[0] != '{')
        {
            return null;
        }

        try
        {
            using var doc = JsonDocument.Parse(body);
            foreach (var name in new[] { "external_id", "id" })
            {
                if (doc.RootElement.TryGetProperty(name, out var id))
                {
                    return id.ValueKind switch
                    {
                        JsonValueKind.String => id.GetString(),
                        JsonValueKind.Number => id.GetRawText(),
                        _ => null,
                    };
                }
            }
        }
        catch (JsonException)
        {
            // A receiver may answer with anything; only a JSON object can name an id.
        }

        return null;
    }
}
