using Concord.Core.Configuration;
using Concord.Engine.Alerts.Shapes;
using Concord.Engine.Alerts.Signals;
using Concord.Engine.Connectors;
using Concord.Engine.Health;
using Concord.Engine.Resilience;
using Concord.Engine.Storage;

namespace Concord.Engine.Alerts;

/// <summary>The signals this hub ships, one per rule kind it can evaluate.</summary>
public static class AlertSignals
{
    /// <param name="config">The configuration (systems' written credential dates).</param>
    /// <param name="store">The store the figures come from.</param>
    /// <param name="breakers">Each delivering system's circuit breaker.</param>
    /// <param name="credentials">The connectors that know when their credential expires.</param>
    /// <param name="shapes">The payload shapes learned per system and type.</param>
    /// <param name="health">The data-health measurements.</param>
    public static List<IAlertSignal> Create(HubConfig config, IHubStore store, IReadOnlyDictionary<string, CircuitBreaker> breakers,
        IReadOnlyDictionary<string, ICredentialExpiry> credentials, ShapeLearner shapes, DataHealthMonitor health) =>
    [
        new DeadLetterSignal(store),
        new ErrorRateSignal(store),
        new CircuitOpenSignal(breakers),
        new BillingGuardrailSignal(store),
        new DuplicatesRisingSignal(store),
        new CredentialExpirySignal(config, credentials),
        new SilenceSignal(config, store),
        new SchemaDriftSignal(shapes),
        new HealthBelowSignal(health, config),
    ];
}
