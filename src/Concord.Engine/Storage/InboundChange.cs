using System.Text.Json.Nodes;
using Concord.Core.Records;

namespace Concord.Engine.Storage;

/// <summary>A validated change on its way into the inbox, with what the transaction log keeps of it.</summary>
/// <param name="ChangeId">The hub's id for the change; also the correlation id of everything it causes.</param>
/// <param name="Change">The change itself.</param>
/// <param name="Payload">The change as received (PII masked), for the transaction log.</param>
/// <param name="ReceivedAt">When the hub received it.</param>
/// <param name="Via">How it arrived: <c>api</c> or <c>webhook</c>.</param>
public sealed record InboundChange(string ChangeId, Change Change, string Payload, DateTimeOffset ReceivedAt, string Via)
{
    /// <summary>
    /// The system's own object the change was read from (a Stripe customer, a HubSpot contact, a mapped webhook's body),
    /// when the connector had it whole; null for changes that carry only what changed. Not stored: the shape
    /// learner reads its field names and JSON kinds (never its values) to see a vendor change its payloads.
    /// </summary>
    public JsonObject? VendorObject { get; init; }
}

/// <summary>What the inbox did with one change.</summary>
/// <param name="EventId">The system's event id.</param>
/// <param name="ChangeId">The id under which it is stored (the earlier one for a duplicate).</param>
/// <param name="Duplicate">The (system, event id) had been accepted before; nothing was stored.</param>
public sealed record AcceptOutcome(string EventId, string ChangeId, bool Duplicate);
