using System.Text.Json.Nodes;
using Concord.Core.Configuration;
using Concord.Core.Records;

namespace Concord.Core.Ownership;

/// <summary>One value that may become a field's golden value, with where it came from.</summary>
public sealed record SurvivorCandidate(string System, JsonNode? Value, string? SourceId, DateTimeOffset ObservedAt);

/// <summary>
/// Survivorship: which of several systems' values a golden field takes. The owner's value is not
/// chosen here, it always comes first; this orders everyone else by the configured ranking, then by
/// the tie-breaks (recency, completeness). An empty value (null, or text of only spaces) counts as
/// no value: it is chosen only when no candidate has one, so a ranked system that blanks a field
/// does not wipe out what another system knows.
/// </summary>
public static class Survivorship
{
    /// <summary>
    /// The winning candidate, or null when there is none. On a complete tie the candidate listed
    /// first wins, so callers list the current value first and a field does not flap between equals.
    /// </summary>
    public static SurvivorCandidate? Choose(IReadOnlyList<SurvivorCandidate> candidates, SurvivorshipRules rules)
    {
        if (candidates.Count == 0)
        {
            return null;
        }

        var pool = candidates.Where(c => !IsEmpty(c.Value)).ToList();
        if (pool.Count == 0)
        {
            pool = [.. candidates];
        }

        // OrderBy is stable: candidates equal under every rule keep their listed order.
        var ordered = pool.OrderBy(c => rules.RankOf(c.System));
        foreach (var rule in rules.Then)
        {
            ordered = rule switch
            {
                TieBreak.Recency => ordered.ThenByDescending(c => c.ObservedAt),
                TieBreak.Completeness => ordered.ThenByDescending(c => Information(c.Value)),
                _ => ordered,
            };
        }

        return ordered.First();
    }

    /// <summary>
    /// The non-owner values of a field that may fill it: the current filled-in value first, then each
    /// system's latest observation (in system-name order, for a deterministic result), skipping the
    /// owner's and those of systems that do not contribute the field.
    /// </summary>
    public static List<SurvivorCandidate> NonOwnerCandidates(GoldenRecord record, string field, string? owner, Func<string, bool> mayFill)
    {
        var result = new List<SurvivorCandidate>();
        if (record.Fields.TryGetValue(field, out var current) && current.FilledIn && current.Override is null)
        {
            result.Add(new SurvivorCandidate(current.System, current.Value, current.SourceId, current.ObservedAt));
        }

        if (record.Observations.TryGetValue(field, out var bySystem))
        {
            foreach (var (system, observation) in bySystem.OrderBy(o => o.Key, StringComparer.Ordinal))
            {
                if (system != owner && mayFill(system))
                {
                    result.Add(new SurvivorCandidate(system, observation.Value, observation.SourceId, observation.ObservedAt));
                }
            }
        }

        return result;
    }

    /// <summary>
    /// How much a value says, for <see cref="TieBreak.Completeness"/>: 0 for null, empty or blank text;
    /// the length of trimmed text; the number of non-empty items of a list or members of an object;
    /// 1 for a number or boolean. More is more complete.
    /// </summary>
    public static int Information(JsonNode? value) => value switch
    {
        null => 0,
        JsonArray array => array.Count(item => Information(item) > 0),
        JsonObject obj => obj.Count(member => Information(member.Value) > 0),
        JsonValue v when v.TryGetValue<string>(out var text) => text.Trim().Length,
        _ => 1,
    };

    /// <summary>Whether a value counts as no value at all.</summary>
    public static bool IsEmpty(JsonNode? value) => Information(value) == 0;
}
