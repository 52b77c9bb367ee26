using Concord.Engine.Flows;
using Concord.Engine.Hosting;
using Concord.Engine.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Concord.Server.Dashboard.Pages.Dashboard;

/// <summary>
/// One flow run: its input, each step with its input, output and error (personal fields masked for viewers), and the
/// log lines it caused; operators replay a failed run from the step that failed (the code behind <c>POST /api/v1/runs/{id}/replay</c>).
/// </summary>
public sealed class RunModel(HubRuntime hub) : PageModel
{
    public FlowRun Run { get; private set; } = null!;

    public string? Input { get; private set; }

    public IReadOnlyList<StepView> Steps { get; private set; } = [];

    public IReadOnlyList<LogLineView> Log { get; private set; } = [];

    public bool CanOperate => DashboardPrincipal.CanOperate(User);

    public bool Replayable => Run.Status is FlowRunStatus.Failed or FlowRunStatus.Stopped;

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken)
    {
        if (await hub.Store.GetFlowRunAsync(id, cancellationToken) is not { } run)
        {
            return this.Missing("flows", $"There is no flow run {id}.");
        }

        var mask = DashboardMask.For(User, hub.Config);
        var history = new FlowHistoryMask(hub.Config);
        Run = run;
        Input = FlowText.Data(run.Input, history, mask.Clear);
        Steps = (await hub.Store.GetFlowStepsAsync(id, cancellationToken))
            .OrderBy(s => s.Position)
            .Select(s => new StepView(s, FlowText.Data(s.Input, history, mask.Clear), FlowText.Data(s.Output, history, mask.Clear)))
            .ToList();
        Log = (await hub.Store.QueryLogAsync(new LogQuery(CorrelationId: id, Limit: Api.FlowRunDetailView.MaxLog), cancellationToken))
            .Select(e => LogLineView.Of(e, mask)).ToList();
        return Page();
    }

    public async Task<IActionResult> OnPostReplayAsync(string id, CancellationToken cancellationToken)
    {
        if (!CanOperate)
        {
            return Forbid();
        }

        try
        {
            var run = await hub.Flows.ReplayAsync(id, DashboardPrincipal.Actor(User), cancellationToken);
            TempData["Notice"] = run.Step is { } step ? $"Replaying run {id} from step {step}." : $"Replaying run {id}.";
        }
        catch (FlowRefusedException ex)
        {
            if (ex.NotFound)
            {
                return this.Missing("flows", ex.Message);
            }

            TempData["Problem"] = ex.Message;
        }

        return RedirectToPage("/Dashboard/Run", new { id });
    }
}

/// <summary>A step as shown: its state with its input and output as the user may see them.</summary>
public sealed record StepView(FlowStepState State, string? Input, string? Output);
