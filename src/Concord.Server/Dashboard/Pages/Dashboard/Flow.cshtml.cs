using Concord.Core.Flows.Model;
using Concord.Engine.Hosting;
using Concord.Engine.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Concord.Server.Dashboard.Pages.Dashboard;

/// <summary>One flow: what triggers it, its steps, and its runs newest first, filtered by status, <see cref="PageSize"/> a page.</summary>
public sealed class FlowModel(HubRuntime hub) : PageModel
{
    public const int PageSize = 50;

    public FlowConfig Flow { get; private set; } = null!;

    public IReadOnlyList<FlowRun> Runs { get; private set; } = [];

    public string? Status { get; private set; }

    public long? NextBefore { get; private set; }

    public bool Paged { get; private set; }

    public string? Problem { get; private set; }

    public static IEnumerable<string> Statuses => Enum.GetNames<FlowRunStatus>().Select(s => s.ToLowerInvariant());

    public async Task<IActionResult> OnGetAsync(string name, string? status, long? before, CancellationToken cancellationToken)
    {
        if (!hub.Config.Flows.TryGetValue(name, out var flow))
        {
            return this.Missing("flows", $"No flow named '{name}' is configured.");
        }

        Flow = flow;
        Status = string.IsNullOrWhiteSpace(status) ? null : status.Trim().ToLowerInvariant();
        Paged = before is not null;
        FlowRunStatus? wanted = null;
        if (Status is not null)
        {
            if (!Statuses.Contains(Status, StringComparer.Ordinal))
            {
                Problem = $"Status: '{status}' is not a run status; pick one of {string.Join(", ", Statuses)}.";
                Response.StatusCode = StatusCodes.Status400BadRequest;
                return Page();
            }

            wanted = Enum.Parse<FlowRunStatus>(Status, ignoreCase: true);
        }

        var found = await hub.Store.QueryFlowRunsAsync(new FlowRunQuery(name, null, wanted, null, PageSize + 1, before), cancellationToken);
        Runs = found.Take(PageSize).ToList();
        NextBefore = found.Count > PageSize ? Runs[^1].Sequence : null;
        return Page();
    }
}
