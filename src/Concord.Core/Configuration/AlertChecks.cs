using Concord.Core.Schema;

namespace Concord.Core.Configuration;

/// <summary>
/// Checks the <c>alerts:</c> channels against the systems: each goes <c>via:</c> a configured system
/// whose kind can notify, with only the arguments that kind reads. The message itself (<c>text</c>,
/// <c>subject</c>, <c>body</c>) is written by the hub, so a channel may not set it.
/// </summary>
internal static class AlertChecks
{
    /// <summary>The notify arguments an alert fills in itself.</summary>
    public static readonly string[] Written = ["text", "subject", "body"];

    public static void Check(HubConfig config, IConnectorCatalog catalog, List<ConfigProblem> problems)
    {
        foreach (var channel in config.Alerts.Channels.Values)
        {
            if (!config.Systems.TryGetValue(channel.Via, out var system))
            {
                problems.Add(new ConfigProblem(channel.At, "unknown-system", $"alert channel '{channel.Name}' goes via unknown system '{channel.Via}'",
                    Suggestions.Closest(channel.Via, config.Systems.Keys) is { } guess ? $"did you mean '{guess}'?" : $"systems that can notify: {Able(config, catalog)}"));
                continue;
            }

            if (catalog.Find(system.Kind) is not { } kind)
            {
                continue;
            }

            if (kind.NotifyArguments.Count == 0)
            {
                problems.Add(new ConfigProblem(channel.At, "cannot-notify", $"alert channel '{channel.Name}' goes via '{channel.Via}', a {kind.Kind} system, which cannot send notifications",
                    $"systems that can: {Able(config, catalog)}"));
                continue;
            }

            foreach (var argument in channel.Args.Keys)
            {
                if (Written.Contains(argument, StringComparer.Ordinal))
                {
                    problems.Add(new ConfigProblem(channel.At, "channel-writes-message", $"alert channel '{channel.Name}' sets '{argument}', which the hub writes for each incident",
                        $"leave it out; {kind.Kind} channels take: {Settable(kind)}"));
                }
                else if (!kind.NotifyArguments.Contains(argument, StringComparer.Ordinal))
                {
                    var guess = Suggestions.Closest(argument, kind.NotifyArguments.Except(Written));
                    problems.Add(new ConfigProblem(channel.At, "unknown-argument", $"alert channel '{channel.Name}' ({kind.Kind}) has no argument '{argument}'",
                        (guess is not null ? $"did you mean '{guess}'? " : "") + $"{kind.Kind} channels take: via{(Settable(kind).Length > 0 ? ", " + Settable(kind) : "")}"));
                }
            }

            // An incoming webhook posts to the one channel it was made for; naming another would fail every message.
            if (kind.Kind == "slack" && system.Secrets.ContainsKey("webhook_url") && channel.Args.TryGetValue("channel", out var named))
            {
                problems.Add(new ConfigProblem(channel.At, "channel-fixed", $"alert channel '{channel.Name}' names channel {named}, but '{channel.Via}' posts through an incoming webhook, which only reaches the channel it was created for",
                    $"leave channel out, or give '{channel.Via}' a bot_token"));
            }

            foreach (var required in kind.NotifyRequires.Except(Written).Where(r => !channel.Args.ContainsKey(r)))
            {
                problems.Add(new ConfigProblem(channel.At, "missing-argument", $"alert channel '{channel.Name}' ({kind.Kind}) needs `{required}:`",
                    kind.Kind == "smtp" ? "for example `{ via: mail, to: ops@example.com }`" : null));
            }
        }
    }

    private static string Settable(ConnectorDescriptor kind) => string.Join(", ", kind.NotifyArguments.Except(Written));

    private static string Able(HubConfig config, IConnectorCatalog catalog)
    {
        var able = config.Systems.Values.Where(s => catalog.Find(s.Kind)?.NotifyArguments.Count > 0).Select(s => s.Name).ToList();
        return able.Count > 0 ? string.Join(", ", able) : "none configured (add a slack, smtp, webhook or http system)";
    }
}
