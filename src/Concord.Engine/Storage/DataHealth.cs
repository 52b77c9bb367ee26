using Concord.Core.Configuration;
using Concord.Core.Records;

namespace Concord.Engine.Storage;

/// <summary>
/// What to measure of one entity type, derived from the configuration: which fields a complete record
/// has, which reference fields should point at a record of another type, and which systems a connected
/// record is linked in.
/// </summary>
/// <param name="Type">The entity type.</param>
/// <param name="RequiredFields">Fields every complete record has a value for.</param>
/// <param name="References">Reference fields and the type each points at.</param>
/// <param name="Systems">The systems the type syncs to or from, each with the sync filter a record must match to be expected there.</param>
public sealed record TypeHealthSpec(
    string Type,
    IReadOnlyList<string> RequiredFields,
    IReadOnlyList<ReferenceSpec> References,
    IReadOnlyList<ExpectedSystem> Systems);

/// <summary>A reference field and the entity type it points at.</summary>
public sealed record ReferenceSpec(string Field, string RefersTo);

/// <summary>A system a record of a type should be linked in, when it satisfies every condition of <paramref name="Filter"/>.</summary>
public sealed record ExpectedSystem(string System, IReadOnlyList<FilterCondition> Filter);

/// <summary>The record-level figures of one type, counted by the database.</summary>
public sealed record TypeHealthFigures
{
    public required string Type { get; init; }

    /// <summary>Live (not deleted) records.</summary>
    public long Records { get; init; }

    /// <summary>Records with a value for every required field.</summary>
    public long Complete { get; init; }

    /// <summary>Records linked in every system they are expected in.</summary>
    public long Connected { get; init; }

    /// <summary>Records both complete and connected: the numerator of the score.</summary>
    public long CompleteAndConnected { get; init; }

    /// <summary>Records linked in exactly one system.</summary>
    public long SingleSource { get; init; }

    /// <summary>Records linked in no system at all (created by a flow or a steward, or a system's links were removed).</summary>
    public long Unlinked { get; init; }

    /// <summary>Required field → records without a value for it.</summary>
    public IReadOnlyDictionary<string, long> MissingByField { get; init; } = new Dictionary<string, long>();

    /// <summary>System → records expected there but not linked there.</summary>
    public IReadOnlyDictionary<string, long> NotLinkedBySystem { get; init; } = new Dictionary<string, long>();

    /// <summary>System → records expected there (the filter matched).</summary>
    public IReadOnlyDictionary<string, long> ExpectedBySystem { get; init; } = new Dictionary<string, long>();

    /// <summary>Reference field → records whose reference is empty.</summary>
    public IReadOnlyDictionary<string, long> ReferenceEmpty { get; init; } = new Dictionary<string, long>();

    /// <summary>Reference field → records whose reference names no live record of the type (or one the hub knows nothing about yet).</summary>
    public IReadOnlyDictionary<string, long> ReferenceDangling { get; init; } = new Dictionary<string, long>();
}

/// <summary>Duplicate figures of one type: findings open for review and merges.</summary>
/// <param name="Type">The entity type.</param>
/// <param name="Suspected">Open <c>possible-duplicate</c> and <c>duplicate-in-system</c> findings.</param>
/// <param name="Merged">Merges in force (done and not undone).</param>
/// <param name="MergesTotal">Every merge ever done, undone ones included (only grows).</param>
/// <param name="UnmergesTotal">Every merge undone (only grows).</param>
public sealed record DuplicateFigures(string Type, long Suspected, long Merged, long MergesTotal, long UnmergesTotal);

/// <summary>One measured value kept in the history; <see cref="Type"/>, <see cref="System"/> and <see cref="Field"/> are null where the metric has no such label.</summary>
public sealed record HealthPoint(string Metric, string? Type, string? System, string? Field, double Value);

/// <summary>A point as read back: when it was measured.</summary>
public sealed record HealthHistoryPoint(DateTimeOffset At, string Metric, string? Type, string? System, string? Field, double Value);

/// <summary>
/// Which history points to read. A null label matches any value; <see cref="OverallOnly"/> selects points
/// with no type (the overall score).
/// </summary>
public sealed record HealthHistoryQuery(string Metric, DateTimeOffset Since, DateTimeOffset? Until = null, string? Type = null, string? System = null,
    string? Field = null, bool OverallOnly = false, int Limit = 10_000);

/// <summary>Data-health figures measured over the records tables, and their history.</summary>
public interface IDataHealthStore
{
    /// <summary>Counts the figures of one type in one pass over its records (aggregated by the database).</summary>
    Task<TypeHealthFigures> MeasureTypeAsync(TypeHealthSpec spec, CancellationToken cancellationToken);

    /// <summary>Live records of a type that hold at least one conflict, streamed (the exact rule of what conflicts is the caller's).</summary>
    IAsyncEnumerable<GoldenRecord> ReadConflictedRecordsAsync(string type, CancellationToken cancellationToken);

    /// <summary>Duplicate figures of every type that has any.</summary>
    Task<IReadOnlyList<DuplicateFigures>> GetDuplicateFiguresAsync(CancellationToken cancellationToken);

    /// <summary>The last change accepted from each system that the kept inbox shows.</summary>
    Task<IReadOnlyDictionary<string, DateTimeOffset>> GetLastAcceptedAsync(CancellationToken cancellationToken);

    /// <summary>Keeps one measurement (all its points) taken at <paramref name="at"/>.</summary>
    Task AddHealthSampleAsync(DateTimeOffset at, IReadOnlyList<HealthPoint> points, CancellationToken cancellationToken);

    /// <summary>Points of a metric, oldest first.</summary>
    Task<IReadOnlyList<HealthHistoryPoint>> GetHealthHistoryAsync(HealthHistoryQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// Thins the history: of the samples older than <paramref name="before"/> only the first of each hour
    /// is kept, and samples older than <paramref name="dropBefore"/> are deleted. Returns the samples removed.
    /// </summary>
    Task<int> ThinHealthHistoryAsync(DateTimeOffset before, DateTimeOffset dropBefore, CancellationToken cancellationToken);
}
