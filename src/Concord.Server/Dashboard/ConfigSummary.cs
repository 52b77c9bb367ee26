using System.Globalization;
using Concord.Core.Alerts;
using Concord.Core.Configuration;

namespace Concord.Server.Dashboard;

/// <summary>One configured system: its kind and layer, plain settings as written and each secret as the variable it is read from.</summary>
public sealed record SystemSummary(string Name, string Kind, string Layer, IReadOnlyList<string> Settings, IReadOnlyList<string> Syncs);

/// <summary>One entity type: the system that owns it, the fields owned elsewhere and who syncs it.</summary>
public sealed record TypeSummary(string Name, string Owner, IReadOnlyList<string> FieldOwners, IReadOnlyList<string> SyncedBy, int Fields);

/// <summary>One flow: what starts it, how many steps it has and whether it is on.</summary>
public sealed record FlowSummary(string Name, string Trigger, int Steps, bool Enabled);

/// <summary>One alert channel and the system it sends through.</summary>
public sealed record ChannelSummary(string Name, string Via, string Arguments);

/// <summary>One alert rule and where its incidents go.</summary>
public sealed record RuleSummary(string Name, string Kind, string To, string Scope);

/// <summary>
/// What the running hub's configuration amounts to, read from the parsed model rather than the file: the effective
/// configuration, with defaults applied (the rules in force when <c>alerts:</c> writes none). No secret value is in it:
/// the model holds only the names of the variables secrets are read from.
/// </summary>
public sealed record ConfigSummary(
    string Listen,
    string Data,
    string LogRetention,
    IReadOnlyList<SystemSummary> Systems,
    IReadOnlyList<TypeSummary> Types,
    IReadOnlyList<FlowSummary> Flows,
    IReadOnlyList<ChannelSummary> Channels,
    IReadOnlyList<RuleSummary> Rules)
{
    public static ConfigSummary Of(HubConfig config) => new(
        config.Hub.Listen,
        config.Hub.Data,
        Days(config.Hub.LogRetention),
        config.Systems.Values.OrderBy(s => s.Name, StringComparer.Ordinal).Select(s => new SystemSummary(
            s.Name,
            s.Kind,
            StackLayers.Title(s.EffectiveLayer),
            s.Settings.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}: {(ConfigRedaction.IsSecretName(p.Key) ? ConfigRedaction.Mask : p.Value.Text)}")
                .Concat(s.Secrets.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}: {{ env: {p.Value.EnvironmentVariable} }}"))
                .ToList(),
            config.Syncs.Where(r => r.System == s.Name).Select(r => $"{r.Type} {Direction(r.Direction)}").ToList())).ToList(),
        config.Entities.Values.OrderBy(t => t.Name, StringComparer.Ordinal).Select(t => new TypeSummary(
            t.Name,
            t.Owner ?? "no owner",
            t.FieldOwners.Values.Where(f => f.System != t.Owner).OrderBy(f => f.Field, StringComparer.Ordinal).Select(f => $"{f.Field} by {f.System}").ToList(),
            config.Syncs.Where(r => r.Type == t.Name).Select(r => r.System).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(),
            t.Schema.Fields.Count)).ToList(),
        config.Flows.Values.Select(f => new FlowSummary(f.Name, f.Trigger.Kind, f.Steps.Count, f.Enabled)).ToList(),
        config.Alerts.Channels.Values.OrderBy(c => c.Name, StringComparer.Ordinal).Select(c => new ChannelSummary(
            c.Name, c.Via, string.Join(", ", c.Args.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key}: {a.Value}")))).ToList(),
        config.Alerts.Rules.Select(r => new RuleSummary(
            r.Name,
            AlertRuleKinds.NameOf(r.Kind),
            r.Channels.Count == 0 ? "every channel" : string.Join(", ", r.Channels),
            Scope(r))).ToList());

    /// <summary>A direction as <c>syncs:</c> writes it.</summary>
    public static string Direction(SyncDirection direction) => direction switch
    {
        SyncDirection.Push => "push",
        SyncDirection.Pull => "pull",
        _ => "two-way",
    };

    private static string Scope(AlertRule rule)
    {
        var parts = new List<string>();
        if (rule.Systems is { } systems)
        {
            parts.Add("systems " + string.Join(", ", systems));
        }

        if (rule.Flows is { } flows)
        {
            parts.Add("flows " + string.Join(", ", flows));
        }

        if (rule.Types is { } types)
        {
            parts.Add("types " + string.Join(", ", types));
        }

        return parts.Count == 0 ? "everything" : string.Join("; ", parts);
    }

    private static string Days(TimeSpan span) => span.TotalDays.ToString("0.##", CultureInfo.InvariantCulture) + " days";
}
