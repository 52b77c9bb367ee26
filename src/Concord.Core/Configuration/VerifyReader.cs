using YamlDotNet.RepresentationModel;

namespace Concord.Core.Configuration;

/// <summary>
/// Reads the <c>verify:</c> section. Shape and value problems are reported here with their position;
/// whether the systems named exist and receive anything is the <see cref="VerifyChecks"/>' job.
/// </summary>
internal static class VerifyReader
{
    private static readonly string[] Keys = ["every", "page_size", "repair", "systems"];
    private static readonly string[] SystemKeys = ["every", "page_size", "repair", "enabled"];

    /// <summary>Checks closer together than this would read the whole system almost continuously.</summary>
    private static readonly TimeSpan MinEvery = TimeSpan.FromMinutes(1);

    public static void Read(YamlNav nav, YamlNode node, VerifyConfig verify)
    {
        verify.Enabled = true;
        verify.At = nav.At(node);
        if (node is YamlScalarNode { Value: null or "" })
        {
            return;
        }

        if (nav.Mapping(node, "verify") is not { } map)
        {
            return;
        }

        nav.OnlyKnownKeys(map, "verify", Keys);
        if (Every(nav, map, "verify.every") is { } every)
        {
            verify.Every = every;
        }

        if (YamlNav.Child(map, "page_size") is { } size && nav.Int(size, "verify.page_size", 1, 1000) is { } pageSize)
        {
            verify.PageSize = pageSize;
        }

        if (YamlNav.Child(map, "repair") is { } repairNode && nav.Bool(repairNode, "verify.repair") is { } repair)
        {
            verify.Repair = repair;
        }

        if (YamlNav.Child(map, "systems") is { } systemsNode && nav.Mapping(systemsNode, "verify.systems") is { } systems)
        {
            foreach (var entry in systems.Children)
            {
                var name = YamlNav.Key(entry);
                var what = $"verify.systems.{name}";
                var one = new VerifySystemConfig { Name = name, At = nav.At(entry.Key) };
                verify.Systems[name] = one;
                if (nav.Mapping(entry.Value, what) is not { } settings)
                {
                    continue;
                }

                nav.OnlyKnownKeys(settings, what, SystemKeys);
                one.Every = Every(nav, settings, $"{what}.every");
                if (YamlNav.Child(settings, "page_size") is { } s && nav.Int(s, $"{what}.page_size", 1, 1000) is { } n)
                {
                    one.PageSize = n;
                }

                if (YamlNav.Child(settings, "repair") is { } r && nav.Bool(r, $"{what}.repair") is { } b)
                {
                    one.Repair = b;
                }

                if (YamlNav.Child(settings, "enabled") is { } e && nav.Bool(e, $"{what}.enabled") is { } enabled)
                {
                    one.Enabled = enabled;
                }
            }
        }
    }

    private static TimeSpan? Every(YamlNav nav, YamlMappingNode map, string what)
    {
        if (YamlNav.Child(map, "every") is not { } node || nav.Duration(node, what) is not { } every)
        {
            return null;
        }

        if (every < MinEvery)
        {
            nav.Error(node, "verify-too-often", $"{what} must be at least 1m, not {Duration.Format(every)}",
                "each check reads every record of the sync from the system; 6h or 24h is usual");
            return null;
        }

        return every;
    }
}
