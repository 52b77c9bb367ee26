namespace Concord.Sandboxes.Slack;

/// <summary>A message the Slack sandbox shows in a channel.</summary>
/// <param name="Channel">The channel id.</param>
/// <param name="Text">The message text.</param>
/// <param name="Ts">Slack's message timestamp, which is also its id in the channel.</param>
/// <param name="DeliveryKey">The idempotency key carried in <c>metadata.event_payload</c>, if any.</param>
/// <param name="Via"><c>chat.postMessage</c> or <c>webhook</c>.</param>
public sealed record SlackMessage(string Channel, string Text, string Ts, string? DeliveryKey, string Via);

/// <summary>A channel of the sandbox workspace.</summary>
/// <param name="Id">The channel id (C…).</param>
/// <param name="Name">Its name, without #.</param>
/// <param name="IsMember">Whether the sandbox's bot has been invited.</param>
/// <param name="IsArchived">Archived channels take no messages.</param>
public sealed record SlackChannel(string Id, string Name, bool IsMember = true, bool IsArchived = false);
