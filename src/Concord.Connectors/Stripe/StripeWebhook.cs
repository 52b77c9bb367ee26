using System.Text.Json;
using System.Text.Json.Nodes;
using Concord.Engine.Connectors;
using Concord.Engine.Intake;
using Concord.Engine.Storage;

namespace Concord.Connectors.Stripe;

/// <summary>
/// Receives Stripe's webhooks: verifies <c>Stripe-Signature</c> against the endpoint secret
/// (<c>whsec_…</c>), then reads the event like the poller does. An event about something the
/// system does not sync is accepted and gives no change, so Stripe does not retry it.
/// </summary>
public sealed class StripeWebhook(string secret, TimeSpan tolerance, TimeProvider time, StripeEventReader reader) : IInboundConnector
{
    public IReadOnlyList<InboundChange> Receive(InboundRequest request)
    {
        if (StripeSignature.Verify(secret, request.Header(StripeSignature.Header), request.Body.Span, time.GetUtcNow(), tolerance) is { } why)
        {
            throw new WebhookRejectedException(why);
        }

        JsonNode? stripeEvent;
        try
        {
            stripeEvent = JsonNode.Parse(request.Body.Span);
        }
        catch (JsonException ex)
        {
            throw new IntakeException(400, "Malformed JSON", "body", ChangeIntake.FirstSentence(ex.Message));
        }

        return reader.Read(stripeEvent, "webhook") is { } change ? [change] : [];
    }
}
