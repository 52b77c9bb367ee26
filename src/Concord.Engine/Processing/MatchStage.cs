using System.Globalization;
using Concord.Core.Matching;
using Concord.Core.Records;
using Concord.Engine.Identity;
using Concord.Engine.Storage;

namespace Concord.Engine.Processing;

/// <summary>
/// The probabilistic step of resolution, after links and identity keys: a record that arrived
/// (or changed what the model reads) is scored against the golden records it shares a blocking
/// key with. At or above the type's merge threshold a record the hub has only just created is
/// merged into its match (an ordinary merge: undoable, its sources' values and links kept);
/// between the thresholds, or for a record that has lived on its own and may have been sent
/// out already, a <c>possible-duplicate</c> finding puts the pair in the review queue.
/// </summary>
public sealed class MatchStage(RecordMatcher matcher, RecordMerger merger, TimeProvider time)
{
    /// <summary>Who the merge entries of automatic merges say merged the records.</summary>
    public const string MergedBy = "match";

    /// <summary>The matcher, for explanations.</summary>
    public RecordMatcher Matcher => matcher;

    /// <summary>
    /// Matches <paramref name="record"/>; returns the merge when it was merged away, else null.
    /// <paramref name="save"/> stores the record first, since a merge works on stored records.
    /// </summary>
    public MergeResult? Apply(IPipelineTransaction tx, GoldenRecord record, bool mayMerge, Func<string, GoldenRecord?> load, Action save)
    {
        var candidates = matcher.MatchAndIndex(record, load).OrderByDescending(c => c.Explanation.Probability).ToList();
        if (candidates.Count == 0)
        {
            return null;
        }

        if (mayMerge && candidates[0].Decision == MatchDecision.Merge)
        {
            var best = candidates[0];
            save();
            var merged = merger.Merge(tx, record.Type, best.RecordId, record.Id, MergedBy);
            if (tx.LoadRecord(best.RecordId) is { } survivor)
            {
                matcher.Index(survivor);
            }

            foreach (var other in candidates.Skip(1))
            {
                Review(tx, record.Type, best.RecordId, other, "the record it was merged into");
            }

            return merged;
        }

        foreach (var candidate in candidates)
        {
            Review(tx, record.Type, record.Id, candidate, null);
        }

        return null;
    }

    /// <summary>A finding about <paramref name="recordId"/>, the newer record: approving it merges it into the candidate.</summary>
    private void Review(IPipelineTransaction tx, string type, string recordId, MatchCandidate candidate, string? note)
    {
        var why = candidate.Decision == MatchDecision.Merge ? "above the merge threshold, but it has lived on its own" : "between the review and merge thresholds";
        var message = string.Create(CultureInfo.InvariantCulture,
            $"{recordId}{(note is null ? "" : $" ({note})")} looks like the same {type} as {candidate.RecordId}: match probability {candidate.Explanation.Probability:0.000}, {why}; agreeing: {candidate.Explanation.Agreeing}. Approving merges {recordId} into {candidate.RecordId}");
        tx.RaiseFinding(new Finding(Ids.New("fnd", time), "possible-duplicate", "warning", type, recordId, candidate.RecordId, null, message, time.GetUtcNow()));
    }
}
