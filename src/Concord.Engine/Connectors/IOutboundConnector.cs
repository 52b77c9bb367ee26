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
    public DeliveryFailedException(string message, int? statusCode, string? body, bool retryable, TimeSpan? retryAfter = null)
        : base(message)
    {
        StatusCode = statusCode;
        Body = body;
        Retryable = retryable;
        RetryAfter = retryAfter;
    }

    public int? StatusCode { get; }

    public string? Body { get; }

    /// <summary>Worth trying again (timeouts, 429, 5xx); false sends the delivery to the dead letter.</summary>
    public bool Retryable { get; }

    /// <summary>The system asked to wait this long (<c>Retry-After</c>).</summary>
    public TimeSpan? RetryAfter { get; }
}
