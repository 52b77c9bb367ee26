namespace Concord.Engine.Storage;

/// <summary>Where a delivery stands.</summary>
public enum DeliveryStatus
{
    /// <summary>Waiting for its first attempt (or a replay).</summary>
    Pending = 0,

    /// <summary>An attempt failed transiently; the next one is scheduled.</summary>
    Retrying = 1,

    Succeeded = 2,

    /// <summary>Failed for good (a permanent error or retries exhausted): visible and replayable.</summary>
    Dead = 3,
}

/// <summary>One outbound operation to one system for one record version.</summary>
public sealed record Delivery
{
    public long Id { get; init; }

    public required string System { get; init; }

    public required string Type { get; init; }

    public required string RecordId { get; init; }

    public long Version { get; init; }

    /// <summary><c>upsert</c> or <c>delete</c>.</summary>
    public required string Operation { get; init; }

    /// <summary>The fields sent, as a JSON object.</summary>
    public required string Payload { get; init; }

    /// <summary>The fields this version changed, as a JSON array.</summary>
    public required string Changed { get; init; }

    /// <summary>Sent as <c>Idempotency-Key</c>: the same for every attempt, new for a replay.</summary>
    public required string IdempotencyKey { get; init; }

    public required string CorrelationId { get; init; }

    public DeliveryStatus Status { get; init; }

    public int Attempts { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset NextAttemptAt { get; init; }

    public DateTimeOffset? CompletedAt { get; init; }

    public string? LastError { get; init; }

    /// <summary>The record's id in the receiving system, when the hub knows it (looked up when claimed).</summary>
    public string? ExternalId { get; init; }

    /// <summary>Who put it back in the queue last, after it died: an API key's name, <c>dashboard:NAME</c> or <c>cli</c>.</summary>
    public string? ReplayedBy { get; init; }

    public DateTimeOffset? ReplayedAt { get; init; }
}

/// <summary>The result of one delivery attempt, written back in a batch.</summary>
/// <param name="DeliveryId">Which delivery.</param>
/// <param name="Status">Succeeded, Retrying (with <paramref name="NextAttemptAt"/>) or Dead.</param>
/// <param name="Attempt">The attempt number (1-based).</param>
/// <param name="StartedAt">When the attempt started.</param>
/// <param name="Duration">How long it took.</param>
/// <param name="ResponseStatus">HTTP status, when there was a response.</param>
/// <param name="ResponseBody">The response body, truncated.</param>
/// <param name="Error">What went wrong, for humans.</param>
/// <param name="NextAttemptAt">When to try again, for Retrying.</param>
/// <param name="ExternalId">The record's id in the receiving system, learned from the response.</param>
public sealed record DeliveryOutcome(
    long DeliveryId,
    DeliveryStatus Status,
    int Attempt,
    DateTimeOffset StartedAt,
    TimeSpan Duration,
    int? ResponseStatus,
    string? ResponseBody,
    string? Error,
    DateTimeOffset? NextAttemptAt,
    string? ExternalId);
