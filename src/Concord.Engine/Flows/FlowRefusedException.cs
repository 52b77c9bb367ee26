namespace Concord.Engine.Flows;

/// <summary>A flow that cannot be started, or a run that cannot be replayed, and why; answered 404 or 409.</summary>
public sealed class FlowRefusedException(string message, bool notFound = false) : Exception(message)
{
    public bool NotFound { get; } = notFound;
}
