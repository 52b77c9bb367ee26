using Concord.Engine.Storage;

namespace Concord.Engine.Connectors;

/// <summary>An inbound HTTP request as a connector sees it: headers (case-insensitive) and the raw body.</summary>
public sealed record InboundRequest(string System, IReadOnlyDictionary<string, string> Headers, ReadOnlyMemory<byte> Body)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var v) ? v : null;
}

/// <summary>
/// Turns a system's webhook into changes: verifies that it really comes from the system, then parses it.
/// A request that fails verification throws <see cref="WebhookRejectedException"/> and nothing is stored.
/// </summary>
public interface IInboundConnector
{
    IReadOnlyList<InboundChange> Receive(InboundRequest request);
}

/// <summary>A webhook that could not be verified (missing, wrong or stale signature): answered 401.</summary>
public sealed class WebhookRejectedException(string message) : Exception(message);
