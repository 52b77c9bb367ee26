using System.Globalization;
using Concord.Engine.Dispatch;
using Concord.Engine.Hosting;
using Microsoft.AspNetCore.Mvc.ViewFeatures;

namespace Concord.Server.Dashboard;

/// <summary>
/// Replays dead deliveries from the dashboard through the hub's replayer (the code behind
/// <c>POST /api/v1/deliveries/{id}/replay</c>), and says how many were queued and why others were not.
/// </summary>
public sealed record DeliveryReplays(int Queued, int NotDead, int Obsolete, int NotFound)
{
    public static async Task<DeliveryReplays> ReplayAsync(HubRuntime hub, IReadOnlyList<long> ids, string by, CancellationToken cancellationToken)
    {
        var counts = new Dictionary<ReplayOutcome, int>();
        foreach (var id in ids)
        {
            var outcome = await hub.Replayer.ReplayAsync(id, by, cancellationToken);
            counts[outcome] = counts.GetValueOrDefault(outcome) + 1;
        }

        return new DeliveryReplays(
            counts.GetValueOrDefault(ReplayOutcome.Requeued), counts.GetValueOrDefault(ReplayOutcome.NotDead),
            counts.GetValueOrDefault(ReplayOutcome.Obsolete), counts.GetValueOrDefault(ReplayOutcome.NotFound));
    }

    /// <summary>The notice after the post: how many were queued, then what was refused and why.</summary>
    public void Tell(ITempDataDictionary tempData)
    {
        var refused = new List<string>();
        if (NotDead > 0)
        {
            refused.Add($"{Deliveries(NotDead)} not dead (already replayed or delivered)");
        }

        if (Obsolete > 0)
        {
            refused.Add($"{Deliveries(Obsolete)} obsolete: the record was deleted or restored since, and replaying would undo that");
        }

        if (NotFound > 0)
        {
            refused.Add($"{Deliveries(NotFound)} not found");
        }

        var skipped = refused.Count == 0 ? "" : " Not replayed: " + string.Join("; ", refused) + ".";
        if (Queued > 0)
        {
            tempData["Notice"] = $"Queued {Deliveries(Queued)} for replay.{skipped}";
        }
        else
        {
            tempData["Problem"] = $"Nothing was queued.{skipped}";
        }
    }

    private static string Deliveries(int n) => n.ToString(CultureInfo.InvariantCulture) + (n == 1 ? " delivery" : " deliveries");
}
