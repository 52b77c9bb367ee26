using Concord.Connectors.Http;
using Concord.Connectors.Webhook;
using Concord.Core.Configuration;
using Concord.Engine.Connectors;
using Concord.Engine.Intake;

namespace Concord.Connectors;

/// <summary>The connector kinds this build of Concord knows, and how to build each.</summary>
public sealed class ConnectorCatalog(TimeProvider time, Func<string, string?>? environment = null) : IConnectorFactory
{
    private static readonly ConnectorDescriptor[] All = [WebhookConnector.Descriptor, HttpConnector.Descriptor];

    public IReadOnlyCollection<ConnectorDescriptor> Kinds => All;

    public ConnectorDescriptor? Find(string kind) => All.FirstOrDefault(k => k.Kind == kind);

    public IOutboundConnector? CreateOutbound(SystemConfig system, HttpClient http) => system.Kind switch
    {
        "http" => new HttpConnector(system, http, Secret(system, "signing_secret"), Secret(system, "token"), time),
        _ => null,
    };

    public IInboundConnector? CreateInbound(SystemConfig system, ChangeIntake intake) => system.Kind switch
    {
        "webhook" => new WebhookConnector(system, WebhookVerifier.FromSettings(system, "", time, environment), intake),
        "http" when system.Secrets.ContainsKey("webhook_secret") => new WebhookConnector(system, WebhookVerifier.FromSettings(system, "webhook_", time, environment), intake),
        _ => null,
    };

    private string? Secret(SystemConfig system, string name)
    {
        if (!system.Secrets.TryGetValue(name, out var secret))
        {
            return null;
        }

        return secret.Resolve(environment)
            ?? throw new InvalidOperationException($"environment variable {secret.EnvironmentVariable} (systems.{system.Name}.settings.{name}) is not set");
    }
}
