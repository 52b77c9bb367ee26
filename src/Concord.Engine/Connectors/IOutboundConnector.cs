using Concord.Engine.Storage;

namespace Concord.Engine.Connectors;

/// <summary>What a system answered to a successful delivery.</summary>
/// <param name="StatusCode">The HTTP status (or the vendor's equivalent).</param>
/// <param name="Body">The response body, for the transaction log (the engine truncates it).</param>
/// <param name="ExternalId">The record's id in the system, when the response names it; the hub links it.</param>
public sealed record OutboundResult(int StatusCode, string? Body, string? ExternalId);

/// <summary>
/// Sends deliveries to one system. Connectors throw on failure (a <see cref="DeliveryFailedException"/>
/// for an answer that says whether to retry; anything else counts as transient); the engine owns
/// retries, backoff, the circuit breaker, rate limits and the dead letter.
/// </summary>
public interface IOutboundConnector
{
    Task<OutboundResult> SendAsync(Delivery delivery, CancellationToken cancellationToken);
}

/// <summary>A system answered, and the answer was not a success.</summary>
public sealed class DeliveryFailedException : Exception
{
    public DeliveryFailedException(string message, int? statusCode, string? body, bool retryable, TimeSpan? retryAfter = null, bool holdsSystem = false)
        : base(message)
    {
        StatusCode = statusCode;
        Body = body;
        Retryable = retryable;
        RetryAfter = retryAfter;
        HoldsSystem = holdsSystem || statusCode == 429;
    }

    /// <summary>
    /// The delivery must wait for something else to happen first (e.g. the customer an invoice names
    /// has not reached the system yet). The system is fine: the circuit breaker is not touched, and
    /// the delivery is retried after <see cref="RetryAfter"/> without ever being dead-lettered for it.
    /// </summary>
    public static DeliveryFailedException Deferred(string message, TimeSpan retryAfter) =>
        new(message, null, null, retryable: true, retryAfter) { IsDeferred = true };

    public bool IsDeferred { get; private init; }

    /// <summary>
    /// The answer applies to every call to the system, not just this delivery (a 429, or a vendor's
    /// own throttling signal): every delivery to it waits <see cref="RetryAfter"/>.
    /// </summary>
    public bool HoldsSystem { get; }

    public int? StatusCode { get; }

    public string? Body { get; }

    /// <summary>Worth trying again (timeouts, 429, 5xx); false sends the delivery to the dead letter.</summary>
    public bool Retryable { get; }

    /// <summary>The system asked to wait this long (<c>Retry-After</c>).</summary>
    public TimeSpan? RetryAfter { get; }
}
