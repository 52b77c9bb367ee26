using Concord.Core.Configuration;

namespace Concord.Core.Health;

/// <summary>
/// The <c>health:</c> section: how often the data-health figures are measured and kept as history,
/// and the score each type (and the whole hub) should keep. The default target is the seed goal:
/// 95% of records complete and connected across all systems.
/// </summary>
public sealed class HealthConfig
{
    /// <summary>The target when the file writes none.</summary>
    public const double DefaultTarget = 0.95;

    /// <summary>How often the figures are measured and a history sample is kept (<c>health.every</c>).</summary>
    public TimeSpan Every { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The score to keep, 0..1 (<c>health.target</c>): for the overall score and every type without its own.</summary>
    public double Target { get; set; } = DefaultTarget;

    /// <summary>Per-type targets (<c>health.targets: { customer: 98% }</c>), 0..1.</summary>
    public Dictionary<string, double> Targets { get; init; } = new(StringComparer.Ordinal);

    /// <summary>Where each per-type target was written, for the checks that name a type.</summary>
    public Dictionary<string, SourceSpan> TargetSpans { get; init; } = new(StringComparer.Ordinal);

    public SourceSpan At { get; set; } = SourceSpan.None;

    /// <summary>The target of one type: its own, else <see cref="Target"/>.</summary>
    public double TargetOf(string type) => Targets.TryGetValue(type, out var t) ? t : Target;
}
