namespace Concord.Engine.Storage;

/// <summary>
/// The last check of one sync (a system and a type it receives) against the system itself: when it ran,
/// what it compared and how many records had drifted.
/// </summary>
/// <param name="System">The system checked.</param>
/// <param name="Type">The entity type checked.</param>
/// <param name="VerifiedAt">When the check finished.</param>
/// <param name="HubCount">Records of the type the hub links to the system.</param>
/// <param name="SystemCount">Records of the type the system holds.</param>
/// <param name="Compared">Records whose field hashes were compared.</param>
/// <param name="Drifted">Records that differ (missing on one side, or a field's value).</param>
/// <param name="Error">Why the check could not finish; null when it did.</param>
public sealed record SyncVerification(string System, string Type, DateTimeOffset VerifiedAt, long HubCount, long SystemCount, long Compared, long Drifted, string? Error = null);

/// <summary>The "last verified" stamp of every sync, for the map, the health page and the alerts.</summary>
public interface IVerificationStore
{
    /// <summary>The latest check of each (system, type) that has been checked.</summary>
    Task<IReadOnlyList<SyncVerification>> GetVerificationsAsync(CancellationToken cancellationToken);
}

/// <summary>How one record differs between the hub and a system.</summary>
public enum DriftKind
{
    /// <summary>The hub links a record to the system, and the system does not have it.</summary>
    MissingInSystem,

    /// <summary>The system has a record the hub has no link to: reported, never imported.</summary>
    UnknownToHub,

    /// <summary>Both have the record, and at least one field the system receives holds another value there.</summary>
    FieldDiffers,
}

/// <summary>One field whose value in the system is not the hub's (values of personal fields masked).</summary>
/// <param name="Field">The canonical field.</param>
/// <param name="Hub">The value the hub sends, as the system would hold it.</param>
/// <param name="System">The value the system holds.</param>
public sealed record FieldDrift(string Field, System.Text.Json.Nodes.JsonNode? Hub, System.Text.Json.Nodes.JsonNode? System);

/// <summary>One drifted record found by a check.</summary>
/// <param name="Kind">How it differs.</param>
/// <param name="ExternalId">The system's id for it.</param>
/// <param name="RecordId">The hub's golden record, when the hub has one.</param>
/// <param name="Fields">For <see cref="DriftKind.FieldDiffers"/>, each field that differs.</param>
public sealed record DriftRecord(DriftKind Kind, string ExternalId, string? RecordId, IReadOnlyList<FieldDrift> Fields);

/// <summary>A golden record and the id one system knows it by.</summary>
public sealed record LinkedRecord(string ExternalId, Core.Records.GoldenRecord Record);

/// <summary>A check asked for by hand (<c>concord verify</c>), for the running hub to run.</summary>
public sealed record VerificationRequest(string System, string Type, bool Repair, DateTimeOffset RequestedAt);

/// <summary>What a verification reads and writes beyond its stamps: the hub's side of a sync, page by page, and each run's drift.</summary>
public interface IVerificationRunStore
{
    /// <summary>Live golden records of <paramref name="type"/> the hub links to <paramref name="system"/>.</summary>
    Task<long> CountLinkedAsync(string system, string type, CancellationToken cancellationToken);

    /// <summary>The live golden records the hub links to these ids of the system (ids without a live record are left out).</summary>
    Task<IReadOnlyList<LinkedRecord>> GetLinkedAsync(string system, string type, IReadOnlyCollection<string> externalIds, CancellationToken cancellationToken);

    /// <summary>Forgets the ids a previous scan of the sync marked as seen.</summary>
    Task ClearSeenAsync(string system, string type, CancellationToken cancellationToken);

    /// <summary>Notes ids the system was found to hold during a scan (kept in the store, so memory stays bounded).</summary>
    Task MarkSeenAsync(string system, string type, IReadOnlyCollection<string> externalIds, CancellationToken cancellationToken);

    /// <summary>Linked live records whose ids were not marked seen, ordered by id, after <paramref name="afterExternalId"/>.</summary>
    Task<IReadOnlyList<LinkedRecord>> GetUnseenAsync(string system, string type, string? afterExternalId, int limit, CancellationToken cancellationToken);

    /// <summary>Of these records, the ones with a delivery to the system not finished yet (pending or retrying).</summary>
    Task<IReadOnlySet<string>> WithOpenDeliveriesAsync(string system, IReadOnlyCollection<string> recordIds, CancellationToken cancellationToken);

    /// <summary>Stores a run and its drift; the drift of the sync's earlier runs is dropped (their stamps stay).</summary>
    Task SaveVerificationAsync(SyncVerification verification, IReadOnlyList<DriftRecord> drift, CancellationToken cancellationToken);

    /// <summary>The latest run of one sync, or null before its first.</summary>
    Task<SyncVerification?> GetVerificationAsync(string system, string type, CancellationToken cancellationToken);

    /// <summary>The drift of the sync's latest run, in the order it was found.</summary>
    Task<IReadOnlyList<DriftRecord>> GetDriftAsync(string system, string type, int limit, CancellationToken cancellationToken);

    /// <summary>Queues a check for the running hub; a second request for the same sync replaces the first.</summary>
    Task RequestVerificationAsync(VerificationRequest request, CancellationToken cancellationToken);

    /// <summary>Takes the queued requests (oldest first), removing them.</summary>
    Task<IReadOnlyList<VerificationRequest>> TakeVerificationRequestsAsync(CancellationToken cancellationToken);
}
