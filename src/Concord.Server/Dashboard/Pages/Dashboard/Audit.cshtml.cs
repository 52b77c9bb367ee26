using Concord.Core.Audit;
using Concord.Engine.Hosting;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Concord.Server.Dashboard.Pages.Dashboard;

/// <summary>The stack audit <c>concord audit</c> writes, run in-process over the running hub's configuration and store.</summary>
public sealed class AuditModel(HubRuntime hub, DashboardAudit audit) : PageModel
{
    public AuditReport Report { get; private set; } = null!;

    /// <summary>The findings by severity, the most urgent first; severities without findings are left out.</summary>
    public IReadOnlyList<IGrouping<AuditSeverity, AuditFinding>> Groups { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Report = await audit.ReadAsync(hub, cancellationToken);
        Groups = Report.Findings.GroupBy(f => f.Severity).OrderByDescending(g => g.Key).ToList();
    }

    public static string Heading(AuditSeverity severity) => severity switch
    {
        AuditSeverity.Error => "Failing now",
        AuditSeverity.Warning => "Act this quarter",
        _ => "Worth a look",
    };
}
