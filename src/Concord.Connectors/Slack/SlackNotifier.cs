using System.Text.Json.Nodes;
using Concord.Engine.Connectors;

namespace Concord.Connectors.Slack;

/// <summary>
/// A flow's <c>notify:</c> through a Slack bot: <c>chat.postMessage</c> with <c>text</c> to
/// <c>channel</c> (an id or <c>#name</c>; the system's own channel when not given). The step's
/// idempotency key rides as message metadata, as deliveries' keys do, so a repeated post can be
/// traced to its step. Slack does not deduplicate on it: a retry after a lost answer may post twice.
/// </summary>
public sealed class SlackNotifier(string system, SlackApiClient client, string defaultChannel) : INotifier
{
    public static readonly string[] Args = ["channel", "text"];

    public IReadOnlyList<string> Arguments => Args;

    public async Task<NotifyResult> NotifyAsync(Notification notification, CancellationToken cancellationToken)
    {
        var text = NotifyArgs.RequiredText(notification, system, "text");
        var channel = NotifyArgs.Text(notification, system, "channel") ?? defaultChannel;
        var response = await client.PostMessageAsync(channel, text, notification.IdempotencyKey, cancellationToken);
        if (!response.Ok)
        {
            throw SlackErrors.ForApi(system, "chat.postMessage", response);
        }

        var request = new JsonObject { ["method"] = "chat.postMessage", ["channel"] = channel, ["text"] = text };
        return new NotifyResult(response.Status, request.ToJsonString(), response.Body, response.Text("ts"));
    }
}
