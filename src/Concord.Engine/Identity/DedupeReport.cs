using Concord.Core.Matching;

namespace Concord.Engine.Identity;

/// <summary>One record folded into another by a batch deduplication.</summary>
/// <param name="SurvivorId">The record that stays (the oldest of its cluster).</param>
/// <param name="AbsorbedId">The record merged into it.</param>
/// <param name="MergeId">The merge entry, which undoes it; null in a dry run or when skipped.</param>
/// <param name="Skipped">Why it was not merged, when it was not.</param>
public sealed record DedupeMerge(string SurvivorId, string AbsorbedId, string? MergeId, string? Skipped = null);

/// <summary>What a batch deduplication of one entity type found and did.</summary>
/// <param name="Type">The entity type.</param>
/// <param name="Skipped">Why the type was not deduplicated (no default model); null when it was.</param>
/// <param name="DryRun">Whether merges and findings were only proposed.</param>
/// <param name="Records">Live golden records read.</param>
/// <param name="Blocking">Candidate pairs per blocking rule.</param>
/// <param name="CandidatePairs">Candidate pairs scored.</param>
/// <param name="Merges">Merges done (or, in a dry run, that would be).</param>
/// <param name="Reviews">Possible-duplicate findings raised (or that would be).</param>
/// <param name="Elapsed">Time taken.</param>
public sealed record DedupeReport(
    string Type,
    string? Skipped,
    bool DryRun,
    int Records,
    IReadOnlyList<BlockingCount> Blocking,
    long CandidatePairs,
    IReadOnlyList<DedupeMerge> Merges,
    int Reviews,
    TimeSpan Elapsed)
{
    /// <summary>Merges actually done or proposed (not skipped).</summary>
    public int Merged => Merges.Count(m => m.Skipped is null);

    /// <summary>The one-line summary.</summary>
    public string Summary => Skipped is not null
        ? $"{Type}: skipped ({Skipped})"
        : FormattableString.Invariant(
            $"{Type}: {Records} records, {CandidatePairs} candidate pairs, {Merged} {(DryRun ? "would-merge" : "merged")}{(Merges.Count > Merged ? $" ({Merges.Count - Merged} skipped)" : "")}, {Reviews} {(DryRun ? "would-review" : "review findings")}, {Elapsed.TotalSeconds:0.0}s{(DryRun ? " (dry run: nothing changed)" : "")}");
}
