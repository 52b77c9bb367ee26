using Concord.Core.Configuration;

namespace Concord.Engine.Connectors;

/// <summary>Builds the connectors of configured systems, with their secrets resolved.</summary>
public interface IConnectorFactory : IConnectorCatalog
{
    /// <summary>The parts of the system's connector its kind has.</summary>
    SystemConnectors Create(SystemConfig system, ConnectorContext context);
}
