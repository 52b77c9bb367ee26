using Concord.Bench.Match;

// concord-match [DATASETS_DIR] [NAME ...]: one summary line per dataset (see bench/match/run.sh).
var dir = args.Length > 0 && Directory.Exists(args[0]) ? args[0] : Path.Combine("..", "shared", "datasets");
var wanted = args.Where(a => !Directory.Exists(a)).ToHashSet(StringComparer.Ordinal);
var known = Datasets.All;
foreach (var unknown in wanted.Where(w => !known.ContainsKey(w) && !Datasets.OnRequest.ContainsKey(w)))
{
    Console.Error.WriteLine($"unknown dataset '{unknown}'; known: {string.Join(", ", known.Keys)}");
    return 2;
}

Console.WriteLine(Machine.Describe());
foreach (var (name, run) in known.Concat(Datasets.OnRequest).Where(k => wanted.Contains(k.Key) || (wanted.Count == 0 && known.ContainsKey(k.Key))))
{
    Console.WriteLine(run(dir));
}

return 0;
