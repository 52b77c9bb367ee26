using Concord.Engine.Storage;

namespace Concord.Engine.Verification;

/// <summary>What became of a request to check one sync.</summary>
public enum VerificationStatus
{
    /// <summary>The check ran to the end (it may have found drift).</summary>
    Completed,

    /// <summary>The check started and failed; the run is stored with its error.</summary>
    Failed,

    /// <summary>Not run: the system's circuit is open (it keeps failing), so it is left alone.</summary>
    Skipped,
}

/// <summary>A check's result: the stored run, the drift it found (up to the report's limit), and the repairs queued.</summary>
/// <param name="Status">How it ended.</param>
/// <param name="Verification">The run, as stored; null when skipped.</param>
/// <param name="Drift">The drifted records reported.</param>
/// <param name="Repaired">Deliveries queued to repair drift.</param>
/// <param name="Reason">Why it was skipped.</param>
public sealed record VerificationResult(VerificationStatus Status, SyncVerification? Verification, IReadOnlyList<DriftRecord> Drift, int Repaired, string? Reason = null);
