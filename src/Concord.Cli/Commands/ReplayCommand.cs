using System.CommandLine;
using Concord.Core.Sync;
using Concord.Engine.Dispatch;
using Concord.Engine.Storage;
using Concord.Storage.Sqlite;

namespace Concord.Cli.Commands;

/// <summary>
/// <c>concord replay</c>: puts dead deliveries back in the queue. Works on the database directly,
/// so a running hub picks them up within a second.
/// </summary>
internal static class ReplayCommand
{
    public static Command Create()
    {
        var config = CommonOptions.Config();
        var id = new Option<long?>("--id") { Description = "The delivery to replay" };
        var all = new Option<bool>("--all-dead") { Description = "Replay every dead delivery (optionally of one --system)" };
        var system = new Option<string?>("--system") { Description = "With --all-dead: only this system's" };
        var command = new Command("replay", "Send dead deliveries again, with the records' current values") { config, id, all, system };
        command.SetAction(async (result, ct) =>
        {
            var file = result.GetValue(config)!;
            var loaded = CommonOptions.LoadOrReport(file, checkEnvironment: false, Console.Error);
            if (loaded is null)
            {
                return 1;
            }

            if (result.GetValue(id) is null && !result.GetValue(all))
            {
                Console.Error.WriteLine("Say which: --id N, or --all-dead [--system NAME].");
                return 2;
            }

            var path = Path.IsPathRooted(loaded.Hub.Data) ? loaded.Hub.Data : Path.Combine(file.DirectoryName!, loaded.Hub.Data);
            await using var store = new SqliteHubStore(path);
            await store.InitializeAsync(ct);
            var replayer = new DeliveryReplayer(store, new SyncPlan(loaded), TimeProvider.System, _ => { });
            var ids = result.GetValue(id) is { } one
                ? [one]
                : (await store.QueryDeliveriesAsync(new DeliveryQuery(DeliveryStatus.Dead, result.GetValue(system), null, 1000), ct)).Select(d => d.Id).ToList();
            var requeued = 0;
            foreach (var (deliveryId, index) in ids.Select((d, i) => (d, i)))
            {
                var outcome = await replayer.ReplayAsync(deliveryId, "cli", ct);
                if (outcome == ReplayOutcome.Requeued)
                {
                    requeued++;
                }
                else
                {
                    Console.Error.WriteLine($"delivery {deliveryId}: " + outcome switch
                    {
                        ReplayOutcome.NotFound => "not found",
                        ReplayOutcome.Obsolete => "obsolete: the record was deleted or restored since",
                        _ => "not dead",
                    });
                }

                if (ids.Count > 20 && (index + 1) % 50 == 0)
                {
                    Console.Write($"\r{index + 1}/{ids.Count} replayed");
                }
            }

            Console.WriteLine($"{(ids.Count > 20 ? "\r" : "")}{requeued} of {ids.Count} delivery(ies) requeued.");
            return requeued == ids.Count ? 0 : 1;
        });
        return command;
    }
}
