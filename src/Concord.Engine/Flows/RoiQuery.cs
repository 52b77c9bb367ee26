using Concord.Core.Configuration;
using Concord.Core.Flows.Roi;
using Concord.Engine.Storage;

namespace Concord.Engine.Flows;

/// <summary>The ROI report over the run history: the API and <c>concord report roi</c> ask the same question.</summary>
public static class RoiQuery
{
    /// <summary>The report for the runs created in the <paramref name="window"/> before <paramref name="now"/>; only successful runs saved anyone work.</summary>
    public static async Task<RoiReport> RunAsync(IFlowStore store, HubConfig config, DateTimeOffset now, TimeSpan window, decimal hourlyRate, string currency,
        CancellationToken cancellationToken)
    {
        var counts = await store.CountFlowRunsAsync(now - window, cancellationToken);
        var succeeded = counts.Where(c => c.Status == FlowRunStatus.Succeeded).ToDictionary(c => c.Flow, c => c.Count, StringComparer.Ordinal);
        return RoiReport.Compute(config.Flows.Values, succeeded, window, hourlyRate, currency.ToUpperInvariant());
    }
}
