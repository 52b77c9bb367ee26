using Concord.Core.Schema;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Concord.Core.Configuration;

/// <summary>The result of reading <c>concord.yaml</c>: the model (as far as it could be read) and every problem.</summary>
public sealed record ConfigLoadResult(HubConfig Config, IReadOnlyList<ConfigProblem> Problems)
{
    public bool HasErrors => Problems.Any(p => p.Severity == ProblemSeverity.Error);
}

/// <summary>
/// Reads <c>concord.yaml</c> into a <see cref="HubConfig"/>, keeping the position of every element.
/// Reading goes on after a problem so that all of them are reported in one pass; semantic checks
/// (owners, syncs, cycles) are the <see cref="ConfigValidator"/>'s job.
/// </summary>
public static class ConfigLoader
{
    private static readonly string[] TopKeys = ["version", "hub", "systems", "entities", "syncs", "guardrails", "lookups", "flows", "tools", "verify", "alerts", "health"];
    private static readonly string[] HubKeys = ["listen", "data", "log_retention", "max_body", "flows", "traffic_retention", "baseline_weeks", "schema_min_samples"];
    private static readonly string[] SystemKeys = ["kind", "settings", "mapping", "fields", "retry", "rate_limit", "circuit_breaker", "layer", "cost", "credential_expires"];
    private static readonly string[] EntityKeys = ["owner", "fill_in", "identity", "fields", "matching", "survivorship"];
    private static readonly string[] FieldKeys = ["type", "owner", "required", "pii"];
    private static readonly string[] SyncKeys = ["system", "type", "direction", "fields", "filter"];
    private static readonly string[] MappingKeys = ["type", "external_id", "event_id", "event_id_header", "fields"];
    private static readonly string[] Transforms = ["trim", "lower", "upper", "collapse_spaces", "digits"];

    public static ConfigLoadResult LoadFile(string path)
    {
        var text = System.IO.File.ReadAllText(path);
        return Load(text, Path.GetFileName(path));
    }

    public static ConfigLoadResult Load(string yaml, string file = "concord.yaml")
    {
        var problems = new List<ConfigProblem>();
        var config = new HubConfig { File = file };
        var nav = new YamlNav(file, problems);

        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException ex)
        {
            problems.Add(new ConfigProblem(new SourceSpan(file, (int)ex.Start.Line, (int)ex.Start.Column), "yaml-syntax",
                ex.InnerException?.Message ?? ex.Message, "check the indentation and that every `key:` is followed by a space"));
            return new ConfigLoadResult(config, problems);
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            problems.Add(new ConfigProblem(new SourceSpan(file, 1, 1), "empty", "the file has no configuration", "run `concord init` for a starter file"));
            return new ConfigLoadResult(config, problems);
        }

        nav.OnlyKnownKeys(root, "the top level", TopKeys);
        if (YamlNav.Child(root, "version") is { } versionNode && nav.Scalar(versionNode, "version") is { } v && v != "1")
        {
            nav.Error(versionNode, "version", $"configuration version {v} is not supported", "this hub reads version: 1");
        }

        if (YamlNav.Child(root, "hub") is { } hubNode && nav.Mapping(hubNode, "hub") is { } hub)
        {
            ReadHub(nav, hub, config.Hub);
            if (YamlNav.Child(hub, "flows") is { } flowSettings)
            {
                FlowsReader.ReadSettings(nav, flowSettings, config.FlowSettings);
            }
        }

        if (YamlNav.Child(root, "systems") is { } systemsNode && nav.Mapping(systemsNode, "systems") is { } systems)
        {
            foreach (var entry in systems.Children)
            {
                var system = ReadSystem(nav, YamlNav.Key(entry), entry.Key, entry.Value);
                if (system is not null)
                {
                    config.Systems[system.Name] = system;
                }
            }
        }

        if (YamlNav.Child(root, "tools") is { } toolsNode && nav.Mapping(toolsNode, "tools") is { } tools)
        {
            foreach (var entry in tools.Children)
            {
                if (ReadTool(nav, YamlNav.Key(entry), entry.Key, entry.Value, config) is { } tool)
                {
                    config.Tools[tool.Name] = tool;
                }
            }
        }

        if (YamlNav.Child(root, "entities") is { } entitiesNode && nav.Mapping(entitiesNode, "entities") is { } entities)
        {
            foreach (var entry in entities.Children)
            {
                var type = ReadEntity(nav, YamlNav.Key(entry), entry.Key, entry.Value);
                if (type is not null)
                {
                    config.Entities[type.Name] = type;
                }
            }
        }

        if (YamlNav.Child(root, "guardrails") is { } guardrailsNode)
        {
            GuardrailsReader.Read(nav, guardrailsNode, config);
        }

        if (YamlNav.Child(root, "syncs") is { } syncsNode && nav.Sequence(syncsNode, "syncs") is { } syncs)
        {
            foreach (var item in syncs.Children)
            {
                if (ReadSync(nav, item) is { } rule)
                {
                    config.Syncs.Add(rule);
                }
            }
        }

        if (YamlNav.Child(root, "lookups") is { } lookupsNode)
        {
            FlowsReader.ReadLookups(nav, lookupsNode, config.FlowSettings);
        }

        if (YamlNav.Child(root, "flows") is { } flowsNode)
        {
            FlowsReader.ReadFlows(nav, new ScalarPositions(yaml), flowsNode, config);
        }

        if (YamlNav.Child(root, "verify") is { } verifyNode)
        {
            VerifyReader.Read(nav, verifyNode, config.Verify);
        }

        AlertsReader.Read(nav, YamlNav.Child(root, "alerts"), config);
        if (YamlNav.Child(root, "health") is { } healthNode)
        {
            HealthReader.Read(nav, healthNode, config.Health);
        }

        return new ConfigLoadResult(config, problems);
    }

    private static void ReadHub(YamlNav nav, YamlMappingNode hub, HubSettings settings)
    {
        nav.OnlyKnownKeys(hub, "hub", HubKeys);
        settings.At = nav.At(hub);
        if (YamlNav.Child(hub, "listen") is { } listen && nav.Scalar(listen, "hub.listen") is { } url)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var u) || (u.Scheme != "http" && u.Scheme != "https"))
            {
                nav.Error(listen, "bad-url", $"hub.listen must be an http(s) URL, not '{url}'", "for example http://127.0.0.1:5080");
            }

            settings.Listen = url;
        }

        if (YamlNav.Child(hub, "data") is { } data && nav.Scalar(data, "hub.data") is { } path)
        {
            settings.Data = path;
        }

        if (YamlNav.Child(hub, "log_retention") is { } ret && nav.Duration(ret, "hub.log_retention") is { } r)
        {
            settings.LogRetention = r;
        }

        if (YamlNav.Child(hub, "max_body") is { } mb && nav.Size(mb, "hub.max_body") is { } size)
        {
            settings.MaxBodyBytes = size;
        }

        SignalSettingsReader.Read(nav, hub, settings);
    }

    private static SystemConfig? ReadSystem(YamlNav nav, string name, YamlNode keyNode, YamlNode node)
    {
        if (!IsIdentifier(name))
        {
            nav.Error(keyNode, "bad-name", $"system name '{name}' must be lower-case letters, digits, '-' or '_'", "it appears in URLs such as /hooks/{system}");
        }

        if (nav.Mapping(node, $"systems.{name}") is not { } map)
        {
            return null;
        }

        nav.OnlyKnownKeys(map, $"systems.{name}", SystemKeys);
        var kindNode = YamlNav.Child(map, "kind");
        if (kindNode is null)
        {
            nav.Error(keyNode, "missing-kind", $"system '{name}' has no kind", "add `kind: http` (deliveries to a URL, optionally receiving signed webhooks) or `kind: webhook` (receives webhooks only)");
        }

        if (kindNode is YamlScalarNode { Value: null or "" })
        {
            nav.Error(kindNode, "missing-kind", $"system '{name}' has an empty kind", "write `kind: http` or `kind: webhook`");
        }

        var system = new SystemConfig
        {
            Name = name,
            Kind = kindNode is null ? "" : nav.Scalar(kindNode, $"systems.{name}.kind") ?? "",
            At = nav.At(keyNode),
            KindAt = kindNode is null ? nav.At(keyNode) : nav.At(kindNode),
            Mapping = YamlNav.Child(map, "mapping") is { } m ? ReadMapping(nav, name, m) : null,
        };

        if (YamlNav.Child(map, "layer") is { } layerNode)
        {
            system.Layer = ReadLayer(nav, layerNode, $"systems.{name}.layer");
        }

        if (YamlNav.Child(map, "cost") is { } costNode)
        {
            system.Cost = ReadCost(nav, costNode, $"systems.{name}.cost");
        }

        if (YamlNav.Child(map, "credential_expires") is { } expiresNode && nav.Scalar(expiresNode, $"systems.{name}.credential_expires") is { } expires)
        {
            if (DateOnly.TryParseExact(expires.Trim(), "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var date))
            {
                system.CredentialExpires = date;
            }
            else
            {
                nav.Error(expiresNode, "bad-date", $"systems.{name}.credential_expires must be a date such as 2027-03-01, not '{expires}'",
                    "the day the system's API key or token stops working; the credential_expiry alert warns before it");
            }
        }

        if (YamlNav.Child(map, "settings") is { } settingsNode && nav.Mapping(settingsNode, $"systems.{name}.settings") is { } settings)
        {
            foreach (var entry in settings.Children)
            {
                var key = YamlNav.Key(entry);
                if (entry.Value is YamlMappingNode secret)
                {
                    nav.OnlyKnownKeys(secret, $"systems.{name}.settings.{key}", "env");
                    if (YamlNav.Child(secret, "env") is { } envNode && nav.Scalar(envNode, "env") is { } env)
                    {
                        system.Secrets[key] = new SecretRef(env, nav.At(entry.Value));
                    }
                    else
                    {
                        nav.Error(entry.Value, "bad-secret", $"systems.{name}.settings.{key} must be a value or {{ env: VARIABLE }}");
                    }
                }
                else if (nav.Scalar(entry.Value, $"systems.{name}.settings.{key}") is { } text)
                {
                    system.Settings[key] = new SettingValue(text, nav.At(entry.Value));
                }
            }
        }

        if (YamlNav.Child(map, "fields") is { } fieldsNode && nav.Mapping(fieldsNode, $"systems.{name}.fields") is { } fieldTypes)
        {
            ReadFieldOverrides(nav, name, fieldTypes, system);
        }

        if (YamlNav.Child(map, "retry") is { } retryNode && nav.Mapping(retryNode, $"systems.{name}.retry") is { } retry)
        {
            nav.OnlyKnownKeys(retry, $"systems.{name}.retry", "max_attempts", "initial_delay", "max_delay", "timeout");
            if (YamlNav.Child(retry, "max_attempts") is { } n && nav.Int(n, "retry.max_attempts", 1, 1000) is { } attempts)
            {
                system.Retry.MaxAttempts = attempts;
            }

            if (YamlNav.Child(retry, "initial_delay") is { } id && nav.Duration(id, "retry.initial_delay") is { } initial)
            {
                system.Retry.InitialDelay = initial;
            }

            if (YamlNav.Child(retry, "max_delay") is { } md && nav.Duration(md, "retry.max_delay") is { } max)
            {
                system.Retry.MaxDelay = max;
            }

            if (YamlNav.Child(retry, "timeout") is { } to && nav.Duration(to, "retry.timeout") is { } timeout)
            {
                if (timeout <= TimeSpan.Zero)
                {
                    nav.Error(to, "bad-duration", "retry.timeout must be longer than zero");
                }

                system.Retry.Timeout = timeout;
            }

            if (system.Retry.InitialDelay > system.Retry.MaxDelay)
            {
                nav.Error(retryNode, "bad-retry", $"retry.initial_delay ({Configuration.Duration.Format(system.Retry.InitialDelay)}) is longer than retry.max_delay ({Configuration.Duration.Format(system.Retry.MaxDelay)})",
                    "max_delay caps every wait; make it at least initial_delay");
            }
        }

        if (YamlNav.Child(map, "rate_limit") is { } rlNode && nav.Mapping(rlNode, $"systems.{name}.rate_limit") is { } rl)
        {
            nav.OnlyKnownKeys(rl, $"systems.{name}.rate_limit", "per_second", "burst", "concurrency");
            system.RateLimit.Configured = true;
            if (YamlNav.Child(rl, "per_second") is { } ps && nav.Number(ps, "rate_limit.per_second", 0) is { } perSecond)
            {
                system.RateLimit.PerSecond = perSecond;
            }

            if (YamlNav.Child(rl, "burst") is { } b && nav.Int(b, "rate_limit.burst", 1, 100_000) is { } burst)
            {
                system.RateLimit.Burst = burst;
            }

            if (YamlNav.Child(rl, "concurrency") is { } c && nav.Int(c, "rate_limit.concurrency", 1, 1024) is { } conc)
            {
                system.RateLimit.Concurrency = conc;
            }
        }

        if (YamlNav.Child(map, "circuit_breaker") is { } cbNode && nav.Mapping(cbNode, $"systems.{name}.circuit_breaker") is { } cb)
        {
            nav.OnlyKnownKeys(cb, $"systems.{name}.circuit_breaker", "failure_threshold", "break_duration");
            if (YamlNav.Child(cb, "failure_threshold") is { } ft && nav.Int(ft, "circuit_breaker.failure_threshold", 1, 10_000) is { } threshold)
            {
                system.CircuitBreaker.FailureThreshold = threshold;
            }

            if (YamlNav.Child(cb, "break_duration") is { } bd && nav.Duration(bd, "circuit_breaker.break_duration") is { } brk)
            {
                system.CircuitBreaker.BreakDuration = brk;
            }
        }

        return system;
    }

    private static AuditTool? ReadTool(YamlNav nav, string name, YamlNode keyNode, YamlNode node, HubConfig config)
    {
        if (!IsIdentifier(name))
        {
            nav.Error(keyNode, "bad-name", $"tool name '{name}' must be lower-case letters, digits, '-' or '_'", "for example `asana` or `google-workspace`");
        }

        if (nav.Mapping(node, $"tools.{name}") is not { } map)
        {
            return null;
        }

        nav.OnlyKnownKeys(map, $"tools.{name}", "layer", "cost", "url");
        var layerNode = YamlNav.Child(map, "layer");
        if (layerNode is null)
        {
            nav.Error(keyNode, "missing-layer", $"tool '{name}' has no layer", $"add `layer:` with one of {string.Join(", ", StackLayers.Names)}");
        }

        string? url = null;
        if (YamlNav.Child(map, "url") is { } urlNode && nav.Scalar(urlNode, $"tools.{name}.url") is { } u)
        {
            if (!Uri.TryCreate(u, UriKind.Absolute, out var parsed) || (parsed.Scheme != "http" && parsed.Scheme != "https"))
            {
                nav.Error(urlNode, "bad-url", $"tools.{name}.url must be an http(s) URL, not '{u}'", "for example https://app.asana.com");
            }

            url = u;
        }

        if (config.Systems.ContainsKey(name))
        {
            nav.Error(keyNode, "duplicate-tool", $"'{name}' is both a system and a tool", "a connected system is audited already; remove it from tools:");
        }

        return new AuditTool
        {
            Name = name,
            At = nav.At(keyNode),
            Layer = layerNode is null ? StackLayer.None : ReadLayer(nav, layerNode, $"tools.{name}.layer") ?? StackLayer.None,
            Cost = YamlNav.Child(map, "cost") is { } costNode ? ReadCost(nav, costNode, $"tools.{name}.cost") : null,
            Url = url,
        };
    }

    private static StackLayer? ReadLayer(YamlNav nav, YamlNode node, string what)
    {
        if (nav.Scalar(node, what) is not { } text)
        {
            return null;
        }

        if (StackLayers.Parse(text) is { } layer)
        {
            return layer;
        }

        nav.Error(node, "bad-layer", $"{what} must be one of {string.Join(", ", StackLayers.Names)}, not '{text}'",
            "customers = CRM and sales, money = payments and accounting, storage = files and documents, insight = reporting");
        return null;
    }

    private static ToolCost? ReadCost(YamlNav nav, YamlNode node, string what)
    {
        if (nav.Mapping(node, what) is not { } map)
        {
            return null;
        }

        nav.OnlyKnownKeys(map, what, "monthly", "currency");
        var monthlyNode = YamlNav.Child(map, "monthly");
        var currencyNode = YamlNav.Child(map, "currency");
        if (monthlyNode is null || currencyNode is null)
        {
            nav.Error(node, "bad-cost", $"{what} needs both monthly and currency", "for example `cost: { monthly: 49.00, currency: EUR }`");
            return null;
        }

        decimal? monthly = null;
        if (nav.Scalar(monthlyNode, $"{what}.monthly") is { } text)
        {
            if (decimal.TryParse(text, System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture, out var m) && m >= 0)
            {
                monthly = m;
            }
            else
            {
                nav.Error(monthlyNode, "bad-cost", $"{what}.monthly must be a number ≥ 0, not '{text}'", "write the amount per month without a currency sign, e.g. 49.00");
            }
        }

        string? currency = null;
        if (nav.Scalar(currencyNode, $"{what}.currency") is { } code)
        {
            if (code.Length == 3 && code.All(char.IsAsciiLetterUpper))
            {
                currency = code;
            }
            else
            {
                nav.Error(currencyNode, "bad-currency", $"{what}.currency must be a three-letter ISO 4217 code, not '{code}'", "for example EUR, USD or GBP");
            }
        }

        return monthly is { } amount && currency is not null ? new ToolCost(amount, currency, nav.At(node)) : null;
    }

    private static void ReadFieldOverrides(YamlNav nav, string system, YamlMappingNode types, SystemConfig config)
    {
        foreach (var typeEntry in types.Children)
        {
            var type = YamlNav.Key(typeEntry);
            if (nav.Mapping(typeEntry.Value, $"systems.{system}.fields.{type}") is not { } fields)
            {
                continue;
            }

            var list = new List<FieldOverride>();
            foreach (var entry in fields.Children)
            {
                var field = YamlNav.Key(entry);
                var at = nav.At(entry.Key);
                if (entry.Value is YamlScalarNode { Value: null or "" or "~" or "none" } scalar && scalar.Style == ScalarStyle.Plain)
                {
                    list.Add(new FieldOverride(field, null, at));
                }
                else if (nav.Scalar(entry.Value, $"systems.{system}.fields.{type}.{field}") is { } spec)
                {
                    if (Mapping.FieldPath.Parse(spec, out var error) is null)
                    {
                        nav.Error(entry.Value, "bad-field-path", $"systems.{system}.fields.{type}.{field}: {error}",
                            "write the vendor's field as a dotted path, optionally with a conversion: address.line1, amount_due|cents, created|unix");
                    }

                    list.Add(new FieldOverride(field, spec, at));
                }
            }

            config.FieldOverrides[type] = list;
        }
    }

    private static InboundMapping? ReadMapping(YamlNav nav, string system, YamlNode node)
    {
        if (nav.Mapping(node, $"systems.{system}.mapping") is not { } map)
        {
            return null;
        }

        nav.OnlyKnownKeys(map, $"systems.{system}.mapping", MappingKeys);
        var typeNode = YamlNav.Child(map, "type");
        if (typeNode is null)
        {
            nav.Error(node, "mapping-type", $"systems.{system}.mapping needs the entity type its payloads carry", "add `type: customer`");
        }

        var fields = new List<FieldMapping>();
        if (YamlNav.Child(map, "fields") is { } fieldsNode && nav.Mapping(fieldsNode, "mapping.fields") is { } fm)
        {
            foreach (var entry in fm.Children)
            {
                var field = YamlNav.Key(entry);
                if (entry.Value is YamlScalarNode { Value: { } path })
                {
                    fields.Add(new FieldMapping(field, path, [], nav.At(entry.Key)));
                    continue;
                }

                if (nav.Mapping(entry.Value, $"mapping.fields.{field}") is not { } spec)
                {
                    continue;
                }

                nav.OnlyKnownKeys(spec, $"mapping.fields.{field}", "path", "transform");
                var p = YamlNav.Child(spec, "path") is { } pn ? nav.Scalar(pn, "path") : field;
                var transforms = new List<string>();
                if (YamlNav.Child(spec, "transform") is { } tn)
                {
                    foreach (var (t, tnode) in nav.Names(tn, "transform"))
                    {
                        if (!Transforms.Contains(t))
                        {
                            nav.Error(tnode, "unknown-transform", $"unknown transform '{t}'", $"known transforms: {string.Join(", ", Transforms)}");
                        }

                        transforms.Add(t);
                    }
                }

                fields.Add(new FieldMapping(field, p ?? field, transforms, nav.At(entry.Key)));
            }
        }

        return new InboundMapping
        {
            Type = typeNode is null ? "" : nav.Scalar(typeNode, "mapping.type") ?? "",
            At = nav.At(node),
            ExternalId = YamlNav.Child(map, "external_id") is { } e ? nav.Scalar(e, "mapping.external_id") : null,
            EventId = YamlNav.Child(map, "event_id") is { } ev ? nav.Scalar(ev, "mapping.event_id") : null,
            EventIdHeader = YamlNav.Child(map, "event_id_header") is { } eh ? nav.Scalar(eh, "mapping.event_id_header") : null,
            Fields = fields,
        };
    }

    private static EntityTypeConfig? ReadEntity(YamlNav nav, string name, YamlNode keyNode, YamlNode node)
    {
        var canonical = CanonicalSchemas.TryGet(name, out var schema);
        if (!IsIdentifier(name))
        {
            nav.Error(keyNode, "bad-name", $"entity type name '{name}' must start with a lower-case letter and use lower-case letters, digits, '-' or '_'");
        }

        if (nav.Mapping(node, $"entities.{name}") is not { } map)
        {
            return null;
        }

        nav.OnlyKnownKeys(map, $"entities.{name}", EntityKeys);
        var customFields = new List<FieldSchema>();
        var fieldOwners = new Dictionary<string, FieldOwner>(StringComparer.Ordinal);
        if (YamlNav.Child(map, "fields") is { } fieldsNode && nav.Mapping(fieldsNode, $"entities.{name}.fields") is { } fields)
        {
            foreach (var entry in fields.Children)
            {
                var field = YamlNav.Key(entry);
                if (nav.Mapping(entry.Value, $"entities.{name}.fields.{field}") is not { } spec)
                {
                    continue;
                }

                nav.OnlyKnownKeys(spec, $"entities.{name}.fields.{field}", FieldKeys);
                var known = schema?.TryGetField(field, out var existing) == true ? existing : null;
                var typeNode = YamlNav.Child(spec, "type");
                if (known is null && typeNode is null)
                {
                    var guess = schema?.Suggest(field);
                    nav.Error(entry.Key, "unknown-field", $"'{field}' is not a field of {name}",
                        guess is not null ? $"did you mean '{guess}'? To add a custom field, give it a type: `{field}: {{ type: string }}`"
                                          : $"to add a custom field, give it a type: `{field}: {{ type: string }}`");
                    continue;
                }

                var fieldType = known?.Type ?? FieldType.String;
                if (typeNode is not null && nav.Scalar(typeNode, "type") is { } typeText)
                {
                    if (ParseFieldType(typeText) is { } parsed)
                    {
                        fieldType = parsed;
                    }
                    else
                    {
                        nav.Error(typeNode, "unknown-field-type", $"unknown field type '{typeText}'",
                            $"known types: {string.Join(", ", Enum.GetNames<FieldType>().Select(SnakeCase))}");
                    }
                }

                var required = YamlNav.Child(spec, "required") is { } rq ? nav.Bool(rq, "required") ?? false : known?.Required ?? false;
                var pii = YamlNav.Child(spec, "pii") is { } pn ? nav.Bool(pn, "pii") ?? false : known?.Pii ?? false;
                if (known is null || typeNode is not null || YamlNav.Child(spec, "required") is not null || YamlNav.Child(spec, "pii") is not null)
                {
                    customFields.Add(new FieldSchema(field, fieldType, required, pii, Custom: known is null));
                }

                if (YamlNav.Child(spec, "owner") is { } ownerNode && nav.Scalar(ownerNode, "owner") is { } fieldOwner)
                {
                    fieldOwners[field] = new FieldOwner(field, fieldOwner, nav.At(ownerNode));
                }
            }
        }

        var baseSchema = schema ?? new EntitySchema(name, [], custom: true);
        var entity = new EntityTypeConfig
        {
            Name = name,
            At = nav.At(keyNode),
            Schema = baseSchema.With(customFields),
            FieldOwners = fieldOwners,
        };

        if (!canonical && customFields.Count == 0)
        {
            nav.Error(keyNode, "custom-type-without-fields", $"'{name}' is not a shipped type and declares no fields",
                $"shipped types: {string.Join(", ", CanonicalSchemas.Names)}; a custom type lists its fields with their types");
        }

        if (YamlNav.Child(map, "owner") is { } ownerValue)
        {
            if (ownerValue is YamlSequenceNode many)
            {
                foreach (var item in many.Children)
                {
                    if (entity.Owner is null)
                    {
                        entity.Owner = nav.Scalar(item, "owner");
                        entity.OwnerAt = nav.At(item);
                    }
                    else
                    {
                        entity.ExtraOwners.Add(nav.At(item));
                    }
                }
            }
            else
            {
                entity.Owner = nav.Scalar(ownerValue, $"entities.{name}.owner");
                entity.OwnerAt = nav.At(ownerValue);
            }
        }

        if (YamlNav.Child(map, "fill_in") is { } fillIn)
        {
            entity.FillIn = nav.Bool(fillIn, "fill_in") ?? false;
        }

        if (YamlNav.Child(map, "survivorship") is { } survivorship)
        {
            entity.Survivorship = SurvivorshipReader.Read(nav, entity, survivorship);
        }

        if (YamlNav.Child(map, "identity") is { } identityNode && nav.Sequence(identityNode, $"entities.{name}.identity") is { } identity)
        {
            foreach (var item in identity.Children)
            {
                if (item is YamlScalarNode { Value: { } field })
                {
                    entity.Identity.Add(new IdentityKey(field, Identity.Normalizers.DefaultFor(entity.Schema, field), nav.At(item)));
                }
                else if (nav.Mapping(item, "an identity key") is { } key)
                {
                    nav.OnlyKnownKeys(key, "an identity key", "field", "normalize");
                    var f = YamlNav.Child(key, "field") is { } fn ? nav.Scalar(fn, "field") : null;
                    if (f is null)
                    {
                        nav.Error(item, "identity-field", "an identity key needs `field:`");
                        continue;
                    }

                    var normalizer = YamlNav.Child(key, "normalize") is { } nn ? nav.Scalar(nn, "normalize") ?? "exact" : Identity.Normalizers.DefaultFor(entity.Schema, f);
                    if (!Identity.Normalizers.Known.Contains(normalizer))
                    {
                        nav.Error(YamlNav.Child(key, "normalize")!, "unknown-normalizer", $"unknown normalizer '{normalizer}'",
                            $"known: {string.Join(", ", Identity.Normalizers.Known)}");
                    }

                    entity.Identity.Add(new IdentityKey(f, normalizer, nav.At(item)));
                }
            }
        }
        else if (YamlNav.Child(map, "identity") is null)
        {
            foreach (var field in Identity.Normalizers.DefaultKeys(name))
            {
                entity.Identity.Add(new IdentityKey(field, Identity.Normalizers.DefaultFor(entity.Schema, field), SourceSpan.None));
            }
        }

        entity.Matching = YamlNav.Child(map, "matching") is { } matching ? MatchingConfig.Read(nav, matching, name) : MatchingConfig.DefaultFor(name);
        return entity;
    }

    private static SyncRule? ReadSync(YamlNav nav, YamlNode node)
    {
        if (nav.Mapping(node, "a sync rule") is not { } map)
        {
            return null;
        }

        nav.OnlyKnownKeys(map, "a sync rule", SyncKeys);
        var systemNode = YamlNav.Child(map, "system");
        var typeNode = YamlNav.Child(map, "type");
        var directionNode = YamlNav.Child(map, "direction");
        if (systemNode is null || typeNode is null)
        {
            nav.Error(node, "sync-incomplete", "a sync rule needs `system:` and `type:`", "for example `- { system: billing, type: customer, direction: push }`");
            return null;
        }

        var direction = SyncDirection.Push;
        if (directionNode is not null && nav.Scalar(directionNode, "direction") is { } d)
        {
            switch (d)
            {
                case "push": direction = SyncDirection.Push; break;
                case "pull": direction = SyncDirection.Pull; break;
                case "two-way": direction = SyncDirection.TwoWay; break;
                default:
                    nav.Error(directionNode, "bad-direction", $"direction must be push, pull or two-way, not '{d}'",
                        "push: the hub sends to the system; pull: the system sends to the hub; two-way: both");
                    break;
            }
        }
        else if (directionNode is null)
        {
            nav.Error(node, "sync-direction", "a sync rule needs `direction:` (push, pull or two-way)");
        }

        List<string>? fields = null;
        var fieldSpans = new Dictionary<string, SourceSpan>(StringComparer.Ordinal);
        if (YamlNav.Child(map, "fields") is { } fieldsNode)
        {
            fields = [];
            foreach (var (f, fnode) in nav.Names(fieldsNode, "fields"))
            {
                fields.Add(f);
                fieldSpans[f] = nav.At(fnode);
            }
        }

        var filter = new List<FilterCondition>();
        if (YamlNav.Child(map, "filter") is { } filterNode && nav.Mapping(filterNode, "filter") is { } fm)
        {
            foreach (var entry in fm.Children)
            {
                var field = YamlNav.Key(entry);
                fieldSpans.TryAdd(field, nav.At(entry.Key));
                if (entry.Value is YamlMappingNode op)
                {
                    nav.OnlyKnownKeys(op, $"filter.{field}", "not", "exists");
                    if (YamlNav.Child(op, "not") is { } notNode)
                    {
                        filter.Add(new FilterCondition(field, FilterOperator.NotIn, nav.Names(notNode, "not").Select(x => x.Value).ToList(), false, nav.At(entry.Key)));
                    }

                    if (YamlNav.Child(op, "exists") is { } existsNode)
                    {
                        filter.Add(new FilterCondition(field, FilterOperator.Exists, [], nav.Bool(existsNode, "exists") ?? true, nav.At(entry.Key)));
                    }
                }
                else
                {
                    filter.Add(new FilterCondition(field, FilterOperator.In, nav.Names(entry.Value, $"filter.{field}").Select(x => x.Value).ToList(), false, nav.At(entry.Key)));
                }
            }
        }

        return new SyncRule
        {
            System = nav.Scalar(systemNode, "system") ?? "",
            Type = nav.Scalar(typeNode, "type") ?? "",
            Direction = direction,
            Fields = fields,
            Filter = filter,
            At = nav.At(node),
            SystemAt = nav.At(systemNode),
            TypeAt = nav.At(typeNode),
            DirectionAt = directionNode is null ? nav.At(node) : nav.At(directionNode),
            FieldSpans = fieldSpans,
        };
    }

    private static bool IsIdentifier(string name) =>
        name.Length is > 0 and <= 64 && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '_') && char.IsAsciiLetterLower(name[0]);

    internal static FieldType? ParseFieldType(string text)
    {
        if (text.Contains(',', StringComparison.Ordinal))
        {
            return null;
        }

        var compact = text.Replace("_", "", StringComparison.Ordinal);
        return Enum.TryParse<FieldType>(compact, ignoreCase: true, out var t) && !int.TryParse(compact, out _) ? t : null;
    }

    internal static string SnakeCase(string pascal) =>
        string.Concat(pascal.Select((c, i) => char.IsUpper(c) && i > 0 ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
