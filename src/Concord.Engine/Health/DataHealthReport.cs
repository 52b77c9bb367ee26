namespace Concord.Engine.Health;

/// <summary>
/// The data-health figures at one moment: per type, per system, and the overall score against the target.
/// A type's score is the share of its records that are complete and connected; the overall score is the
/// record-weighted mean of the type scores (records complete and connected, over all records).
/// </summary>
/// <param name="At">When it was measured.</param>
/// <param name="Score">The overall score, 0..1; null while the hub holds no records.</param>
/// <param name="Target">The overall target (<c>health.target</c>).</param>
/// <param name="Records">Live records of every measured type.</param>
/// <param name="Healthy">Of those, records complete and connected.</param>
/// <param name="BelowTarget">What is below its target: type names, and <c>overall</c>.</param>
/// <param name="Types">Each configured type.</param>
/// <param name="Systems">Each system's error rate and lag.</param>
/// <param name="WindowSeconds">The span the error rates are counted over.</param>
public sealed record DataHealthReport(
    DateTimeOffset At,
    double? Score,
    double Target,
    long Records,
    long Healthy,
    IReadOnlyList<string> BelowTarget,
    IReadOnlyList<TypeHealthReport> Types,
    IReadOnlyList<SystemDataHealth> Systems,
    double WindowSeconds)
{
    /// <summary>The name the overall score goes by where a type name would be.</summary>
    public const string Overall = "overall";

    public TypeHealthReport? Type(string type) => Types.FirstOrDefault(t => t.Type == type);
}

/// <summary>The health of one entity type.</summary>
/// <param name="Type">The type.</param>
/// <param name="Records">Live records.</param>
/// <param name="Complete">Records with a value for every required field.</param>
/// <param name="Connected">Records linked in every system the configuration syncs the type to or from (where the sync's filter lets it through).</param>
/// <param name="Healthy">Records both complete and connected.</param>
/// <param name="Score"><paramref name="Healthy"/> / <paramref name="Records"/>; null without records.</param>
/// <param name="Target">The type's target.</param>
/// <param name="BelowTarget">The score is below the target.</param>
/// <param name="Fields">Each required field: how many records lack it.</param>
/// <param name="Systems">Each system the type syncs with: how many records are expected there and not linked there.</param>
/// <param name="References">Each reference field: how many records point at nothing.</param>
/// <param name="SingleSource">Records linked in exactly one system.</param>
/// <param name="Unlinked">Records linked in no system.</param>
/// <param name="DuplicatesSuspected">Open possible-duplicate and duplicate-in-system findings.</param>
/// <param name="DuplicatesMerged">Merges in force.</param>
/// <param name="MergesTotal">Merges ever done (a counter).</param>
/// <param name="UnmergesTotal">Merges ever undone (a counter).</param>
/// <param name="Conflicts">Records where a non-owner disagrees with the golden value, per field and system.</param>
/// <param name="Reasons">Why records are not healthy, largest first: "38 missing email", "12 not in quickbooks".</param>
public sealed record TypeHealthReport(
    string Type,
    long Records,
    long Complete,
    long Connected,
    long Healthy,
    double? Score,
    double Target,
    bool BelowTarget,
    IReadOnlyList<FieldCompleteness> Fields,
    IReadOnlyList<SystemCoverage> Systems,
    IReadOnlyList<ReferenceHealth> References,
    long SingleSource,
    long Unlinked,
    long DuplicatesSuspected,
    long DuplicatesMerged,
    long MergesTotal,
    long UnmergesTotal,
    IReadOnlyList<ConflictCount> Conflicts,
    IReadOnlyList<HealthReason> Reasons)
{
    /// <summary>Share of records with every required field; null without records.</summary>
    public double? Completeness => Records == 0 ? null : (double)Complete / Records;

    /// <summary>Share of records linked everywhere they are expected; null without records.</summary>
    public double? Connectedness => Records == 0 ? null : (double)Connected / Records;
}

/// <summary>A required field and the records without a value for it.</summary>
/// <param name="Field">The field.</param>
/// <param name="Missing">Records without a value.</param>
/// <param name="Completeness">Share of records with a value; null without records.</param>
public sealed record FieldCompleteness(string Field, long Missing, double? Completeness);

/// <summary>A system a type syncs with: records expected there, and those of them not linked there.</summary>
public sealed record SystemCoverage(string System, long Expected, long NotLinked);

/// <summary>A reference field: records whose reference is empty or names no record the hub knows.</summary>
/// <param name="Field">The reference field.</param>
/// <param name="RefersTo">The type it points at.</param>
/// <param name="Unmatched"><paramref name="Empty"/> + <paramref name="Dangling"/>.</param>
/// <param name="Empty">Records without a value.</param>
/// <param name="Dangling">Records naming no live record, or one nothing is known about yet.</param>
public sealed record ReferenceHealth(string Field, string RefersTo, long Unmatched, long Empty, long Dangling);

/// <summary>Records where <paramref name="System"/>'s value of <paramref name="Field"/> disagrees with the golden value.</summary>
public sealed record ConflictCount(string Field, string System, long Records);

/// <summary>One reason records are not healthy, and how many it affects.</summary>
/// <param name="Kind"><c>missing</c> (a required field) or <c>not_linked</c> (a system).</param>
/// <param name="Name">The field or system.</param>
/// <param name="Records">Records affected.</param>
public sealed record HealthReason(string Kind, string Name, long Records)
{
    public override string ToString() => Kind == "missing" ? $"{Records} missing {Name}" : $"{Records} not in {Name}";
}

/// <summary>One system's figures: delivery error rate over the window, and lag.</summary>
/// <param name="System">The system.</param>
/// <param name="Attempts">Delivery attempts in the window.</param>
/// <param name="Failed">Of those, failed.</param>
/// <param name="ErrorRate">Failed / attempts (0 without attempts).</param>
/// <param name="Pending">Deliveries waiting (pending or retrying).</param>
/// <param name="Dead">Deliveries that gave up.</param>
/// <param name="OldestPendingSeconds">Age of the oldest unfinished delivery: how far behind the system is; null when none waits.</param>
/// <param name="LastChangeAt">The last change accepted from the system, as far as the kept log shows.</param>
/// <param name="SinceLastChangeSeconds">Time since then.</param>
public sealed record SystemDataHealth(
    string System,
    long Attempts,
    long Failed,
    double ErrorRate,
    long Pending,
    long Dead,
    double? OldestPendingSeconds,
    DateTimeOffset? LastChangeAt,
    double? SinceLastChangeSeconds);
