using YamlDotNet.RepresentationModel;

namespace Concord.Core.Configuration;

/// <summary>
/// Reads <c>entities.&lt;type&gt;.survivorship</c>: <c>rank</c> (systems, most trusted first),
/// <c>then</c> (tie-breaks) and per-field <c>fields</c>. Names of systems are checked by the
/// <see cref="ConfigValidator"/>, which knows the systems and syncs.
/// </summary>
internal static class SurvivorshipReader
{
    private static readonly string[] Keys = ["rank", "then", "fields"];
    private static readonly string[] FieldKeys = ["rank", "then"];

    public static SurvivorshipConfig? Read(YamlNav nav, EntityTypeConfig type, YamlNode node)
    {
        var section = $"entities.{type.Name}.survivorship";
        if (nav.Mapping(node, section) is not { } map)
        {
            return null;
        }

        nav.OnlyKnownKeys(map, section, Keys);
        var fields = new Dictionary<string, FieldSurvivorship>(StringComparer.Ordinal);
        if (YamlNav.Child(map, "fields") is { } fieldsNode && nav.Mapping(fieldsNode, $"{section}.fields") is { } perField)
        {
            foreach (var entry in perField.Children)
            {
                var field = YamlNav.Key(entry);
                if (!type.Schema.HasField(field))
                {
                    var guess = type.Schema.Suggest(field);
                    nav.Error(entry.Key, "unknown-field", $"{section}.fields: '{field}' is not a field of {type.Name}",
                        guess is not null ? $"did you mean '{guess}'?" : $"fields of {type.Name}: {string.Join(", ", type.Schema.FieldNames)}");
                    continue;
                }

                if (nav.Mapping(entry.Value, $"{section}.fields.{field}") is { } spec)
                {
                    nav.OnlyKnownKeys(spec, $"{section}.fields.{field}", FieldKeys);
                    fields[field] = new FieldSurvivorship(field, Rules(nav, spec, $"{section}.fields.{field}"), nav.At(entry.Key));
                }
            }
        }

        return new SurvivorshipConfig { At = nav.At(node), Rules = Rules(nav, map, section), Fields = fields };
    }

    private static SurvivorshipRules Rules(YamlNav nav, YamlMappingNode map, string section)
    {
        var rank = new List<RankedSystem>();
        if (YamlNav.Child(map, "rank") is { } rankNode)
        {
            foreach (var (system, item) in nav.Names(rankNode, $"{section}.rank"))
            {
                if (rank.Any(r => r.System == system))
                {
                    nav.Error(item, "duplicate-rank", $"{section}.rank lists '{system}' more than once", "each system has one place in the ranking");
                    continue;
                }

                rank.Add(new RankedSystem(system, nav.At(item)));
            }
        }

        if (YamlNav.Child(map, "then") is not { } thenNode)
        {
            return new SurvivorshipRules(rank, SurvivorshipConfig.DefaultThen);
        }

        var then = new List<TieBreak>();
        var at = new List<SourceSpan>();
        var known = Enum.GetNames<TieBreak>().Select(n => n.ToLowerInvariant()).ToArray();
        foreach (var (name, item) in nav.Names(thenNode, $"{section}.then"))
        {
            if (!known.Contains(name, StringComparer.Ordinal))
            {
                var guess = Schema.Suggestions.Closest(name, known);
                nav.Error(item, "unknown-tie-break", $"{section}.then: unknown rule '{name}'",
                    (guess is not null ? $"did you mean '{guess}'? " : "") + $"rules: {string.Join(", ", known)} (the owner always comes first, then rank)");
                continue;
            }

            var rule = Enum.Parse<TieBreak>(name, ignoreCase: true);
            if (then.Contains(rule))
            {
                nav.Error(item, "duplicate-tie-break", $"{section}.then lists '{name}' more than once");
                continue;
            }

            then.Add(rule);
            at.Add(nav.At(item));
        }

        return new SurvivorshipRules(rank, then) { ThenAt = at, ThenWritten = true };
    }
}
