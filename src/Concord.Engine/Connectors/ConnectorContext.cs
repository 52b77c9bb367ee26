using Concord.Core.Configuration;
using Concord.Engine.Intake;
using Microsoft.Extensions.Logging;

namespace Concord.Engine.Connectors;

/// <summary>What the hub lends a connector: HTTP, time, secrets, the intake, links and saved state.</summary>
public sealed class ConnectorContext
{
    public required HttpClient Http { get; init; }

    public required TimeProvider Time { get; init; }

    public required ChangeIntake Intake { get; init; }

    /// <summary>Looks up a record's id in a system, for reference fields (an invoice's customer).</summary>
    public required ILinkLookup Links { get; init; }

    /// <summary>Credentials the connector must keep (a rotating OAuth refresh token), encrypted at rest.</summary>
    public required ICredentialStore Credentials { get; init; }

    /// <summary>Asks the hub to poll a system now (a webhook that only says "something changed").</summary>
    public Action<string> RequestPoll { get; init; } = _ => { };

    public Func<string, string?>? Environment { get; init; }

    public ILoggerFactory Loggers { get; init; } = Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance;

    /// <summary>The value of a secret setting, null when the system does not have it.</summary>
    /// <exception cref="InvalidOperationException">Its environment variable is not set.</exception>
    public string? Secret(SystemConfig system, string name)
    {
        if (!system.Secrets.TryGetValue(name, out var secret))
        {
            return null;
        }

        return secret.Resolve(Environment)
            ?? throw new InvalidOperationException($"environment variable {secret.EnvironmentVariable} (systems.{system.Name}.settings.{name}) is not set");
    }

    /// <inheritdoc cref="Secret"/>
    public string RequiredSecret(SystemConfig system, string name) =>
        Secret(system, name) ?? throw new InvalidOperationException($"system '{system.Name}' needs settings.{name}");
}

/// <summary>The parts of one configured system's connector; any may be absent.</summary>
/// <param name="Outbound">Delivers golden changes to the system.</param>
/// <param name="Inbound">Verifies and parses the system's webhooks.</param>
/// <param name="Poller">Reads the system's change feeds.</param>
/// <param name="Verifier">Checks the credentials and settings with a cheap call.</param>
/// <param name="Notifier">Sends a flow's <c>notify:</c> messages through the system.</param>
/// <param name="Records">Lists the system's records, for verification against the hub.</param>
/// <param name="CredentialExpiry">Says when the system's credential expires, where the connector learns it.</param>
/// <param name="Subscriptions">Cancels a subscription the system bills, when a person asks.</param>
public sealed record SystemConnectors(IOutboundConnector? Outbound = null, IInboundConnector? Inbound = null, IPoller? Poller = null, IVerifier? Verifier = null,
    INotifier? Notifier = null, IRecordReader? Records = null, ICredentialExpiry? CredentialExpiry = null, ISubscriptionCanceller? Subscriptions = null);

/// <summary>Finds a golden record's id in a system.</summary>
public interface ILinkLookup
{
    /// <summary>The id <paramref name="system"/> knows the record by, or null when it does not have it yet.</summary>
    Task<string?> ExternalIdAsync(string system, string recordId, CancellationToken cancellationToken);
}

/// <summary>Credentials a connector keeps between runs. Values are encrypted before they are stored.</summary>
public interface ICredentialStore
{
    Task<string?> GetAsync(string system, string key, CancellationToken cancellationToken);

    Task SetAsync(string system, string key, string value, CancellationToken cancellationToken);
}
