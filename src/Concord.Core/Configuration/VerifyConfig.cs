namespace Concord.Core.Configuration;

/// <summary>
/// The <c>verify:</c> section: how often each sync (a system and a type it receives) is compared with
/// the system itself, how many records are read per call, and whether drift is repaired. Without the
/// section nothing is scheduled; a check can still be run by hand (<c>concord verify</c>, the API).
/// </summary>
public sealed class VerifyConfig
{
    /// <summary>Whether the section was written, which turns the schedule on.</summary>
    public bool Enabled { get; set; }

    /// <summary>How long after a sync's last check the next one is due (<c>every</c>, default 6h).</summary>
    public TimeSpan Every { get; set; } = TimeSpan.FromHours(6);

    /// <summary>Records read per call to the system (<c>page_size</c>, default 100, the most most vendors give).</summary>
    public int PageSize { get; set; } = 100;

    /// <summary>Re-push the owner's values for drifted records after a scheduled check (<c>repair</c>, default false).</summary>
    public bool Repair { get; set; }

    /// <summary>Per-system overrides (<c>systems.&lt;name&gt;</c>), by system name.</summary>
    public Dictionary<string, VerifySystemConfig> Systems { get; init; } = new(StringComparer.Ordinal);

    public SourceSpan At { get; set; } = SourceSpan.None;

    /// <summary>The interval for one system: its override, else the section's.</summary>
    public TimeSpan EveryFor(string system) => Systems.TryGetValue(system, out var s) && s.Every is { } every ? every : Every;

    public int PageSizeFor(string system) => Systems.TryGetValue(system, out var s) && s.PageSize is { } size ? size : PageSize;

    public bool RepairFor(string system) => Systems.TryGetValue(system, out var s) && s.Repair is { } repair ? repair : Repair;

    /// <summary>Whether a system's syncs are scheduled (<c>enabled: false</c> under the system leaves it to checks by hand).</summary>
    public bool ScheduledFor(string system) => Enabled && (!Systems.TryGetValue(system, out var s) || s.Enabled);
}

/// <summary>One system's overrides under <c>verify.systems</c>; null keeps the section's value.</summary>
public sealed class VerifySystemConfig
{
    public required string Name { get; init; }

    public bool Enabled { get; set; } = true;

    public TimeSpan? Every { get; set; }

    public int? PageSize { get; set; }

    public bool? Repair { get; set; }

    /// <summary>Where its name was written.</summary>
    public SourceSpan At { get; init; } = SourceSpan.None;
}
