using Concord.Core.Flows.Model;
using Concord.Core.Flows.Roi;
using Concord.Engine.Flows;
using Concord.Engine.Hosting;
using Concord.Engine.Storage;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Concord.Server.Dashboard.Pages.Dashboard;

/// <summary>Each configured flow: its trigger, its runs over the last day and week, its failures, and the work it saved (the ROI report's figures).</summary>
public sealed class FlowsModel(HubRuntime hub) : PageModel
{
    public IReadOnlyList<FlowRow> Flows { get; private set; } = [];

    public RoiReport Roi { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var now = hub.Time.GetUtcNow();
        var day = await hub.Store.CountFlowRunsAsync(now - TimeSpan.FromDays(1), cancellationToken);
        var week = await hub.Store.CountFlowRunsAsync(now - TimeSpan.FromDays(7), cancellationToken);
        Roi = await RoiQuery.RunAsync(hub.Store, hub.Config, now, RoiReport.Month, RoiReport.DefaultHourlyRate, RoiReport.DefaultCurrency, cancellationToken);
        Flows = hub.Config.Flows.Values.Select(f => new FlowRow(
            f,
            day.Where(c => c.Flow == f.Name).Sum(c => c.Count),
            week.Where(c => c.Flow == f.Name).Sum(c => c.Count),
            week.Where(c => c.Flow == f.Name && c.Status == FlowRunStatus.Failed).Sum(c => c.Count),
            Roi.Lines.FirstOrDefault(l => l.Flow == f.Name))).ToList();
    }
}

/// <summary>One flow's line: runs started in the last 24 hours and 7 days, failed runs in 7 days, and its ROI line (30 days).</summary>
public sealed record FlowRow(FlowConfig Flow, long RunsDay, long RunsWeek, long FailedWeek, RoiLine? Roi);
