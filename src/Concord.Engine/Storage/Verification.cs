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
