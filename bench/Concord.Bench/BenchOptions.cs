using System.Globalization;

namespace Concord.Bench;

/// <summary>Command-line options of the load generator.</summary>
internal sealed record BenchOptions
{
    public int Changes { get; init; } = 50_000;
    public int Concurrency { get; init; } = 64;
    public int Batch { get; init; } = 1;
    public int Warmup { get; init; } = 1_000;
    public int TimeoutSeconds { get; init; } = 300;
    public int? DeliveryConcurrency { get; init; }
    public string? Hub { get; init; }
    public bool Keep { get; init; }

    public const string Usage = """
        usage: concord-bench [--changes N=50000] [--concurrency C=64] [--batch B=1] [--warmup W=1000]
                             [--timeout SECONDS=300] [--delivery-concurrency D] [--hub PATH/concord.dll] [--keep]
          --changes      distinct changes (one record and one delivery each) in the measured window
          --concurrency  requests in flight at once
          --batch        changes per request (1..1000)
          --warmup       distinct changes sent and delivered before the measured window (0 = cold)
          --timeout      bound on sending plus waiting for deliveries
          --delivery-concurrency  the sink system's rate_limit.concurrency (default: the hub's default)
          --hub          the built concord.dll (default: src/Concord.Cli/bin/Release/net10.0/concord.dll
                         of this repository, or $CONCORD_HUB)
          --keep         keep the temporary folder (config, SQLite file, hub log)
        """;

    public static BenchOptions Parse(string[] args)
    {
        var o = new BenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            var a = args[i];
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{a} needs a value");
            int Int(int min, int max)
            {
                var text = Next();
                var v = int.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture);
                return v >= min && v <= max ? v : throw new ArgumentException($"{a} must be {min}..{max}, not {v}");
            }

            o = a switch
            {
                "--changes" => o with { Changes = Int(1, 10_000_000) },
                "--concurrency" => o with { Concurrency = Int(1, 1024) },
                "--batch" => o with { Batch = Int(1, 1000) },
                "--warmup" => o with { Warmup = Int(0, 1_000_000) },
                "--timeout" => o with { TimeoutSeconds = Int(1, 3600) },
                "--delivery-concurrency" => o with { DeliveryConcurrency = Int(1, 1024) },
                "--hub" => o with { Hub = Next() },
                "--keep" => o with { Keep = true },
                "-h" or "--help" => throw new ArgumentException(""),
                _ => throw new ArgumentException($"unknown option {a}"),
            };
        }

        return o;
    }
}
