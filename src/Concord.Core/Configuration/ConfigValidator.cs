using Concord.Core.Schema;

namespace Concord.Core.Configuration;

/// <summary>
/// Checks a loaded configuration as a whole: systems and their settings, exactly one owner per type,
/// field owners that actually sync their fields, sync rules, and cycles that would loop.
/// Every problem is reported, each with where it was written and a hint.
/// </summary>
public sealed class ConfigValidator(IConnectorCatalog catalog)
{
    /// <summary>Validates; with <paramref name="environment"/> also checks that referenced secrets are set.</summary>
    public IReadOnlyList<ConfigProblem> Validate(HubConfig config, Func<string, string?>? environment = null)
    {
        var problems = new List<ConfigProblem>();
        CheckSystems(config, problems, environment);
        CheckEntities(config, problems);
        SurvivorshipChecks.Check(config, problems);
        CheckSyncs(config, problems);
        CheckCycles(config, problems);
        GuardrailChecks.Check(config, problems);
        HealthChecks.Check(config, problems);
        FlowChecks.Check(config, catalog, problems, environment);
        VerifyChecks.Check(config, catalog, problems);
        AlertChecks.Check(config, catalog, problems);
        return problems;
    }

    private void CheckSystems(HubConfig config, List<ConfigProblem> problems, Func<string, string?>? environment)
    {
        foreach (var system in config.Systems.Values)
        {
            var descriptor = catalog.Find(system.Kind);
            if (descriptor is null)
            {
                if (system.Kind.Length > 0)
                {
                    var guess = Suggestions.Closest(system.Kind, catalog.Kinds.Select(k => k.Kind));
                    problems.Add(new ConfigProblem(system.KindAt, "unknown-kind", $"system '{system.Name}' has unknown kind '{system.Kind}'",
                        (guess is not null ? $"did you mean '{guess}'? " : "") + $"known kinds: {string.Join(", ", catalog.Kinds.Select(k => k.Kind))}"));
                }

                continue;
            }

            var written = system.Settings.Keys.Concat(system.Secrets.Keys).ToList();
            foreach (var key in written)
            {
                var setting = descriptor.Find(key);
                var at = system.Settings.TryGetValue(key, out var sv) ? sv.At : system.Secrets[key].At;
                if (setting is null)
                {
                    var guess = Suggestions.Closest(key, descriptor.Settings.Select(s => s.Name));
                    problems.Add(new ConfigProblem(at, "unknown-setting", $"'{key}' is not a setting of the {system.Kind} connector (system '{system.Name}')",
                        (guess is not null ? $"did you mean '{guess}'? " : "") + $"settings: {string.Join(", ", descriptor.Settings.Select(s => s.Name))}"));
                    continue;
                }

                if (setting.Secret && system.Settings.ContainsKey(key))
                {
                    problems.Add(new ConfigProblem(at, "inline-secret", $"systems.{system.Name}.settings.{key} is a secret and must not be written in the file",
                        $"write `{key}: {{ env: {EnvName(system.Name, key)} }}` and set that environment variable"));
                }

                if (setting.Allowed is { } allowed && sv is not null && !allowed.Contains(sv.Text, StringComparer.Ordinal))
                {
                    problems.Add(new ConfigProblem(at, "bad-setting", $"systems.{system.Name}.settings.{key} must be one of {string.Join(", ", allowed)}, not '{sv.Text}'"));
                }

                if (setting.IsDuration && sv is not null && (!Duration.TryParse(sv.Text, out var d) || d <= TimeSpan.Zero))
                {
                    problems.Add(new ConfigProblem(at, "bad-setting", $"systems.{system.Name}.settings.{key} must be a positive duration such as 30s or 5m, not '{sv.Text}'"));
                }

                if (setting.IsUrl && sv is not null && (!Uri.TryCreate(sv.Text, UriKind.Absolute, out var url) || (url.Scheme != "http" && url.Scheme != "https")))
                {
                    problems.Add(new ConfigProblem(at, "bad-url", $"systems.{system.Name}.settings.{key} must be an absolute http(s) URL, not '{sv.Text}'"));
                }

                if (setting.Validate is { } validate && sv is not null && validate(sv.Text) is { } wrong)
                {
                    problems.Add(new ConfigProblem(at, "bad-setting", $"systems.{system.Name}.settings.{key} {wrong}"));
                }

                if (environment is not null && system.Secrets.TryGetValue(key, out var secret) && secret.Resolve(environment) is null)
                {
                    problems.Add(new ConfigProblem(secret.At, "secret-unset", $"environment variable {secret.EnvironmentVariable} (systems.{system.Name}.settings.{key}) is not set",
                        $"export {secret.EnvironmentVariable}=… before starting the hub"));
                }
            }

            foreach (var setting in descriptor.Settings.Where(s => IsRequired(s, system) && !written.Contains(s.Name)))
            {
                var example = setting.Secret ? $"{{ env: {EnvName(system.Name, setting.Name)} }}" : "…";
                problems.Add(new ConfigProblem(system.At, "missing-setting", $"system '{system.Name}' ({system.Kind}) needs settings.{setting.Name}: {setting.Description}",
                    $"add `{setting.Name}: {example}` under systems.{system.Name}.settings"));
            }

            foreach (var (message, hint) in descriptor.Check?.Invoke(system) ?? [])
            {
                problems.Add(new ConfigProblem(system.At, "bad-settings", $"system '{system.Name}' ({system.Kind}): {message}", hint));
            }

            CheckFieldOverrides(config, system, descriptor, problems);

            if (system.Mapping is { } mapping)
            {
                if (!descriptor.ReceivesFrom(system))
                {
                    problems.Add(new ConfigProblem(mapping.At, "mapping-not-inbound", $"system '{system.Name}' ({system.Kind}) receives no webhooks, so it has nothing to map",
                        descriptor.InboundRequires is { } needed ? $"give it settings.{needed}" : null));
                }
                else if (!config.Entities.TryGetValue(mapping.Type, out var type))
                {
                    problems.Add(new ConfigProblem(mapping.At, "unknown-type", $"mapping of system '{system.Name}' names type '{mapping.Type}', which is not declared under entities",
                        SuggestType(config, mapping.Type)));
                }
                else
                {
                    foreach (var f in mapping.Fields.Where(f => !type.Schema.HasField(f.Field)))
                    {
                        problems.Add(new ConfigProblem(f.At, "unknown-field", $"mapping of system '{system.Name}': '{f.Field}' is not a field of {mapping.Type}", FieldHint(type.Schema, f.Field)));
                    }
                }
            }
        }
    }

    /// <summary>
    /// A vendor names an invoice's customer by its own id, so the customer must reach the vendor
    /// first; if no rule sends customers there, the invoices would wait for ever.
    /// </summary>
    private static void WarnOnUnreachableReferences(HubConfig config, SyncRule rule, Mapping.EntitySupport entity, EntityTypeConfig type, List<ConfigProblem> problems)
    {
        var overrides = config.Systems[rule.System].FieldOverrides.GetValueOrDefault(rule.Type) ?? [];
        foreach (var (field, spec) in entity.Fields)
        {
            var written = overrides.FirstOrDefault(o => o.Field == field);
            var effective = written is null ? spec : written.Spec;
            if (effective is null || !effective.EndsWith("|ref", StringComparison.Ordinal) || !rule.Covers(field)
                || !type.Schema.TryGetField(field, out var schema) || schema.RefersTo is not { } target)
            {
                continue;
            }

            if (!config.Syncs.Any(s => s.System == rule.System && s.Type == target && (s.Receives || s.Contributes)))
            {
                problems.Add(new ConfigProblem(rule.TypeAt, "reference-not-synced",
                    $"'{rule.System}' receives {rule.Type} with its {field}, but no rule syncs {target} with '{rule.System}': {rule.Type} records would wait for ever for their {field}",
                    $"add `- {{ system: {rule.System}, type: {target}, direction: push }}` under syncs, or leave {field} out of the rule's fields", ProblemSeverity.Warning));
            }
        }
    }

    private static void CheckFieldOverrides(HubConfig config, SystemConfig system, ConnectorDescriptor descriptor, List<ConfigProblem> problems)
    {
        foreach (var (type, overrides) in system.FieldOverrides)
        {
            var at = overrides.Count > 0 ? overrides[0].At : system.At;
            if (descriptor.Entities.Count == 0)
            {
                problems.Add(new ConfigProblem(at, "fields-not-vendor", $"systems.{system.Name}.fields: the {system.Kind} connector has no vendor field mapping to override",
                    system.Kind == "webhook" || system.Kind == "http" ? "to read a sender's own JSON, use `mapping:`" : null));
                return;
            }

            if (descriptor.Entity(type) is null)
            {
                problems.Add(new ConfigProblem(at, "unsupported-type", $"systems.{system.Name}.fields.{type}: the {system.Kind} connector does not sync {type}",
                    $"it syncs: {string.Join(", ", descriptor.Entities.Select(e => e.Type))}"));
                continue;
            }

            if (descriptor.EntitiesOf(system).All(e => e.Type != type))
            {
                var (message, hint) = Displaced(system, descriptor, type);
                problems.Add(new ConfigProblem(at, "unsupported-type", $"systems.{system.Name}.fields.{type}: {message}", hint));
                continue;
            }

            if (!config.Entities.TryGetValue(type, out var entity))
            {
                continue;
            }

            foreach (var o in overrides.Where(o => !entity.Schema.HasField(o.Field)))
            {
                problems.Add(new ConfigProblem(o.At, "unknown-field", $"systems.{system.Name}.fields.{type}: '{o.Field}' is not a field of {type}", FieldHint(entity.Schema, o.Field)));
            }
        }
    }

    /// <summary>
    /// Why a type the kind supports is not synced by this system: its settings gave the type's vendor
    /// object to another type, and one vendor record cannot be two hub records.
    /// </summary>
    private static (string Message, string Hint) Displaced(SystemConfig system, ConnectorDescriptor kind, string type)
    {
        var obj = kind.Entity(type)!.VendorObject;
        var taker = kind.EntitiesOf(system).FirstOrDefault(e => e.VendorObject == obj);
        var message = taker is null
            ? $"'{system.Name}' ({kind.Kind}) does not sync {type} with the settings it has"
            : $"'{system.Name}' ({kind.Kind}) keeps {taker.Type} on its {obj} (see systems.{system.Name}.settings), so it cannot sync {type} too: two types on one object";
        return (message, $"sync {type} with another system, or change systems.{system.Name}.settings; it syncs: {string.Join(", ", kind.EntitiesOf(system).Select(e => e.Type))}");
    }

    private static bool IsRequired(SettingDescriptor setting, SystemConfig system)
    {
        if (setting.RequiredWhen is null)
        {
            return setting.Required;
        }

        var parts = setting.RequiredWhen.Split('=', 2);
        var actual = system.GetSetting(parts[0]);
        return parts.Length == 2 && actual == parts[1];
    }

    private static void CheckEntities(HubConfig config, List<ConfigProblem> problems)
    {
        foreach (var type in config.Entities.Values)
        {
            if (type.Owner is null)
            {
                problems.Add(new ConfigProblem(type.At, "no-owner", $"entity type '{type.Name}' has no owner",
                    $"every type has exactly one system of record: add `owner: <system>` under entities.{type.Name}"));
            }
            else
            {
                CheckSystemRef(config, type.Owner, type.OwnerAt, $"owner of {type.Name}", problems);
                if (config.Systems.ContainsKey(type.Owner) && !Contributes(config, type.Owner, type.Name, field: null))
                {
                    problems.Add(new ConfigProblem(type.OwnerAt, "owner-not-synced", $"'{type.Owner}' owns {type.Name} but has no pull or two-way sync for it, so it can never supply a value",
                        $"add `- {{ system: {type.Owner}, type: {type.Name}, direction: two-way }}` under syncs"));
                }
            }

            foreach (var extra in type.ExtraOwners)
            {
                problems.Add(new ConfigProblem(extra, "two-owners", $"entity type '{type.Name}' has more than one owner",
                    "a type has exactly one system of record; give other systems the fields they own: `fields: { subscription_status: { owner: billing } }`"));
            }

            foreach (var fo in type.FieldOwners.Values)
            {
                CheckSystemRef(config, fo.System, fo.At, $"owner of {type.Name}.{fo.Field}", problems);
                if (config.Systems.ContainsKey(fo.System) && !Contributes(config, fo.System, type.Name, fo.Field))
                {
                    problems.Add(new ConfigProblem(fo.At, "field-owner-not-synced", $"'{fo.System}' owns {type.Name}.{fo.Field} but does not sync that field to the hub (no pull or two-way rule covering it)",
                        $"add {fo.Field} to the fields of {fo.System}'s {type.Name} sync, or make that sync two-way"));
                }
            }

            foreach (var key in type.Identity.Where(k => !type.Schema.HasField(k.Field)))
            {
                problems.Add(new ConfigProblem(key.At, "unknown-field", $"identity key '{key.Field}' is not a field of {type.Name}", FieldHint(type.Schema, key.Field)));
            }

            if (!config.Syncs.Any(s => s.Type == type.Name))
            {
                problems.Add(new ConfigProblem(type.At, "type-unsynced", $"entity type '{type.Name}' is declared but no sync rule moves it", null, ProblemSeverity.Warning));
            }
        }
    }

    private void CheckSyncs(HubConfig config, List<ConfigProblem> problems)
    {
        var seen = new HashSet<(string, string)>();
        foreach (var rule in config.Syncs)
        {
            var systemKnown = CheckSystemRef(config, rule.System, rule.SystemAt, "sync rule", problems);
            if (!config.Entities.TryGetValue(rule.Type, out var type))
            {
                var shipped = CanonicalSchemas.TryGet(rule.Type, out _);
                problems.Add(new ConfigProblem(rule.TypeAt, shipped ? "type-undeclared" : "unknown-type",
                    shipped ? $"type '{rule.Type}' is synced but not declared under entities, so it has no owner" : $"unknown entity type '{rule.Type}'",
                    shipped ? $"add `{rule.Type}: {{ owner: <system> }}` under entities" : SuggestType(config, rule.Type)));
                continue;
            }

            if (!seen.Add((rule.System, rule.Type)))
            {
                problems.Add(new ConfigProblem(rule.At, "duplicate-sync", $"'{rule.System}' has more than one sync rule for {rule.Type}", "merge them into one rule"));
            }

            foreach (var field in (rule.Fields ?? []).Concat(rule.Filter.Select(f => f.Field)).Distinct().Where(f => !type.Schema.HasField(f)))
            {
                problems.Add(new ConfigProblem(rule.FieldSpans.GetValueOrDefault(field, rule.At), "unknown-field",
                    $"'{field}' is not a field of {rule.Type} (sync of {rule.System})", FieldHint(type.Schema, field)));
            }

            if (!systemKnown || catalog.Find(config.Systems[rule.System].Kind) is not { } kind)
            {
                continue;
            }

            var system = config.Systems[rule.System];
            if (kind.Entities.Count > 0 && kind.Entity(rule.Type) is not { } support)
            {
                problems.Add(new ConfigProblem(rule.TypeAt, "unsupported-type", $"the {kind.Kind} connector does not sync {rule.Type} (sync of {rule.System})",
                    $"it syncs: {string.Join(", ", kind.Entities.Select(e => e.Type))}"));
                continue;
            }

            if (kind.Entity(rule.Type) is not null && kind.EntitiesOf(system).All(e => e.Type != rule.Type))
            {
                var (message, hint) = Displaced(system, kind, rule.Type);
                problems.Add(new ConfigProblem(rule.TypeAt, "unsupported-type", message, hint));
                continue;
            }

            if (kind.EntitiesOf(system).FirstOrDefault(e => e.Type == rule.Type) is { } entity)
            {
                if (rule.Receives)
                {
                    WarnOnUnreachableReferences(config, rule, entity, type, problems);
                }

                if (rule.Receives && !entity.Can(Mapping.EntityOperations.Create) && !entity.Can(Mapping.EntityOperations.Upsert) && !entity.Can(Mapping.EntityOperations.Notify))
                {
                    problems.Add(new ConfigProblem(rule.DirectionAt, "cannot-push", $"the {kind.Kind} connector only reads {rule.Type}; it cannot receive it", "use direction: pull"));
                }

                if (rule.Contributes && !entity.Can(Mapping.EntityOperations.Read))
                {
                    problems.Add(new ConfigProblem(rule.DirectionAt, "cannot-pull", $"the {kind.Kind} connector cannot read {rule.Type} from {rule.System}", "use direction: push"));
                }
            }

            if (rule.Receives && !kind.Outbound)
            {
                problems.Add(new ConfigProblem(rule.DirectionAt, "cannot-push", $"'{rule.System}' is a {kind.Kind} system, which only sends to the hub; it cannot receive {rule.Type}",
                    "use direction: pull"));
            }

            if (rule.Contributes && !kind.ReceivesFrom(system))
            {
                problems.Add(new ConfigProblem(rule.DirectionAt, "cannot-pull", $"'{rule.System}' is a {kind.Kind} system, which cannot send changes to the hub",
                    kind.InboundRequires is { } needed ? $"give it `{needed}: {{ env: … }}` so it can post signed webhooks to /hooks/{rule.System}, or use direction: push" : "use direction: push"));
            }

            // With an unknown owner that problem is already reported; this one would only echo it.
            if (rule.Direction == SyncDirection.TwoWay && type.Owner != rule.System && !type.FillIn && type.Owner is not null && config.Systems.ContainsKey(type.Owner)
                && !type.FieldOwners.Values.Any(fo => fo.System == rule.System && rule.Covers(fo.Field)))
            {
                problems.Add(new ConfigProblem(rule.DirectionAt, "two-way-without-owners",
                    $"two-way sync of {rule.Type} with '{rule.System}', but '{rule.System}' owns none of its fields: its changes could never apply",
                    $"make it `direction: push`, give it the fields it is the source of (entities.{rule.Type}.fields.<field>.owner: {rule.System}), or set entities.{rule.Type}.fill_in: true"));
            }

            if (system.Mapping is { } mapping && rule.Contributes && mapping.Type != rule.Type && mapping.Type.Length > 0)
            {
                problems.Add(new ConfigProblem(rule.TypeAt, "mapping-type-mismatch", $"'{rule.System}' maps its payloads to {mapping.Type}, so it cannot contribute {rule.Type}"));
            }
        }
    }

    /// <summary>
    /// A loop needs a field whose golden value can be written by a system that also receives it
    /// back, other than through its owner. Owners and echo suppression stop single-system echoes;
    /// what remains is fill-in: two non-owners that both fill a field and both receive it would
    /// overwrite each other through the hub for ever.
    /// </summary>
    private static void CheckCycles(HubConfig config, List<ConfigProblem> problems)
    {
        foreach (var type in config.Entities.Values.Where(t => t.FillIn))
        {
            foreach (var field in type.Schema.FieldNames)
            {
                var owner = type.OwnerOf(field);
                var writers = config.Syncs
                    .Where(s => s.Type == type.Name && s.Direction == SyncDirection.TwoWay && s.Covers(field) && s.System != owner)
                    .ToList();
                if (writers.Count < 2)
                {
                    continue;
                }

                var path = string.Join(" → ", writers.Select(w => $"{w.System} → hub").Append(writers[0].System));
                problems.Add(new ConfigProblem(writers[1].At, "sync-cycle",
                    $"{type.Name}.{field} would loop: {path} (fill-in by more than one system that also receives the field)",
                    $"give {type.Name}.{field} an owner (entities.{type.Name}.fields.{field}.owner), or take {field} out of the two-way syncs of all but one of: {string.Join(", ", writers.Select(w => w.System))}"));
            }
        }
    }

    private static bool Contributes(HubConfig config, string system, string type, string? field) =>
        config.Syncs.Any(s => s.System == system && s.Type == type && s.Contributes && (field is null || s.Covers(field)));

    private static bool CheckSystemRef(HubConfig config, string name, SourceSpan at, string where, List<ConfigProblem> problems)
    {
        if (config.Systems.ContainsKey(name))
        {
            return true;
        }

        var guess = Suggestions.Closest(name, config.Systems.Keys);
        problems.Add(new ConfigProblem(at, "unknown-system", $"{where} names unknown system '{name}'",
            guess is not null ? $"did you mean '{guess}'?" : $"declared systems: {(config.Systems.Count == 0 ? "none" : string.Join(", ", config.Systems.Keys))}"));
        return false;
    }

    private static string FieldHint(EntitySchema schema, string field) =>
        schema.Suggest(field) is { } guess ? $"did you mean '{guess}'?" : $"fields of {schema.Type}: {string.Join(", ", schema.FieldNames)}";

    private static string SuggestType(HubConfig config, string type) =>
        Suggestions.Closest(type, config.Entities.Keys.Concat(CanonicalSchemas.Names)) is { } guess
            ? $"did you mean '{guess}'?"
            : $"declared types: {string.Join(", ", config.Entities.Keys)}";

    private static string EnvName(string system, string key) => $"{system}_{key}".ToUpperInvariant().Replace('-', '_');
}
