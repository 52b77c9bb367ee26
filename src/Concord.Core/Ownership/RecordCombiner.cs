using Concord.Core.Configuration;
using Concord.Core.Records;

namespace Concord.Core.Ownership;

/// <summary>
/// The field values of a merge: what the survivor holds once it has absorbed another record of the
/// same real-world thing. Observations are combined per system (the newer wins). Overrides come
/// first: the survivor's stand, and the absorbed record's carry over to fields where the survivor
/// has none. With survivorship configured every other field is chosen over both records' values
/// and observations (the owner's value first, then the ranking and tie-breaks, then the survivor's
/// value); without it the owner's value still comes first (the owner speaks for the field, as it
/// does for every change), then the survivor's value, then the absorbed record's. A golden value that loses stays as its system's observation when that system has none newer.
/// </summary>
public static class RecordCombiner
{
    /// <summary>Without survivorship configured: the owner's value first, then the survivor's, then the absorbed record's.</summary>
    private static readonly SurvivorshipRules NoPreference = new([], []);

    /// <summary>
    /// Combines <paramref name="absorbed"/> into <paramref name="survivor"/> under the rules of
    /// <paramref name="type"/>; <paramref name="mayWrite"/> says whether a system contributes a field
    /// (system, field). Returns the survivor's golden changes.
    /// </summary>
    public static List<FieldChange> Combine(GoldenRecord survivor, GoldenRecord absorbed, EntityTypeConfig type, Func<string, string, bool> mayWrite)
    {
        CombineObservations(survivor, absorbed);
        var changes = new List<FieldChange>();
        var fields = survivor.Fields.Keys.Union(absorbed.Fields.Keys).Union(type.Survivorship is null ? [] : survivor.Observations.Keys).ToList();
        foreach (var field in fields)
        {
            var mine = survivor.Fields.GetValueOrDefault(field);
            var theirs = absorbed.Fields.GetValueOrDefault(field);
            if (mine?.Override is not null)
            {
                continue;
            }

            var rules = type.Survivorship?.For(field) ?? NoPreference;
            var winner = theirs?.Override is not null ? theirs : Choose(survivor, type, field, mine, theirs, mayWrite, rules);
            if (winner is null || ReferenceEquals(winner, mine))
            {
                continue;
            }

            if (mine is not null)
            {
                if (mine.System != winner.System)
                {
                    StewardOverrides.KeepAsObservation(survivor, field, mine);
                }

                if (FieldApplier.SameValue(type, field, mine.Value, winner.Value) && winner.Override is null)
                {
                    // An equal value from elsewhere changes nothing anyone would see.
                    continue;
                }
            }

            survivor.Fields[field] = winner;
            changes.Add(new FieldChange(field, mine?.Value?.DeepClone(), winner.Value?.DeepClone(), winner.Override is not null ? StewardOverrides.System : winner.System));
        }

        return changes;
    }

    /// <summary>The owner's value from either record, else (with fill-in) the best non-owner value, else what the survivor had.</summary>
    private static FieldValue? Choose(GoldenRecord survivor, EntityTypeConfig type, string field, FieldValue? mine, FieldValue? theirs, Func<string, string, bool> mayWrite,
        SurvivorshipRules rules)
    {
        var owner = type.OwnerOf(field);
        var golden = new[] { mine, theirs }.Where(v => v is not null).Select(v => v!).ToList();
        var owned = golden.Where(v => v.System == owner && !v.FilledIn).ToList();
        if (owned.Count > 0)
        {
            var best = Survivorship.Choose(owned.Select(Candidate).ToList(), rules);
            return owned.First(v => Matches(v, best!));
        }

        if (!type.FillIn)
        {
            return mine ?? theirs;
        }

        var candidates = golden.Where(v => v.FilledIn).Select(Candidate).ToList();
        if (survivor.Observations.TryGetValue(field, out var bySystem))
        {
            candidates.AddRange(bySystem.OrderBy(o => o.Key, StringComparer.Ordinal)
                .Where(o => o.Key != owner && mayWrite(o.Key, field))
                .Select(o => new SurvivorCandidate(o.Key, o.Value.Value, o.Value.SourceId, o.Value.ObservedAt)));
        }

        if (Survivorship.Choose(candidates, rules) is not { } winner)
        {
            return mine ?? theirs;
        }

        if (golden.FirstOrDefault(v => Matches(v, winner)) is { } existing)
        {
            return existing;
        }

        return new FieldValue
        {
            Value = winner.Value?.DeepClone(), System = winner.System, SourceId = winner.SourceId, ObservedAt = winner.ObservedAt,
            Version = survivor.Version + 1, FilledIn = true,
        };
    }

    private static SurvivorCandidate Candidate(FieldValue v) => new(v.System, v.Value, v.SourceId, v.ObservedAt);

    private static bool Matches(FieldValue v, SurvivorCandidate c) =>
        v.System == c.System && v.SourceId == c.SourceId && v.ObservedAt == c.ObservedAt && System.Text.Json.Nodes.JsonNode.DeepEquals(v.Value, c.Value);

    private static void CombineObservations(GoldenRecord survivor, GoldenRecord absorbed)
    {
        foreach (var (field, bySystem) in absorbed.Observations)
        {
            var mine = survivor.Observations.TryGetValue(field, out var o) ? o : survivor.Observations[field] = new(StringComparer.Ordinal);
            foreach (var (system, observation) in bySystem)
            {
                if (!mine.TryGetValue(system, out var kept) || kept.ObservedAt < observation.ObservedAt)
                {
                    mine[system] = observation;
                }
            }
        }
    }
}
