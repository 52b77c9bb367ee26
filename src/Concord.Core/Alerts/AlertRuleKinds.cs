using Concord.Core.Configuration;

namespace Concord.Core.Alerts;

/// <summary>
/// What each rule kind is called in <c>concord.yaml</c>, which keys it reads and the defaults it applies,
/// in one table, so the reader refuses a setting the kind would ignore and the signals and the
/// documentation agree on every default.
/// </summary>
public static class AlertRuleKinds
{
    /// <summary>One kind: its name, the filters and settings it reads, and its defaults.</summary>
    /// <param name="Kind">The kind.</param>
    /// <param name="Name">Its snake_case name (<c>rule:</c>).</param>
    /// <param name="Reads">The keys besides <c>rule</c>, <c>name</c> and <c>to</c> that it reads.</param>
    /// <param name="Defaults">The settings that apply where the rule writes none.</param>
    /// <param name="Description">One line for people.</param>
    public sealed record Info(AlertRuleKind Kind, string Name, IReadOnlyList<string> Reads, AlertSettings Defaults, string Description);

    /// <summary>Every kind, in the order the documentation lists them.</summary>
    public static IReadOnlyList<Info> All { get; } =
    [
        new(AlertRuleKind.DeadLetter, "dead_letter", ["systems"], new AlertSettings(),
            "a system has deliveries that gave up (dead letters)"),
        new(AlertRuleKind.ErrorRate, "error_rate", ["systems", "flows", "above", "window", "min_count"],
            new AlertSettings { Above = 0.2, Window = TimeSpan.FromMinutes(15), MinCount = 10 },
            "a system's failed attempts, or a flow's failed runs, above a share over a window"),
        new(AlertRuleKind.CircuitOpen, "circuit_open", ["systems"], new AlertSettings(),
            "the hub stopped calling a system that keeps failing"),
        new(AlertRuleKind.Silence, "silence", ["systems", "flows", "types", "below", "window", "min_expected"],
            new AlertSettings { Below = 0.2, Window = TimeSpan.FromHours(3), MinExpected = 10 },
            "a system's or flow's volume far below its learned hour-of-week baseline"),
        new(AlertRuleKind.SchemaDrift, "schema_drift", ["systems", "types"], new AlertSettings(),
            "a system's payloads gained, lost or changed the type of a field"),
        new(AlertRuleKind.DuplicatesRising, "duplicates_rising", ["types", "above", "window", "min_count"],
            new AlertSettings { Above = 2, Window = TimeSpan.FromHours(24), MinCount = 5 },
            "suspected duplicates raised faster than usual"),
        new(AlertRuleKind.HealthBelow, "health_below", ["types", "target"], new AlertSettings { Target = 0.95 },
            "the data-health score of a type, or overall, below its target"),
        new(AlertRuleKind.CredentialExpiry, "credential_expiry", ["systems", "within"], new AlertSettings { Within = TimeSpan.FromDays(14) },
            "a system's credential expires soon, or has expired"),
        new(AlertRuleKind.BillingGuardrail, "billing_guardrail", ["types"], new AlertSettings(),
            "a guardrail raised a finding where money is at stake (double billing, cardinality)"),
    ];

    public static Info Of(AlertRuleKind kind) => All.First(i => i.Kind == kind);

    public static Info? Find(string name) => All.FirstOrDefault(i => i.Name == name);

    /// <summary>The snake_case name of a kind.</summary>
    public static string NameOf(AlertRuleKind kind) => Of(kind).Name;

    /// <summary>Every kind in force with its defaults and to every channel: the rules when <c>rules:</c> is not written.</summary>
    public static List<AlertRule> Defaults() =>
        All.Select(i => new AlertRule(i.Name, i.Kind, [], null, null, null, new AlertSettings(), SourceSpan.None)).ToList();

    /// <summary>A rule's settings with the kind's defaults filled in where the rule wrote none.</summary>
    public static AlertSettings Effective(AlertRule rule)
    {
        var d = Of(rule.Kind).Defaults;
        var s = rule.Settings;
        return new AlertSettings
        {
            Above = s.Above ?? d.Above,
            Below = s.Below ?? d.Below,
            Window = s.Window ?? d.Window,
            MinCount = s.MinCount ?? d.MinCount,
            MinExpected = s.MinExpected ?? d.MinExpected,
            Within = s.Within ?? d.Within,
            Target = s.Target ?? d.Target,
        };
    }
}
