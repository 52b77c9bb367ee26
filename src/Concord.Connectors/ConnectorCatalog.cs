using Concord.Connectors.Http;
using Concord.Connectors.Webhook;
using Concord.Core.Configuration;
using Concord.Engine.Connectors;

namespace Concord.Connectors;

/// <summary>The connector kinds this build of Concord knows, and how to build each.</summary>
public sealed class ConnectorCatalog : IConnectorFactory
{
    private static readonly IConnectorKind[] All =
    [
        new WebhookConnector.Kind(),
        new HttpConnector.Kind(),
        new HubSpot.HubSpotConnector.Kind(),
        new Slack.SlackConnector.Kind(),
        new QuickBooks.QuickBooksConnector.Kind(),
        new Stripe.StripeConnector.Kind(),
        new Smtp.SmtpConnector.Kind(),
    ];

    public IReadOnlyCollection<ConnectorDescriptor> Kinds { get; } = All.Select(k => k.Descriptor).ToArray();

    public ConnectorDescriptor? Find(string kind) => Kinds.FirstOrDefault(k => k.Kind == kind);

    public SystemConnectors Create(SystemConfig system, ConnectorContext context) =>
        All.FirstOrDefault(k => k.Descriptor.Kind == system.Kind)?.Create(system, context) ?? new SystemConnectors();
}

/// <summary>One connector kind: what it is (for validation) and how to build a configured system's parts.</summary>
public interface IConnectorKind
{
    ConnectorDescriptor Descriptor { get; }

    SystemConnectors Create(SystemConfig system, ConnectorContext context);
}
