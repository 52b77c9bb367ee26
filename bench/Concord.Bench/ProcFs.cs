using System.Globalization;

namespace Concord.Bench;

/// <summary>What Linux's /proc says about the machine and a process. Every reader returns 0 / "unknown" elsewhere.</summary>
internal static class ProcFs
{
    public static readonly long ClockTicks = 100; // USER_HZ on Linux

    public static string CpuModel()
    {
        var line = ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
        return line is null ? "unknown CPU" : line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
    }

    public static long MemTotalMb() => Kb("/proc/meminfo", "MemTotal:") / 1024;

    /// <summary>Resident set size of a process in kB (VmRSS).</summary>
    public static long RssKb(int pid) => Kb($"/proc/{pid}/status", "VmRSS:");

    /// <summary>Peak resident set size of a process in kB as the kernel recorded it (VmHWM).</summary>
    public static long PeakRssKb(int pid) => Kb($"/proc/{pid}/status", "VmHWM:");

    /// <summary>utime + stime of a process, in clock ticks.</summary>
    public static long CpuTicks(int pid)
    {
        var stat = ReadAll($"/proc/{pid}/stat");
        var close = stat.LastIndexOf(')');
        if (close < 0)
        {
            return 0;
        }

        var parts = stat[(close + 2)..].Split(' ');
        return parts.Length > 12 ? long.Parse(parts[11], CultureInfo.InvariantCulture) + long.Parse(parts[12], CultureInfo.InvariantCulture) : 0;
    }

    /// <summary>Busy clock ticks of the whole machine, all cores (user, nice, system, irq, softirq, steal).</summary>
    public static long MachineBusyTicks()
    {
        var line = ReadLines("/proc/stat").FirstOrDefault(l => l.StartsWith("cpu ", StringComparison.Ordinal));
        if (line is null)
        {
            return 0;
        }

        var v = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(x => long.Parse(x, CultureInfo.InvariantCulture)).ToArray();
        return v[0] + v[1] + v[2] + v[5] + v[6] + v[7];
    }

    /// <summary>Bytes a process caused to be written to storage (write_bytes of /proc/PID/io).</summary>
    public static long WriteBytes(int pid) => Kb($"/proc/{pid}/io", "write_bytes:");

    private static long Kb(string file, string key)
    {
        var line = ReadLines(file).FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal));
        if (line is null)
        {
            return 0;
        }

        var value = line[key.Length..].Trim().Split(' ')[0];
        return long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 0;
    }

    private static string[] ReadLines(string file)
    {
        try
        {
            return File.ReadAllLines(file);
        }
        catch (IOException)
        {
            return [];
        }
        catch (UnauthorizedAccessException)
        {
            return [];
        }
    }

    private static string ReadAll(string file)
    {
        try
        {
            return File.ReadAllText(file);
        }
        catch (IOException)
        {
            return "";
        }
        catch (UnauthorizedAccessException)
        {
            return "";
        }
    }
}
