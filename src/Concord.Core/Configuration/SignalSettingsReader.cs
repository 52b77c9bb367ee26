using YamlDotNet.RepresentationModel;

namespace Concord.Core.Configuration;

/// <summary>
/// The <c>hub:</c> keys of the traffic history and the signals learned from it: <c>traffic_retention</c>,
/// <c>baseline_weeks</c> and <c>schema_min_samples</c>.
/// </summary>
internal static class SignalSettingsReader
{
    public static void Read(YamlNav nav, YamlMappingNode hub, HubSettings settings)
    {
        var retentionNode = YamlNav.Child(hub, "traffic_retention");
        if (retentionNode is not null && nav.Duration(retentionNode, "hub.traffic_retention") is { } retention)
        {
            settings.TrafficRetention = retention;
        }

        var weeksNode = YamlNav.Child(hub, "baseline_weeks");
        if (weeksNode is not null && nav.Int(weeksNode, "hub.baseline_weeks", 2, 52) is { } w)
        {
            settings.BaselineWeeks = w;
        }

        if (YamlNav.Child(hub, "schema_min_samples") is { } samples && nav.Int(samples, "hub.schema_min_samples", 5, 100_000) is { } n)
        {
            settings.SchemaMinSamples = n;
        }

        // The baseline reads the same hours of the week in each of the last baseline_weeks weeks before the week under way.
        var needed = TimeSpan.FromDays(7 * (settings.BaselineWeeks + 1));
        if ((retentionNode ?? weeksNode) is { } at && settings.TrafficRetention < needed)
        {
            nav.Error(at, "retention-too-short",
                $"hub.traffic_retention ({Duration.Format(settings.TrafficRetention)}) is shorter than the {settings.BaselineWeeks + 1} weeks the silence baseline reads (hub.baseline_weeks: {settings.BaselineWeeks}, and the week under way)",
                $"keep at least {Duration.Format(needed)}, or lower hub.baseline_weeks");
        }
    }
}
