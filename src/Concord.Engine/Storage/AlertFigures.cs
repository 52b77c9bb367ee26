namespace Concord.Engine.Storage;

/// <summary>A system's dead deliveries: how many, and the latest one's error.</summary>
public sealed record DeadLetterCount(string System, long Count, DateTimeOffset LatestAt, string? LatestError);

/// <summary>Attempts (or runs) of one subject in a window, and how many of them failed.</summary>
public sealed record FailureCount(string Subject, long Total, long Failed, string? LatestError);

/// <summary>One finding raised (open or not), for rates of findings over time.</summary>
public sealed record FindingRaised(string Kind, string Type, DateTimeOffset RaisedAt);

/// <summary>The figures the shipped alert rules read, each one query over what the store keeps.</summary>
public interface IAlertFigureStore
{
    /// <summary>Per system with dead deliveries: their number and the latest one's error.</summary>
    Task<IReadOnlyList<DeadLetterCount>> GetDeadLettersAsync(CancellationToken cancellationToken);

    /// <summary>Per system: delivery attempts started since <paramref name="since"/>, and the failed ones (retrying or dead).</summary>
    Task<IReadOnlyList<FailureCount>> GetAttemptFailuresAsync(DateTimeOffset since, CancellationToken cancellationToken);

    /// <summary>Per flow: runs finished since <paramref name="since"/> (succeeded or failed), and the failed ones.</summary>
    Task<IReadOnlyList<FailureCount>> GetRunFailuresAsync(DateTimeOffset since, CancellationToken cancellationToken);

    /// <summary>Findings of <paramref name="kinds"/> raised since <paramref name="since"/>, open or closed, dismissed ones too.</summary>
    Task<IReadOnlyList<FindingRaised>> GetFindingsRaisedAsync(IReadOnlyList<string> kinds, DateTimeOffset since, CancellationToken cancellationToken);
}
