namespace Concord.Core.Configuration;

/// <summary>The whole of <c>concord.yaml</c>, parsed, with where each part was written.</summary>
public sealed class HubConfig
{
    /// <summary>The file this configuration was read from (for messages).</summary>
    public string File { get; init; } = "concord.yaml";

    public HubSettings Hub { get; init; } = new();

    /// <summary>Configured systems by name (case-sensitive, as written).</summary>
    public Dictionary<string, SystemConfig> Systems { get; init; } = new(StringComparer.Ordinal);

    /// <summary>Subscriptions listed only for the audit (<c>tools:</c>), by name.</summary>
    public Dictionary<string, AuditTool> Tools { get; init; } = new(StringComparer.Ordinal);

    /// <summary>Entity types by name: the canonical ones the file mentions plus custom ones.</summary>
    public Dictionary<string, EntityTypeConfig> Entities { get; init; } = new(StringComparer.Ordinal);

    public List<SyncRule> Syncs { get; init; } = [];

    /// <summary>Cardinality rules and blocked values (<c>guardrails:</c>).</summary>
    public GuardrailConfig Guardrails { get; init; } = new();

    /// <summary>Flows by name (<c>flows:</c>), in the order written.</summary>
    public Dictionary<string, Flows.Model.FlowConfig> Flows { get; init; } = new(StringComparer.Ordinal);

    /// <summary><c>hub.flows</c> settings and the <c>lookups:</c> tables.</summary>
    public Flows.Model.FlowSettings FlowSettings { get; init; } = new();

    /// <summary>The <c>alerts:</c> section: channels and rules.</summary>
    public Alerts.AlertsConfig Alerts { get; init; } = new();

    /// <summary>The <c>verify:</c> section: when syncs are compared with their systems.</summary>
    public VerifyConfig Verify { get; init; } = new();
    /// <summary>The <c>health:</c> section: how often data health is measured, and the targets.</summary>
    public Health.HealthConfig Health { get; init; } = new();
}

/// <summary>Settings of the hub process itself.</summary>
public sealed class HubSettings
{
    /// <summary>Where the HTTP server listens. Default <c>http://127.0.0.1:5080</c>.</summary>
    public string Listen { get; set; } = "http://127.0.0.1:5080";

    /// <summary>The SQLite file, relative to the configuration file. Default <c>concord.db</c>.</summary>
    public string Data { get; set; } = "concord.db";

    /// <summary>How long transaction-log entries and finished deliveries are kept. Default 30 days.</summary>
    public TimeSpan LogRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// How long the hourly traffic history (volume per system, type and flow) is kept; it outlives the log so
    /// silence can be judged against past weeks. Default 180 days.
    /// </summary>
    public TimeSpan TrafficRetention { get; set; } = TimeSpan.FromDays(180);

    /// <summary>How many past weeks the silence baseline looks at for each hour of the week (its median). Default 4.</summary>
    public int BaselineWeeks { get; set; } = 4;

    /// <summary>How many payloads of a system and type are seen before their shape counts as learned and drift is judged. Default 20.</summary>
    public int SchemaMinSamples { get; set; } = 20;

    /// <summary>Largest request body accepted by the API and webhooks. Default 1 MiB.</summary>
    public long MaxBodyBytes { get; set; } = 1024 * 1024;

    public SourceSpan At { get; set; } = SourceSpan.None;
}
