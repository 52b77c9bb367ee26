using Concord.Connectors;
using Concord.Core.Configuration;
using Concord.Engine.Connectors;

namespace Concord.Cli.Commands;

/// <summary>
/// Connectors for a command that never calls a system itself (queueing a run, a dry run): only what a
/// flow needs to know exists. A system's secrets may be unset in the shell the command runs in; they
/// matter to the hub that executes runs, not here.
/// </summary>
internal sealed class OfflineConnectors : IConnectorFactory
{
    private readonly ConnectorCatalog _catalog = new();

    public IReadOnlyCollection<ConnectorDescriptor> Kinds => _catalog.Kinds;

    public ConnectorDescriptor? Find(string kind) => _catalog.Find(kind);

    public SystemConnectors Create(SystemConfig system, ConnectorContext context) =>
        Find(system.Kind) is { NotifyArguments.Count: > 0 } descriptor ? new SystemConnectors(Notifier: new Unreachable(system.Name, descriptor.NotifyArguments)) : new SystemConnectors();

    /// <summary>Stands for a system that can notify; a dry run never calls it.</summary>
    private sealed class Unreachable(string system, IReadOnlyList<string> arguments) : INotifier
    {
        public IReadOnlyList<string> Arguments => arguments;

        public Task<NotifyResult> NotifyAsync(Notification notification, CancellationToken cancellationToken) =>
            throw new InvalidOperationException($"{system} is not reachable from the command line; a running hub sends this");
    }
}
