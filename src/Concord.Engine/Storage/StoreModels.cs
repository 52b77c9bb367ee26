using Concord.Core.Records;

namespace Concord.Engine.Storage;

/// <summary>A crosswalk entry: this record is <paramref name="ExternalId"/> in <paramref name="System"/>.</summary>
public sealed record RecordLink(string System, string Type, string ExternalId, string RecordId, DateTimeOffset LinkedAt);

/// <summary>A record's place under a uniqueness rule: the values it shares with any other record breaking the rule.</summary>
public sealed record RuleKey(string Rule, string Value);

/// <summary>What one change did to a golden record: a version in its history.</summary>
public sealed record RecordEvent(
    string RecordId,
    string Type,
    long Version,
    DateTimeOffset At,
    string Kind,
    string System,
    string ChangeId,
    IReadOnlyList<FieldChange> Changes);

/// <summary>An API key as stored: only its hash.</summary>
public sealed record ApiKeyInfo(string Id, string Name, string Hash, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt = null);

/// <summary>Counts for the health endpoint.</summary>
public sealed record HealthSnapshot
{
    public IReadOnlyDictionary<string, long> RecordsByType { get; init; } = new Dictionary<string, long>();

    public long Conflicts { get; init; }

    public long InboxBacklog { get; init; }

    public long DeliveriesPending { get; init; }

    public long DeliveriesRetrying { get; init; }

    public long DeliveriesDead { get; init; }

    public long AttemptsInWindow { get; init; }

    public long FailedAttemptsInWindow { get; init; }

    /// <summary>Age of the oldest unfinished delivery.</summary>
    public TimeSpan? OldestPendingAge { get; init; }

    public IReadOnlyList<SystemHealth> Systems { get; init; } = [];
}

/// <summary>Delivery figures of one system.</summary>
public sealed record SystemHealth(string System, long Pending, long Retrying, long Dead, long AttemptsInWindow, long FailedInWindow, TimeSpan? OldestPendingAge);

/// <summary>
/// The deliveries to one system that succeeded in one clock hour, and their lag: the time from being enqueued
/// (the change that caused them) to the system accepting them, retries and waits for the circuit included.
/// </summary>
/// <param name="System">The receiving system.</param>
/// <param name="Hour">The start of the hour they succeeded in, UTC.</param>
/// <param name="Delivered">How many succeeded in the hour.</param>
/// <param name="Mean">Their mean lag.</param>
/// <param name="Longest">The longest lag among them.</param>
public sealed record DeliveryLagHour(string System, DateTimeOffset Hour, long Delivered, TimeSpan Mean, TimeSpan Longest);

/// <summary>
/// Traffic of one system as far as the kept log shows it: what older than the log retention was pruned
/// reads as null (never).
/// </summary>
public sealed record SystemActivity(string System, DateTimeOffset? LastInboundAt, DateTimeOffset? LastDeliveredAt, long DeadSince, long FailedSince);
