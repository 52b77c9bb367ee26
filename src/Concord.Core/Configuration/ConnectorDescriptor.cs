namespace Concord.Core.Configuration;

/// <summary>
/// What a connector kind is and accepts, declared as data so that <c>concord validate</c>
/// can check a system's settings without loading the connector.
/// </summary>
/// <param name="Kind">The kind written in <c>concord.yaml</c>.</param>
/// <param name="Description">One line for humans.</param>
/// <param name="Inbound">Receives changes from the system (webhooks).</param>
/// <param name="Outbound">Delivers golden changes to the system.</param>
/// <param name="Settings">The settings it knows.</param>
/// <param name="InboundRequires">A setting without which the system receives nothing (e.g. the webhook secret).</param>
public sealed record ConnectorDescriptor(string Kind, string Description, bool Inbound, bool Outbound, IReadOnlyList<SettingDescriptor> Settings, string? InboundRequires = null)
{
    /// <summary>
    /// The entity types a vendor connector supports, with operations and default field mappings.
    /// Empty for the generic kinds, which carry any type.
    /// </summary>
    public IReadOnlyList<Mapping.EntitySupport> Entities { get; init; } = [];

    /// <summary>
    /// The entity types one configured system supports, for a connector whose settings change them
    /// (HubSpot's <c>customer_object</c> moves <c>customer</c> onto companies, so <c>company</c> has
    /// no object left). Null: every system supports <see cref="Entities"/>. Must not throw on bad
    /// settings: validation asks before it reports them.
    /// </summary>
    public Func<SystemConfig, IReadOnlyList<Mapping.EntitySupport>>? EntitiesFor { get; init; }

    /// <summary>The vendor API version the connector pins (e.g. <c>Stripe-Version</c>, QuickBooks <c>minorversion</c>).</summary>
    public string? ApiVersion { get; init; }

    /// <summary>The vendor's published rate limits, applied unless <c>rate_limit:</c> is written for the system.</summary>
    public RateLimitPolicy? VendorRateLimit { get; init; }

    /// <summary>
    /// The arguments a flow's <c>notify:</c> step may pass through this kind (Slack: <c>channel</c>, <c>text</c>);
    /// empty when the kind cannot notify.
    /// </summary>
    public IReadOnlyList<string> NotifyArguments { get; init; } = [];

    /// <summary>The <see cref="NotifyArguments"/> a <c>notify:</c> step must pass.</summary>
    public IReadOnlyList<string> NotifyRequires { get; init; } = [];

    /// <summary>The connector polls the vendor for changes (catch-up, and systems without webhooks).</summary>
    public bool Polls { get; init; }

    /// <summary>The connector lists the vendor's records page by page, so its syncs can be verified.</summary>
    public bool ListsRecords { get; init; }

    /// <summary>
    /// Rules across settings that single setting descriptors cannot say ("exactly one of these two"):
    /// each problem found, as a message and a hint.
    /// </summary>
    public Func<SystemConfig, IEnumerable<(string Message, string? Hint)>>? Check { get; init; }

    /// <summary>
    /// The address of one record in the vendor's own web app, from the configured system, the entity type and the
    /// record's id there; null for a type (or a system's settings) without a stable address. Lets a person jump
    /// from the hub's record to the same record in the tool.
    /// </summary>
    public Func<SystemConfig, string, string, string?>? RecordUrl { get; init; }

    public Mapping.EntitySupport? Entity(string type) => Entities.FirstOrDefault(e => e.Type == type);

    /// <summary>The entity types this system, as configured, supports.</summary>
    public IReadOnlyList<Mapping.EntitySupport> EntitiesOf(SystemConfig system) => EntitiesFor?.Invoke(system) ?? Entities;

    public SettingDescriptor? Find(string name) => Settings.FirstOrDefault(s => s.Name == name);

    /// <summary>Whether this system, as configured, can send changes to the hub.</summary>
    public bool ReceivesFrom(SystemConfig system) =>
        Inbound && (Polls || InboundRequires is null || system.Settings.ContainsKey(InboundRequires) || system.Secrets.ContainsKey(InboundRequires));
}

/// <summary>One setting of a connector kind.</summary>
/// <param name="Name">The key under <c>settings:</c>.</param>
/// <param name="Description">What it is for.</param>
/// <param name="Secret">Must be a reference (<c>{ env: NAME }</c>), never inline.</param>
/// <param name="Required">Must be present; <see cref="RequiredWhen"/> narrows this to one mode.</param>
/// <param name="RequiredWhen">A condition <c>setting=value</c> under which it is required.</param>
/// <param name="Allowed">The allowed values, for enumerations.</param>
/// <param name="IsDuration">The value is a duration such as <c>5m</c>.</param>
/// <param name="IsUrl">The value is an absolute http(s) URL.</param>
/// <param name="Validate">
/// Any other rule for the value (a port number, an email address): what is wrong with it, said after
/// the setting's name ("must be a port number, not 'abc'"), or null when it is fine.
/// </param>
public sealed record SettingDescriptor(
    string Name,
    string Description,
    bool Secret = false,
    bool Required = false,
    string? RequiredWhen = null,
    IReadOnlyList<string>? Allowed = null,
    bool IsDuration = false,
    bool IsUrl = false,
    Func<string, string?>? Validate = null);

/// <summary>The connector kinds the hub knows, for validation.</summary>
public interface IConnectorCatalog
{
    IReadOnlyCollection<ConnectorDescriptor> Kinds { get; }

    ConnectorDescriptor? Find(string kind);
}
