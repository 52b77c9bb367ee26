namespace Concord.Engine.Storage;

/// <summary>
/// One merge of two golden records, with everything needed to undo it exactly: both records as
/// they were (JSON documents) and the links the absorbed record had.
/// </summary>
/// <param name="Id">The merge's id.</param>
/// <param name="Type">The entity type of both records.</param>
/// <param name="SurvivorId">The record that remains.</param>
/// <param name="AbsorbedId">The record merged into it, which no longer exists until an unmerge.</param>
/// <param name="SurvivorBefore">The survivor as it was just before the merge.</param>
/// <param name="Absorbed">The absorbed record as it was just before the merge.</param>
/// <param name="AbsorbedLinks">The absorbed record's links, moved to the survivor by the merge.</param>
/// <param name="By">Who or what asked for it (an API key's name, a rule).</param>
/// <param name="MergedAt">When.</param>
/// <param name="UndoneAt">When it was undone; null while it stands.</param>
/// <param name="Repointed">The references to the absorbed record that the merge turned into references to the survivor.</param>
public sealed record MergeEntry(
    string Id,
    string Type,
    string SurvivorId,
    string AbsorbedId,
    string SurvivorBefore,
    string Absorbed,
    IReadOnlyList<RecordLink> AbsorbedLinks,
    string By,
    DateTimeOffset MergedAt,
    DateTimeOffset? UndoneAt = null,
    IReadOnlyList<RecordReference>? Repointed = null);

/// <summary>A reference field of a record: <paramref name="Field"/> of <paramref name="RecordId"/>.</summary>
public sealed record RecordReference(string RecordId, string Field);
