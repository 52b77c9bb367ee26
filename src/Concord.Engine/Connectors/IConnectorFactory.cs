using Concord.Core.Configuration;
using Concord.Engine.Intake;

namespace Concord.Engine.Connectors;

/// <summary>Builds the connectors of configured systems, with their secrets resolved.</summary>
public interface IConnectorFactory : IConnectorCatalog
{
    /// <summary>The outbound side of a system, or null when its kind delivers nothing.</summary>
    IOutboundConnector? CreateOutbound(SystemConfig system, HttpClient http);

    /// <summary>The inbound side of a system, or null when its kind receives no webhooks.</summary>
    IInboundConnector? CreateInbound(SystemConfig system, ChangeIntake intake);
}
