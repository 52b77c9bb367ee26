using Concord.Core.Flows.Model;
using YamlDotNet.RepresentationModel;

namespace Concord.Core.Configuration;

/// <summary>
/// Reads a flow's <c>trigger:</c>, which takes exactly one form: a record event
/// (<c>{ record: payment, on: created }</c>), a signed webhook, a cron schedule, or <c>manual</c>.
/// </summary>
internal static class FlowTriggerReader
{
    private static readonly string[] Forms = ["record", "webhook", "schedule", "manual"];
    private static readonly string[] Events = ["created", "updated", "changed", "deleted"];

    private const string Examples =
        "`{ record: payment, on: created }`, `{ webhook: { secret: { env: NAME } } }`, `{ schedule: \"0 9 * * MON\", timezone: Europe/Amsterdam }` or `manual`";

    public static FlowTrigger? Read(YamlNav nav, YamlNode node, string flow)
    {
        if (node is YamlScalarNode { Value: "manual" })
        {
            return new ManualTrigger(nav.At(node));
        }

        if (node is not YamlMappingNode map)
        {
            nav.Error(node, "flow-trigger", $"flow '{flow}': the trigger must be one of {string.Join(", ", Forms)}", Examples);
            return null;
        }

        var forms = Forms.Where(f => YamlNav.Child(map, f) is not null).ToList();
        if (forms.Count != 1)
        {
            nav.OnlyKnownKeys(map, $"the trigger of flow '{flow}'", [.. Forms, "on", "fields", "from", "timezone"]);
            nav.Error(node, "flow-trigger", forms.Count == 0
                ? $"flow '{flow}': the trigger names no event: write one of {string.Join(", ", Forms)}"
                : $"flow '{flow}': the trigger has one form, this one has {string.Join(" and ", forms)}", Examples);
            return null;
        }

        var at = nav.At(node);
        var where = $"the trigger of flow '{flow}'";
        switch (forms[0])
        {
            case "record":
                nav.OnlyKnownKeys(map, where, "record", "on", "fields", "from");
                return Record(nav, map, flow, at);
            case "webhook":
                nav.OnlyKnownKeys(map, where, "webhook");
                return Webhook(nav, YamlNav.Child(map, "webhook")!, flow, at);
            case "schedule":
                nav.OnlyKnownKeys(map, where, "schedule", "timezone");
                return Schedule(nav, map, flow, at);
            default:
                nav.OnlyKnownKeys(map, where, "manual");
                var manual = YamlNav.Child(map, "manual")!;
                if (nav.Bool(manual, "trigger.manual") is false)
                {
                    nav.Error(manual, "flow-trigger", $"flow '{flow}': `manual: false` starts nothing", "write `manual` (any flow can be started by hand), or pause the flow with `enabled: false`");
                }

                return new ManualTrigger(at);
        }
    }

    private static RecordTrigger? Record(YamlNav nav, YamlMappingNode map, string flow, SourceSpan at)
    {
        var type = nav.Scalar(YamlNav.Child(map, "record")!, "trigger.record");
        var onNode = YamlNav.Child(map, "on");
        RecordTriggerOn? on = null;
        if (onNode is null)
        {
            nav.Error(map, "flow-trigger", $"flow '{flow}': a record trigger needs `on:` ({string.Join(", ", Events)})", "for example `{ record: payment, on: created }`");
        }
        else if (nav.Scalar(onNode, "trigger.on") is { } onText)
        {
            var index = Array.IndexOf(Events, onText);
            if (index < 0)
            {
                nav.Error(onNode, "flow-trigger", $"flow '{flow}': on must be {string.Join(", ", Events[..^1])} or {Events[^1]}, not '{onText}'",
                    Schema.Suggestions.Closest(onText, Events) is { } guess ? $"did you mean '{guess}'?" : "changed needs `fields:`, the fields whose change starts a run");
            }
            else
            {
                on = (RecordTriggerOn)index;
            }
        }

        var fields = new List<string>();
        var fieldsNode = YamlNav.Child(map, "fields");
        if (fieldsNode is not null)
        {
            fields.AddRange(nav.Names(fieldsNode, "trigger.fields").Select(f => f.Value));
            if (on is not null and not RecordTriggerOn.Changed)
            {
                nav.Error(fieldsNode, "flow-trigger", $"flow '{flow}': `fields:` narrows `on: changed` only; this trigger is on {on.Value.ToString().ToLowerInvariant()}",
                    "write `on: changed` to start a run when one of these fields changes, or remove `fields:`");
            }
        }

        if (on == RecordTriggerOn.Changed && fields.Count == 0)
        {
            nav.Error(fieldsNode ?? onNode!, "flow-trigger", $"flow '{flow}': `on: changed` needs `fields:`, the fields whose change starts a run",
                "for example `{ record: customer, on: changed, fields: [email, phone] }`; `on: updated` starts a run on any change");
        }

        var from = YamlNav.Child(map, "from") is { } fromNode ? nav.Names(fromNode, "trigger.from").Select(f => f.Value).ToList() : [];
        return type is null || on is null ? null : new RecordTrigger(type, on.Value, fields, from, at);
    }

    private static WebhookTrigger? Webhook(YamlNav nav, YamlNode node, string flow, SourceSpan at)
    {
        const string Hint = "write `webhook: { secret: { env: FLOW_SECRET } }` and set that environment variable; senders sign each body with it";
        if (nav.Mapping(node, "trigger.webhook") is not { } map)
        {
            return null;
        }

        nav.OnlyKnownKeys(map, "trigger.webhook", "secret");
        var secret = YamlNav.Child(map, "secret");
        switch (secret)
        {
            case null:
                nav.Error(node, "missing-setting", $"flow '{flow}': a webhook trigger needs `secret:`, so that only signed requests start runs", Hint);
                return null;
            case YamlScalarNode:
                nav.Error(secret, "inline-secret", $"flow '{flow}': the webhook secret must not be written in the file", Hint);
                return null;
            case YamlMappingNode reference:
                nav.OnlyKnownKeys(reference, "trigger.webhook.secret", "env");
                if (YamlNav.Child(reference, "env") is { } envNode && nav.Scalar(envNode, "env") is { Length: > 0 } env)
                {
                    return new WebhookTrigger(new SecretRef(env, nav.At(secret)), at);
                }

                nav.Error(secret, "bad-secret", $"flow '{flow}': the webhook secret must be {{ env: VARIABLE }}", Hint);
                return null;
            default:
                nav.Error(secret, "bad-secret", $"flow '{flow}': the webhook secret must be {{ env: VARIABLE }}", Hint);
                return null;
        }
    }

    private static ScheduleTrigger? Schedule(YamlNav nav, YamlMappingNode map, string flow, SourceSpan at)
    {
        var scheduleNode = YamlNav.Child(map, "schedule")!;
        CronSchedule? cron = null;
        if (nav.Scalar(scheduleNode, "trigger.schedule") is { } text)
        {
            try
            {
                cron = CronSchedule.Parse(text);
            }
            catch (FormatException problem)
            {
                nav.Error(scheduleNode, "bad-schedule", $"flow '{flow}': {problem.Message}",
                    "five fields: minute hour day-of-month month day-of-week, e.g. \"0 9 * * MON-FRI\" (09:00 on weekdays) or \"*/15 * * * *\"");
            }
        }

        var zone = TimeZoneInfo.Utc;
        if (YamlNav.Child(map, "timezone") is { } zoneNode && nav.Scalar(zoneNode, "trigger.timezone") is { } name)
        {
            if (FindZone(name) is { } found)
            {
                zone = found;
            }
            else
            {
                nav.Error(zoneNode, "unknown-timezone", $"flow '{flow}': unknown time zone '{name}'", "write an IANA name such as Europe/Amsterdam, America/New_York or UTC");
                return null;
            }
        }

        return cron is null ? null : new ScheduleTrigger(cron, zone, at);
    }

    /// <summary>An IANA zone; Windows names are refused so that one file means the same on every machine.</summary>
    private static TimeZoneInfo? FindZone(string name)
    {
        if (name is "UTC" or "Etc/UTC")
        {
            return TimeZoneInfo.Utc;
        }

        if (!name.Contains('/', StringComparison.Ordinal) || name.Contains("..", StringComparison.Ordinal))
        {
            return null;
        }

        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(name);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return null;
        }
    }
}
