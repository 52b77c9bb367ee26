using System.Text.Json.Nodes;

namespace Concord.Engine.Connectors;

/// <summary>
/// A message a flow sends through a system (<c>notify:</c>): the rendered arguments of the step,
/// as written for the system's kind. Slack reads <c>channel</c> and <c>text</c>; email reads
/// <c>to</c>, <c>subject</c> and <c>text</c>; a webhook posts <c>body</c> (or <c>text</c>).
/// </summary>
/// <param name="Args">The step's arguments after rendering (without <c>via</c>).</param>
/// <param name="IdempotencyKey">The same for every attempt of the step; sent where the system honours one.</param>
/// <param name="CorrelationId">The run's id, for the transaction log.</param>
public sealed record Notification(JsonObject Args, string IdempotencyKey, string CorrelationId);

/// <summary>What the system answered: the request as sent (secrets left out) and the response, for the run history.</summary>
public sealed record NotifyResult(int StatusCode, string Request, string? Response, string? ExternalId = null);

/// <summary>
/// Sends flow notifications through one system. Throws <see cref="DeliveryFailedException"/> on an answer
/// that says whether to retry; anything else counts as transient. The flow engine owns the retries.
/// </summary>
public interface INotifier
{
    /// <summary>The argument names the kind understands, for validation and messages.</summary>
    IReadOnlyList<string> Arguments { get; }

    Task<NotifyResult> NotifyAsync(Notification notification, CancellationToken cancellationToken);
}
