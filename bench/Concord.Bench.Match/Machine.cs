using System.Runtime.InteropServices;

namespace Concord.Bench.Match;

/// <summary>The machine a figure was measured on, printed before the figures.</summary>
internal static class Machine
{
    public static string Describe()
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown"
            : "unknown";
        var ramMb = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024 * 1024);
        return $"machine: cpu=\"{cpu}\" cores={Environment.ProcessorCount} ram_mb={ramMb} os=\"{RuntimeInformation.OSDescription}\" runtime={Environment.Version}";
    }
}
