using System.CommandLine;
using Concord.Core.Sync;
using Concord.Engine.Identity;
using Concord.Engine.Processing;
using Concord.Storage.Sqlite;

namespace Concord.Cli.Commands;

/// <summary><c>concord dedupe</c>: finds and merges duplicate golden records already in the store.</summary>
internal static class DedupeCommand
{
    public static Command Create()
    {
        var config = CommonOptions.Config();
        var type = new Option<string?>("--type") { Description = "Only this entity type (default: every configured type; those without a default match model, i.e. not customer- or company-like, are skipped)" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Report what would be merged and reviewed; change nothing" };
        var command = new Command(
            "dedupe",
            "Find duplicate golden records with the probabilistic matcher: merge near-certain pairs into the oldest record (each merge undoable " +
            "with POST /api/v1/merges/{id}/undo) and raise possible-duplicate findings for the unsure ones. Stop the hub first: it must not run at the same time.")
        {
            config, type, dryRun,
        };
        command.SetAction(async (result, ct) =>
        {
            var file = result.GetValue(config)!;
            var loaded = CommonOptions.LoadOrReport(file, checkEnvironment: false, Console.Error);
            if (loaded is null)
            {
                return 1;
            }

            var only = result.GetValue(type);
            if (only is not null && !loaded.Entities.ContainsKey(only))
            {
                Console.Error.WriteLine($"{only}: not an entity type of {file.Name} (it has: {string.Join(", ", loaded.Entities.Keys)})");
                return 1;
            }

            var path = Path.IsPathRooted(loaded.Hub.Data) ? loaded.Hub.Data : Path.Combine(file.DirectoryName!, loaded.Hub.Data);
            await using var store = new SqliteHubStore(path);
            await store.InitializeAsync(ct);
            var deduplicator = new BatchDeduplicator(store, new RecordMerger(new SyncPlan(loaded), TimeProvider.System), TimeProvider.System, loaded);
            var types = only is not null ? [only] : loaded.Entities.Keys.Order(StringComparer.Ordinal).ToList();
            if (types.Count == 0)
            {
                Console.WriteLine($"No entity types in {file.Name}: nothing to deduplicate.");
            }

            foreach (var t in types)
            {
                var bar = new ProgressBar($"{t}: merging");
                var report = await deduplicator.RunAsync(t, result.GetValue(dryRun), Console.WriteLine, ct, bar);
                bar.Finish();
                Console.WriteLine(report.Summary);
            }

            return 0;
        });
        return command;
    }
}
