using Concord.Core.Configuration;

namespace Concord.Core.Alerts;

/// <summary>
/// The <c>alerts:</c> section: where alerts go (channels) and what raises them (rules). Without a
/// <c>rules:</c> list every rule is in force with its defaults and goes to every channel; without
/// channels, incidents are still kept and served by the API, and nothing is sent.
/// </summary>
public sealed class AlertsConfig
{
    /// <summary>Channels by name.</summary>
    public Dictionary<string, AlertChannel> Channels { get; init; } = new(StringComparer.Ordinal);

    /// <summary>The rules in force (the defaults when the section writes none).</summary>
    public List<AlertRule> Rules { get; init; } = [];

    /// <summary>How often the rules are evaluated (<c>alerts.every</c>).</summary>
    public TimeSpan Every { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Evaluations in a row a cause must be absent before its incident resolves (<c>alerts.resolve_after</c>),
    /// so a figure hovering at its threshold does not open and resolve incidents on every evaluation.
    /// </summary>
    public int ResolveAfter { get; set; } = 2;

    public SourceSpan At { get; set; } = SourceSpan.None;
}

/// <summary>
/// One place alerts go: a configured system that can notify (<c>via:</c> a Slack, SMTP or webhook system)
/// with the arguments its kind reads (<c>channel</c> for Slack, <c>to</c> for email).
/// </summary>
/// <param name="Name">The channel's name, as rules name it in <c>to:</c>.</param>
/// <param name="Via">The system it sends through.</param>
/// <param name="Args">Fixed arguments for that system's notifier (e.g. <c>channel: "#ops"</c>, <c>to: ops@example.com</c>).</param>
/// <param name="At">Where it was written.</param>
public sealed record AlertChannel(string Name, string Via, IReadOnlyDictionary<string, string> Args, SourceSpan At);

/// <summary>The rules Concord ships; each is named in <c>concord.yaml</c> by its snake_case name.</summary>
public enum AlertRuleKind
{
    /// <summary><c>dead_letter</c>: a system has deliveries that gave up.</summary>
    DeadLetter,

    /// <summary><c>error_rate</c>: a system's failed attempts, or a flow's failed runs, above a share over a window.</summary>
    ErrorRate,

    /// <summary><c>circuit_open</c>: the hub stopped calling a system that keeps failing.</summary>
    CircuitOpen,

    /// <summary><c>silence</c>: a system's or flow's volume far below its learned hour-of-week baseline.</summary>
    Silence,

    /// <summary><c>schema_drift</c>: a system's payloads gained, lost or changed the type of a field.</summary>
    SchemaDrift,

    /// <summary><c>duplicates_rising</c>: suspected duplicates raised faster than usual.</summary>
    DuplicatesRising,

    /// <summary><c>health_below</c>: the data-health score of a type, or overall, below its target.</summary>
    HealthBelow,

    /// <summary><c>credential_expiry</c>: a system's credential expires soon.</summary>
    CredentialExpiry,

    /// <summary><c>billing_guardrail</c>: a guardrail raised a finding where money is at stake (double billing, cardinality).</summary>
    BillingGuardrail,
}

/// <summary>
/// One alert rule. <see cref="Settings"/> holds what the rule's kind reads; every kind documents its
/// defaults, and the configuration reader refuses a setting the kind does not read.
/// </summary>
/// <param name="Name">Unique among rules; defaults to the kind's name.</param>
/// <param name="Kind">What raises it.</param>
/// <param name="Channels">Where its incidents are sent (<c>to:</c>); empty sends to every channel.</param>
/// <param name="Systems">Only these systems (<c>systems:</c>); null means all.</param>
/// <param name="Flows">Only these flows (<c>flows:</c>); null means all.</param>
/// <param name="Types">Only these entity types (<c>types:</c>); null means all.</param>
/// <param name="Settings">The thresholds the kind reads.</param>
/// <param name="At">Where it was written.</param>
public sealed record AlertRule(
    string Name,
    AlertRuleKind Kind,
    IReadOnlyList<string> Channels,
    IReadOnlyList<string>? Systems,
    IReadOnlyList<string>? Flows,
    IReadOnlyList<string>? Types,
    AlertSettings Settings,
    SourceSpan At)
{
    /// <summary>Whether the rule covers a system (no <c>systems:</c> list covers every system).</summary>
    public bool CoversSystem(string system) => Systems is null || Systems.Contains(system, StringComparer.Ordinal);

    /// <summary>Whether the rule covers a flow.</summary>
    public bool CoversFlow(string flow) => Flows is null || Flows.Contains(flow, StringComparer.Ordinal);

    /// <summary>Whether the rule covers an entity type.</summary>
    public bool CoversType(string type) => Types is null || Types.Contains(type, StringComparer.Ordinal);
}

/// <summary>
/// A rule's thresholds as written; null where the rule did not write one (the kind's default applies).
/// Shares are 0..1 (<c>20%</c> and <c>0.2</c> read the same).
/// </summary>
public sealed record AlertSettings
{
    /// <summary><c>above:</c> a share (error rate) or a factor (duplicates rising: "× the usual rate").</summary>
    public double? Above { get; init; }

    /// <summary><c>below:</c> a share of the expected volume (silence).</summary>
    public double? Below { get; init; }

    /// <summary><c>window:</c> the span looked at (error rate, silence, duplicates rising).</summary>
    public TimeSpan? Window { get; init; }

    /// <summary><c>min_count:</c> the least number of attempts/runs/findings before a rate means anything.</summary>
    public int? MinCount { get; init; }

    /// <summary><c>min_expected:</c> silence is only judged when the baseline expects at least this many in the window.</summary>
    public double? MinExpected { get; init; }

    /// <summary><c>within:</c> how long before a credential expires to alert.</summary>
    public TimeSpan? Within { get; init; }

    /// <summary><c>target:</c> the health score to keep (0..1).</summary>
    public double? Target { get; init; }
}
