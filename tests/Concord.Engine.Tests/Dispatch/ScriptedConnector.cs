using System.Collections.Concurrent;
using Concord.Engine.Connectors;
using Concord.Engine.Storage;

namespace Concord.Engine.Tests.Dispatch;

/// <summary>A connector whose answers a test scripts, recording every call in order.</summary>
internal sealed class ScriptedConnector(Func<Delivery, int, CancellationToken, Task<OutboundResult>> answer) : IOutboundConnector
{
    private int _calls;

    public ConcurrentQueue<(Delivery Delivery, DateTimeOffset At)> Calls { get; } = new();

    public TimeProvider? Clock { get; init; }

    public int CallCount => Volatile.Read(ref _calls);

    public Task<OutboundResult> SendAsync(Delivery delivery, CancellationToken cancellationToken)
    {
        var n = Interlocked.Increment(ref _calls);
        Calls.Enqueue((delivery, Clock?.GetUtcNow() ?? DateTimeOffset.UtcNow));
        return answer(delivery, n, cancellationToken);
    }

    public static Task<OutboundResult> Ok(string? externalId = null) => Task.FromResult(new OutboundResult(200, "{}", externalId));

    public static Task<OutboundResult> Fail(int status, bool retryable, TimeSpan? retryAfter = null) =>
        Task.FromException<OutboundResult>(new DeliveryFailedException($"answered {status}", status, "{\"error\":\"x\"}", retryable, retryAfter));
}
