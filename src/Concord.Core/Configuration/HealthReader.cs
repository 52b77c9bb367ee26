using System.Globalization;
using Concord.Core.Health;
using YamlDotNet.RepresentationModel;

namespace Concord.Core.Configuration;

/// <summary>
/// Reads the <c>health:</c> section (<c>every</c>, <c>target</c>, <c>targets</c>). Shape and range
/// problems are reported here with their position; whether a per-type target names a configured
/// type is <see cref="HealthChecks"/>' job.
/// </summary>
internal static class HealthReader
{
    private static readonly string[] Keys = ["every", "target", "targets"];

    /// <summary>Measuring more often than this costs a scan of every record for little news.</summary>
    private static readonly TimeSpan MinEvery = TimeSpan.FromSeconds(10);

    public static void Read(YamlNav nav, YamlNode node, HealthConfig health)
    {
        if (nav.Mapping(node, "health") is not { } map)
        {
            return;
        }

        nav.OnlyKnownKeys(map, "health", Keys);
        health.At = nav.At(map);
        if (YamlNav.Child(map, "every") is { } everyNode && nav.Duration(everyNode, "health.every") is { } every)
        {
            if (every < MinEvery)
            {
                nav.Error(everyNode, "bad-health", $"health.every must be at least 10s, not '{Duration.Format(every)}'",
                    "each measurement reads every record; 5m (the default) is plenty for a trend");
            }
            else
            {
                health.Every = every;
            }
        }

        if (YamlNav.Child(map, "target") is { } targetNode && Share(nav, targetNode, "health.target") is { } target)
        {
            health.Target = target;
        }

        if (YamlNav.Child(map, "targets") is { } targetsNode && nav.Mapping(targetsNode, "health.targets") is { } targets)
        {
            foreach (var entry in targets.Children)
            {
                var type = YamlNav.Key(entry);
                if (Share(nav, entry.Value, $"health.targets.{type}") is { } share)
                {
                    health.Targets[type] = share;
                    health.TargetSpans[type] = nav.At(entry.Key);
                }
            }
        }
    }

    /// <summary>A share written as a percentage (<c>95%</c>) or a fraction (<c>0.95</c>), from 0 to 1.</summary>
    internal static double? Share(YamlNav nav, YamlNode node, string what)
    {
        if (nav.Scalar(node, what) is not { } text)
        {
            return null;
        }

        if (TryParseShare(text, out var share))
        {
            return share;
        }

        nav.Error(node, "bad-health", $"{what} must be a share such as 95% or 0.95 (from 0 to 100%), not '{text}'");
        return null;
    }

    /// <summary>Parses <c>95%</c>, <c>99.5 %</c> or <c>0.95</c> to a value in 0..1.</summary>
    public static bool TryParseShare(string text, out double share)
    {
        share = 0;
        var t = text.Trim();
        var percent = t.EndsWith('%');
        if (percent)
        {
            t = t[..^1].TrimEnd();
        }

        if (!double.TryParse(t, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n) || double.IsNaN(n))
        {
            return false;
        }

        share = percent ? n / 100 : n;
        return share is >= 0 and <= 1;
    }
}
