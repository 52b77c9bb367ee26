using Concord.Core.Configuration;
using Concord.Engine.Connectors;
using Concord.Engine.Storage;

namespace Concord.Connectors.Slack;

/// <summary>
/// Posts each delivery as a message with <c>chat.postMessage</c> to one channel. There is no record
/// to keep in Slack, so no id is linked back. Slack has no idempotency for posting: a retry after a
/// lost answer may post twice (at-least-once); the delivery's key rides along as message metadata.
/// </summary>
public sealed class SlackBotOutbound(SystemConfig system, SlackApiClient client, string channel, SlackMessageTemplate template) : IOutboundConnector
{
    public async Task<OutboundResult> SendAsync(Delivery delivery, CancellationToken cancellationToken)
    {
        var response = await client.PostMessageAsync(channel, template.Render(delivery), delivery.IdempotencyKey, cancellationToken);
        if (!response.Ok)
        {
            throw SlackErrors.ForApi(system.Name, "chat.postMessage", response);
        }

        return new OutboundResult(response.Status, response.Body, ExternalId: null);
    }
}
