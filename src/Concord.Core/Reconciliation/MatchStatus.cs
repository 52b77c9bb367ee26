namespace Concord.Core.Reconciliation;

/// <summary>Whether a proposal may be booked without a person looking at it.</summary>
public enum MatchStatus
{
    /// <summary>Plausible but below the auto threshold, or with a close competitor: a person decides.</summary>
    Suggested,

    /// <summary>Above the auto threshold and clearly better than any alternative for its lines.</summary>
    Confirmed,
}
