using Concord.Core.Schema;

namespace Concord.Core.Configuration;

/// <summary>
/// Checks <c>entities.&lt;type&gt;.survivorship</c> against the systems and syncs: a ranked system
/// must exist; ranking the owner, a system that never sends the type (or the field), or a type
/// without fill-in has no effect and is a warning.
/// </summary>
internal static class SurvivorshipChecks
{
    public static void Check(HubConfig config, List<ConfigProblem> problems)
    {
        foreach (var type in config.Entities.Values)
        {
            if (type.Survivorship is not { } survivorship)
            {
                continue;
            }

            if (!type.FillIn)
            {
                problems.Add(new ConfigProblem(survivorship.At, "survivorship-without-fill-in",
                    $"entities.{type.Name}.survivorship: without fill_in only owners write golden values, so the ranking decides only which values a merge keeps",
                    $"set entities.{type.Name}.fill_in: true to let ranked systems fill fields their owner leaves empty", ProblemSeverity.Warning));
            }

            CheckRank(config, type, survivorship.Rules, field: null, problems);
            foreach (var perField in survivorship.Fields.Values)
            {
                CheckRank(config, type, perField.Rules, perField.Field, problems);
            }
        }
    }

    private static void CheckRank(HubConfig config, EntityTypeConfig type, SurvivorshipRules rules, string? field, List<ConfigProblem> problems)
    {
        var where = field is null ? $"entities.{type.Name}.survivorship.rank" : $"entities.{type.Name}.survivorship.fields.{field}.rank";
        var what = field is null ? type.Name : $"{type.Name}.{field}";
        foreach (var ranked in rules.Rank)
        {
            if (!config.Systems.ContainsKey(ranked.System))
            {
                var guess = Suggestions.Closest(ranked.System, config.Systems.Keys);
                problems.Add(new ConfigProblem(ranked.At, "unknown-system", $"{where} names unknown system '{ranked.System}'",
                    guess is not null ? $"did you mean '{guess}'?" : $"declared systems: {(config.Systems.Count == 0 ? "none" : string.Join(", ", config.Systems.Keys))}"));
                continue;
            }

            if (field is null ? ranked.System == type.Owner : ranked.System == type.OwnerOf(field))
            {
                problems.Add(new ConfigProblem(ranked.At, "rank-owner", $"{where}: '{ranked.System}' owns {what}, and the owner's value always comes first",
                    "rank only the other systems, in the order to trust them when the owner has no value", ProblemSeverity.Warning));
                continue;
            }

            if (!config.Syncs.Any(s => s.System == ranked.System && s.Type == type.Name && s.Contributes && (field is null || s.Covers(field))))
            {
                problems.Add(new ConfigProblem(ranked.At, "rank-not-contributing", $"{where}: '{ranked.System}' does not send {what} to the hub (no pull or two-way rule covering it), so its place in the ranking never matters",
                    $"make its sync of {type.Name} pull or two-way, or take it out of the ranking", ProblemSeverity.Warning));
            }
        }
    }
}
