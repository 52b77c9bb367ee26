using Concord.Core.Configuration;
using Concord.Engine.Connectors;
using Concord.Engine.Intake;
using Concord.Engine.Storage;

namespace Concord.Connectors.Webhook;

/// <summary>
/// The generic inbound connector: verifies the webhook, then reads either Concord's own change
/// format or, with a <c>mapping:</c>, the sender's raw JSON. With a <c>url</c> it is also a target
/// for flows' <c>notify:</c> steps (<see cref="WebhookNotifier"/>).
/// </summary>
public sealed class WebhookConnector(SystemConfig system, WebhookVerifier verifier, ChangeIntake intake) : IInboundConnector
{
    public static readonly ConnectorDescriptor Descriptor = new(
        "webhook",
        "Receives signed webhooks (Concord's change format, or any JSON with a mapping); with url, flows can notify it.",
        Inbound: true,
        Outbound: false,
        [
            new("secret", "the shared secret that signs (or authenticates) each webhook", Secret: true, Required: true),
            new("mode", "hmac (default): HMAC-SHA256 over timestamp and body; shared-secret: the secret itself in a header", Allowed: ["hmac", "shared-secret"]),
            new("header", "the header that carries the signature or the secret (default X-Concord-Signature, or X-Concord-Token for shared-secret)"),
            new("tolerance", "how far the signed timestamp may be from now (default 5m)", IsDuration: true),
            new("url", "where flows' notify steps POST (without it, the system cannot be notified)", IsUrl: true),
            new("signing_secret", "signs each notification (X-Concord-Timestamp, X-Concord-Signature)", Secret: true),
            new("token", "sent with each notification as Authorization: Bearer", Secret: true),
        ])
    {
        NotifyArguments = WebhookNotifier.Args,
    };

    /// <summary>The <c>webhook</c> kind.</summary>
    public sealed class Kind : IConnectorKind
    {
        public ConnectorDescriptor Descriptor => WebhookConnector.Descriptor;

        public SystemConnectors Create(SystemConfig system, ConnectorContext context) =>
            new(Inbound: new WebhookConnector(system, WebhookVerifier.FromSettings(system, "", context.Time, context.Environment), context.Intake),
                Notifier: system.GetSetting("url") is { } url
                    ? new WebhookNotifier(system.Name, context.Http, new Uri(url), context.Secret(system, "signing_secret"), context.Secret(system, "token"), context.Time)
                    : null);
    }

    private readonly PayloadMapper? _mapper = system.Mapping is { } m ? new PayloadMapper(m) : null;

    public IReadOnlyList<InboundChange> Receive(InboundRequest request)
    {
        verifier.Verify(request);
        if (_mapper is null)
        {
            return intake.ParseBatch(system.Name, request.Body, "webhook");
        }

        // A mapped payload is the sender's own object: its shape is learned, to see the sender change it.
        var (batch, payloads) = _mapper.Map(request);
        var changes = intake.ParseBatch(system.Name, batch, "webhook");
        return changes.Count == payloads.Count ? changes.Select((c, i) => c with { VendorObject = payloads[i] }).ToList() : changes;
    }
}
