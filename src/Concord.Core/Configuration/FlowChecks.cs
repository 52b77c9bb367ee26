using System.Text.Json.Nodes;
using Concord.Core.Flows.Loops;
using Concord.Core.Flows.Model;
using Concord.Core.Schema;

namespace Concord.Core.Configuration;

/// <summary>
/// Checks <c>flows:</c> against the rest of the file: the types, fields, systems and tables they name exist;
/// a system a step writes <c>in:</c> receives the type, one it finds <c>in:</c> syncs it, and one it
/// notifies <c>via:</c> can notify with the arguments given; steps refer only to steps that have run;
/// and no flows trigger each other for ever.
/// </summary>
internal static class FlowChecks
{
    public static void Check(HubConfig config, IConnectorCatalog catalog, List<ConfigProblem> problems, Func<string, string?>? environment)
    {
        foreach (var flow in config.Flows.Values)
        {
            CheckTrigger(config, flow, problems, environment);
            FlowStepReferences.Check(flow, problems);
            foreach (var step in flow.AllSteps())
            {
                var where = $"flow '{flow.Name}', step '{step.Id}'";
                var spec = step.Action == StepAction.If ? null : StepActions.Of(step.Action);
                if (spec is { IsRecordAction: true })
                {
                    CheckRecordStep(config, spec, step, where, problems);
                }
                else if (step.Action == StepAction.Notify)
                {
                    CheckNotify(config, catalog, step, where, problems);
                }
                else if (step.Action == StepAction.Lookup && step.Text("table") is { } table && !config.FlowSettings.Lookups.ContainsKey(table))
                {
                    problems.Add(new ConfigProblem(At(step, "table"), "unknown-lookup", $"{where}: there is no lookup table '{table}'",
                        Closest(table, config.FlowSettings.Lookups.Keys, "tables", "add it under `lookups:`, or write the rows in the step: `rows: { NL: 21, BE: 21 }`")));
                }
                else if (step.Action == StepAction.DraftInvoice)
                {
                    KnownType(config, step.Text("type") ?? "customer", At(step, "type"), where, problems);
                }
            }
        }

        FlowLoops.Check(config, problems);
    }

    private static void CheckTrigger(HubConfig config, FlowConfig flow, List<ConfigProblem> problems, Func<string, string?>? environment)
    {
        var where = $"flow '{flow.Name}'";
        switch (flow.Trigger)
        {
            case RecordTrigger record:
                if (KnownType(config, record.Type, record.At, $"{where}: the trigger", problems) is not { } type)
                {
                    break;
                }

                foreach (var field in record.Fields.Where(f => !type.Schema.HasField(f)))
                {
                    problems.Add(new ConfigProblem(record.At, "unknown-field", $"{where}: the trigger watches '{field}', which is not a field of {record.Type}", FieldHint(type.Schema, field)));
                }

                foreach (var system in record.From.Where(s => KnownSystem(config, s, record.At, $"{where}: the trigger's from", problems)))
                {
                    if (!config.Syncs.Any(s => s.System == system && s.Type == record.Type && s.Contributes))
                    {
                        problems.Add(new ConfigProblem(record.At, "from-not-synced", $"{where}: the trigger waits for {record.Type} changes from '{system}', but '{system}' sends no {record.Type} to the hub",
                            $"add `- {{ system: {system}, type: {record.Type}, direction: pull }}` (or two-way) under syncs, or leave '{system}' out of from"));
                    }
                }

                break;
            case WebhookTrigger webhook when environment is not null && webhook.Secret.Resolve(environment) is null:
                problems.Add(new ConfigProblem(webhook.Secret.At, "secret-unset", $"environment variable {webhook.Secret.EnvironmentVariable} ({where}: the webhook secret) is not set",
                    $"export {webhook.Secret.EnvironmentVariable}=… before starting the hub"));
                break;
        }
    }

    private static void CheckRecordStep(HubConfig config, ActionSpec spec, FlowStep step, string where, List<ConfigProblem> problems)
    {
        if (step.Text("type") is not { } typeName || KnownType(config, typeName, At(step, "type"), where, problems) is not { } type)
        {
            return;
        }

        foreach (var argument in new[] { "where", "fields" })
        {
            foreach (var field in (step.Args[argument] as JsonObject)?.Select(p => p.Key) ?? [])
            {
                if (!type.Schema.HasField(field))
                {
                    problems.Add(new ConfigProblem(At(step, $"{argument}.{field}"), "unknown-field", $"{where}: '{field}' is not a field of {typeName}", FieldHint(type.Schema, field)));
                }
            }
        }

        var match = step.Args["match"] as JsonArray;
        for (var i = 0; i < (match?.Count ?? 0); i++)
        {
            var field = match![i]!.GetValue<string>();
            if (!type.Schema.HasField(field))
            {
                problems.Add(new ConfigProblem(At(step, $"match.{i}"), "unknown-field", $"{where}: match names '{field}', which is not a field of {typeName}", FieldHint(type.Schema, field)));
            }
        }

        if (match is null && step.Action is StepAction.FindOrCreate or StepAction.Upsert && type.Identity.Count == 0)
        {
            problems.Add(new ConfigProblem(step.At, "missing-argument", $"{where}: {spec.Key} needs `match:`, since {typeName} has no identity keys to match on",
                $"name the fields that must be equal: `match: [{type.Schema.FieldNames.FirstOrDefault() ?? "number"}]`"));
        }

        if (step.Text("in") is { } system && KnownSystem(config, system, At(step, "in"), $"{where}: in", problems))
        {
            CheckIn(config, spec, step, system, typeName, where, problems);
        }
    }

    /// <summary>A find <c>in:</c> a system needs its links, so any sync of the type; a write needs the system to receive the type.</summary>
    private static void CheckIn(HubConfig config, ActionSpec spec, FlowStep step, string system, string type, string where, List<ConfigProblem> problems)
    {
        var rules = config.Syncs.Where(s => s.System == system && s.Type == type).ToList();
        if (!spec.Writes && rules.Count == 0)
        {
            problems.Add(new ConfigProblem(At(step, "in"), "in-not-synced", $"{where}: finds {type} in '{system}', but no sync rule moves {type} to or from '{system}', so no record is linked there",
                $"add a sync rule for {type} with '{system}', or leave out `in:` to search every {type}"));
        }
        else if (spec.Writes && !rules.Any(r => r.Receives))
        {
            problems.Add(new ConfigProblem(At(step, "in"), "in-not-synced", $"{where}: writes {type} in '{system}', but '{system}' does not receive {type} (no push or two-way sync rule)",
                $"add `- {{ system: {system}, type: {type}, direction: push }}` under syncs, or leave out `in:` to write the hub's record only"));
        }
    }

    private static void CheckNotify(HubConfig config, IConnectorCatalog catalog, FlowStep step, string where, List<ConfigProblem> problems)
    {
        if (step.Text("via") is not { } via || !KnownSystem(config, via, At(step, "via"), $"{where}: via", problems)
            || catalog.Find(config.Systems[via].Kind) is not { } kind)
        {
            return;
        }

        if (kind.NotifyArguments.Count == 0)
        {
            var able = config.Systems.Values.Where(s => catalog.Find(s.Kind)?.NotifyArguments.Count > 0).Select(s => s.Name).ToList();
            var kinds = catalog.Kinds.Where(k => k.NotifyArguments.Count > 0).Select(k => k.Kind).ToList();
            problems.Add(new ConfigProblem(At(step, "via"), "cannot-notify", $"{where}: '{via}' is a {kind.Kind} system, which cannot send notifications",
                able.Count > 0 ? $"systems here that can: {string.Join(", ", able)}" : $"kinds that can: {(kinds.Count > 0 ? string.Join(", ", kinds) : "none in this build")}"));
            return;
        }

        foreach (var (argument, _) in step.Args.Where(a => a.Key != "via" && !kind.NotifyArguments.Contains(a.Key, StringComparer.Ordinal)))
        {
            var guess = Suggestions.Closest(argument, kind.NotifyArguments);
            problems.Add(new ConfigProblem(At(step, argument), "unknown-argument", $"{where}: a notify through '{via}' ({kind.Kind}) has no argument '{argument}'",
                (guess is not null ? $"did you mean '{guess}'? " : "") + $"arguments: via, {string.Join(", ", kind.NotifyArguments)}"));
        }

        foreach (var required in kind.NotifyRequires.Where(r => !step.Args.ContainsKey(r)))
        {
            problems.Add(new ConfigProblem(step.At, "missing-argument", $"{where}: a notify through '{via}' ({kind.Kind}) needs `{required}:`",
                $"arguments: via, {string.Join(", ", kind.NotifyArguments)}"));
        }
    }

    private static EntityTypeConfig? KnownType(HubConfig config, string name, SourceSpan at, string where, List<ConfigProblem> problems)
    {
        if (config.Entities.TryGetValue(name, out var type))
        {
            return type;
        }

        var shipped = CanonicalSchemas.TryGet(name, out _);
        problems.Add(new ConfigProblem(at, "unknown-type", shipped
                ? $"{where}: type '{name}' is not declared under entities"
                : $"{where}: unknown entity type '{name}'",
            shipped ? $"add `{name}: {{ owner: <system> }}` under entities" : Closest(name, config.Entities.Keys, "configured types", null)));
        return null;
    }

    private static bool KnownSystem(HubConfig config, string name, SourceSpan at, string where, List<ConfigProblem> problems)
    {
        if (config.Systems.ContainsKey(name))
        {
            return true;
        }

        problems.Add(new ConfigProblem(at, "unknown-system", $"{where} names unknown system '{name}'", Closest(name, config.Systems.Keys, "declared systems", null)));
        return false;
    }

    private static SourceSpan At(FlowStep step, string path) => step.ArgSpans.GetValueOrDefault(path, step.At);

    private static string FieldHint(EntitySchema schema, string field) =>
        schema.Suggest(field) is { } guess ? $"did you mean '{guess}'?" : $"fields of {schema.Type}: {string.Join(", ", schema.FieldNames)}";

    private static string Closest(string name, IEnumerable<string> known, string what, string? otherwise)
    {
        var list = known.ToList();
        return Suggestions.Closest(name, list) is { } guess
            ? $"did you mean '{guess}'?"
            : otherwise ?? $"{what}: {(list.Count == 0 ? "none" : string.Join(", ", list))}";
    }
}
