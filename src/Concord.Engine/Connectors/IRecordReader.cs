using System.Text.Json.Nodes;

namespace Concord.Engine.Connectors;

/// <summary>
/// Reads what a system holds, type by type and page by page, as the hub's field values: the records
/// a verification compares with the golden records the hub sends it. The connector maps both sides
/// with the same field maps its deliveries use, so formatting it introduces is not taken for drift.
/// </summary>
public interface IRecordReader
{
    /// <summary>Whether the system's records of <paramref name="type"/> can be listed.</summary>
    bool CanRead(string type);

    /// <summary>
    /// The page after <paramref name="cursor"/> (null: the first page), at most <paramref name="pageSize"/>
    /// records. Throws on failure, like a delivery; the check that asked reports the error.
    /// </summary>
    Task<RecordPage> ReadAsync(string type, string? cursor, int pageSize, CancellationToken cancellationToken);

    /// <summary>
    /// The fields the system would hold after a delivery of <paramref name="canonical"/> (reference
    /// fields carrying the system's ids): written with the outbound mapping and read back with the
    /// inbound one, leaving out what the connector never writes. Fields absent from the result are
    /// not compared.
    /// </summary>
    JsonObject Expected(string type, JsonObject canonical);
}

/// <summary>One record as the system holds it.</summary>
/// <param name="ExternalId">The system's id for it.</param>
/// <param name="Fields">Its canonical fields (reference fields carry the system's ids).</param>
public sealed record SystemRecord(string ExternalId, JsonObject Fields);

/// <summary>A page of a system's records and the cursor of the next page (null after the last).</summary>
public sealed record RecordPage(IReadOnlyList<SystemRecord> Records, string? Next);
