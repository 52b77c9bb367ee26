using System.Globalization;
using Concord.Core.Alerts;
using Concord.Core.Schema;
using YamlDotNet.RepresentationModel;

namespace Concord.Core.Configuration;

/// <summary>
/// Reads the <c>alerts:</c> section: <c>every</c>, <c>resolve_after</c>, <c>channels</c> and <c>rules</c>.
/// Everything that can be judged from the file alone is reported here with its position: unknown rules,
/// settings a rule's kind does not read, bad durations and shares, channels, systems, flows and types
/// that are not configured, duplicate names. Whether a channel's system can notify needs the connector
/// catalogue: that is <see cref="AlertChecks"/>' job. Without <c>rules:</c> every rule is in force with its defaults.
/// </summary>
internal static class AlertsReader
{
    private static readonly string[] Keys = ["every", "resolve_after", "channels", "rules"];
    private static readonly string[] Common = ["rule", "name", "to"];

    /// <summary>Reads the section; <paramref name="node"/> null (no <c>alerts:</c>) puts the default rules in force.</summary>
    public static void Read(YamlNav nav, YamlNode? node, HubConfig config)
    {
        var alerts = config.Alerts;
        if (node is null || nav.Mapping(node, "alerts") is not { } map)
        {
            alerts.Rules.AddRange(AlertRuleKinds.Defaults());
            return;
        }

        alerts.At = nav.At(node);
        nav.OnlyKnownKeys(map, "alerts", Keys);
        if (YamlNav.Child(map, "every") is { } everyNode && nav.Duration(everyNode, "alerts.every") is { } every)
        {
            if (every < TimeSpan.FromMilliseconds(100))
            {
                nav.Error(everyNode, "bad-duration", $"alerts.every must be at least 100ms, not '{Duration.Format(every)}'", "30s looks often enough for every rule");
            }
            else
            {
                alerts.Every = every;
            }
        }

        if (YamlNav.Child(map, "resolve_after") is { } raNode && nav.Int(raNode, "alerts.resolve_after", 1, 1000) is { } resolveAfter)
        {
            alerts.ResolveAfter = resolveAfter;
        }

        if (YamlNav.Child(map, "channels") is { } channelsNode && nav.Mapping(channelsNode, "alerts.channels") is { } channels)
        {
            foreach (var entry in channels.Children)
            {
                if (ReadChannel(nav, YamlNav.Key(entry), entry.Key, entry.Value) is { } channel)
                {
                    alerts.Channels[channel.Name] = channel;
                }
            }
        }

        if (YamlNav.Child(map, "rules") is not { } rulesNode)
        {
            alerts.Rules.AddRange(AlertRuleKinds.Defaults());
            return;
        }

        if (nav.Sequence(rulesNode, "alerts.rules") is not { } rules)
        {
            return;
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in rules.Children)
        {
            if (ReadRule(nav, item, config) is not { } rule)
            {
                continue;
            }

            if (!names.Add(rule.Name))
            {
                nav.Error(rule.At, "duplicate-rule", $"two alert rules are named '{rule.Name}'",
                    "incidents are kept per rule name: give the second one `name:` (e.g. `name: stripe_errors`)");
                continue;
            }

            alerts.Rules.Add(rule);
        }
    }

    private static AlertChannel? ReadChannel(YamlNav nav, string name, YamlNode keyNode, YamlNode node)
    {
        if (name.Length == 0 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            nav.Error(keyNode, "bad-name", $"channel name '{name}' must be letters, digits, '-' or '_'", "rules name it in `to:`");
        }

        if (nav.Mapping(node, $"alerts.channels.{name}") is not { } map)
        {
            return null;
        }

        var viaNode = YamlNav.Child(map, "via");
        if (viaNode is null)
        {
            nav.Error(keyNode, "channel-via", $"channel '{name}' has no `via:`",
                "name the system that sends it: a slack, smtp, webhook or http system, e.g. `{ via: slack, channel: \"#ops\" }`");
            return null;
        }

        var args = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in map.Children)
        {
            var key = YamlNav.Key(entry);
            if (key == "via")
            {
                continue;
            }

            var values = nav.Names(entry.Value, $"alerts.channels.{name}.{key}");
            if (values.Count > 0)
            {
                args[key] = string.Join(", ", values.Select(v => v.Value));
            }
        }

        return new AlertChannel(name, nav.Scalar(viaNode, $"alerts.channels.{name}.via") ?? "", args, nav.At(keyNode));
    }

    private static AlertRule? ReadRule(YamlNav nav, YamlNode node, HubConfig config)
    {
        if (nav.Mapping(node, "an alert rule") is not { } map)
        {
            return null;
        }

        var ruleNode = YamlNav.Child(map, "rule");
        if (ruleNode is null || nav.Scalar(ruleNode, "rule") is not { } kindName)
        {
            nav.Error(node, "rule-kind", "an alert rule needs `rule:`", $"rules: {string.Join(", ", AlertRuleKinds.All.Select(k => k.Name))}");
            return null;
        }

        if (AlertRuleKinds.Find(kindName) is not { } info)
        {
            var guess = Suggestions.Closest(kindName, AlertRuleKinds.All.Select(k => k.Name));
            nav.Error(ruleNode, "unknown-rule", $"unknown alert rule '{kindName}'",
                (guess is not null ? $"did you mean '{guess}'? " : "") + $"rules: {string.Join(", ", AlertRuleKinds.All.Select(k => k.Name))}");
            return null;
        }

        var known = Common.Concat(info.Reads).ToArray();
        foreach (var entry in map.Children)
        {
            var key = YamlNav.Key(entry);
            if (!known.Contains(key, StringComparer.Ordinal))
            {
                var elsewhere = AlertRuleKinds.All.Where(k => k.Reads.Contains(key)).Select(k => k.Name).ToList();
                nav.Error(entry.Key, "unknown-key", $"the {info.Name} rule does not read '{key}'",
                    (elsewhere.Count > 0 ? $"'{key}' is read by {string.Join(", ", elsewhere)}; " : Suggestions.Closest(key, known) is { } guess ? $"did you mean '{guess}'? " : "")
                    + $"{info.Name} reads: {string.Join(", ", known)}");
            }
        }

        var name = info.Name;
        if (YamlNav.Child(map, "name") is { } nameNode && nav.Scalar(nameNode, "name") is { } written)
        {
            if (written.Length == 0 || written.Length > 64 || !written.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                nav.Error(nameNode, "bad-name", $"alert rule name '{written}' must be letters, digits, '-' or '_'", "it is part of every incident's rule");
            }

            name = written;
        }

        var channels = new List<string>();
        if (YamlNav.Child(map, "to") is { } toNode)
        {
            foreach (var (channel, channelNode) in nav.Names(toNode, "to"))
            {
                if (!config.Alerts.Channels.ContainsKey(channel))
                {
                    nav.Error(channelNode, "unknown-channel", $"alert rule '{name}' sends to unknown channel '{channel}'",
                        Suggestions.Closest(channel, config.Alerts.Channels.Keys) is { } guess ? $"did you mean '{guess}'?"
                        : config.Alerts.Channels.Count == 0 ? "declare it under alerts.channels" : $"channels: {string.Join(", ", config.Alerts.Channels.Keys)}");
                }

                channels.Add(channel);
            }
        }

        var settings = new AlertSettings
        {
            Above = YamlNav.Child(map, "above") is { } above
                ? info.Kind == AlertRuleKind.DuplicatesRising ? Factor(nav, above, "above") : Share(nav, above, "above")
                : null,
            Below = YamlNav.Child(map, "below") is { } below ? Share(nav, below, "below") : null,
            Window = YamlNav.Child(map, "window") is { } window ? Positive(nav, window, "window") : null,
            MinCount = YamlNav.Child(map, "min_count") is { } minCount ? nav.Int(minCount, "min_count", 1, 1_000_000) : null,
            MinExpected = YamlNav.Child(map, "min_expected") is { } minExpected ? nav.Number(minExpected, "min_expected", 0) : null,
            Within = YamlNav.Child(map, "within") is { } within ? Positive(nav, within, "within") : null,
            Target = YamlNav.Child(map, "target") is { } target ? Share(nav, target, "target") : null,
        };

        return new AlertRule(
            name,
            info.Kind,
            channels,
            Names(nav, map, "systems", config.Systems.Keys, "declared systems"),
            Names(nav, map, "flows", config.Flows.Keys, "declared flows"),
            Names(nav, map, "types", config.Entities.Keys, "declared types"),
            settings,
            nav.At(node));
    }

    /// <summary>A filter list whose every name must be configured.</summary>
    private static List<string>? Names(YamlNav nav, YamlMappingNode map, string key, IEnumerable<string> known, string what)
    {
        if (YamlNav.Child(map, key) is not { } node)
        {
            return null;
        }

        var names = new List<string>();
        var knownList = known.ToList();
        foreach (var (value, valueNode) in nav.Names(node, key))
        {
            if (!knownList.Contains(value, StringComparer.Ordinal))
            {
                nav.Error(valueNode, $"unknown-{key[..^1]}", $"{key}: '{value}' is not configured",
                    Suggestions.Closest(value, knownList) is { } guess ? $"did you mean '{guess}'?" : $"{what}: {(knownList.Count == 0 ? "none" : string.Join(", ", knownList))}");
            }

            names.Add(value);
        }

        return names;
    }

    private static TimeSpan? Positive(YamlNav nav, YamlNode node, string what)
    {
        if (nav.Duration(node, what) is not { } d)
        {
            return null;
        }

        if (d <= TimeSpan.Zero)
        {
            nav.Error(node, "bad-duration", $"{what} must be longer than zero");
            return null;
        }

        return d;
    }

    /// <summary>A share of 0..1, written as a percentage (<c>20%</c>) or a fraction (<c>0.2</c>).</summary>
    internal static double? Share(YamlNav nav, YamlNode node, string what)
    {
        if (nav.Scalar(node, what) is not { } text)
        {
            return null;
        }

        var t = text.Trim();
        var percent = t.EndsWith('%');
        if (double.TryParse(percent ? t[..^1] : t, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && !double.IsNaN(n))
        {
            var share = percent ? n / 100 : n;
            if (share is >= 0 and <= 1)
            {
                return share;
            }
        }

        nav.Error(node, "bad-share", $"{what} must be a percentage from 0% to 100% or a fraction from 0 to 1, not '{text}'", "for example 20% or 0.2");
        return null;
    }

    /// <summary>A factor above zero, written <c>2x</c>, <c>2×</c> or <c>2</c>.</summary>
    private static double? Factor(YamlNav nav, YamlNode node, string what)
    {
        if (nav.Scalar(node, what) is not { } text)
        {
            return null;
        }

        var t = text.Trim().TrimEnd('x', 'X', '×');
        if (double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n > 0 && !double.IsInfinity(n))
        {
            return n;
        }

        nav.Error(node, "bad-factor", $"{what} must be a factor above zero such as 2x (twice the usual rate), not '{text}'");
        return null;
    }
}
