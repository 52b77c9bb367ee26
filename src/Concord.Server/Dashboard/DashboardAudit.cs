using Concord.Core.Audit;
using Concord.Engine.Audit;
using Concord.Engine.Hosting;

namespace Concord.Server.Dashboard;

/// <summary>
/// The stack audit for the Audit page, kept for <see cref="FreshFor"/>: it reads the log and the traffic history of
/// the last 90 days, which on a long log takes long enough that reloading the page (or several people opening it)
/// should not run it again each time. Nothing in it changes by the minute; its time is shown on the page.
/// </summary>
public sealed class DashboardAudit(TimeProvider time)
{
    public static readonly TimeSpan FreshFor = TimeSpan.FromSeconds(30);

    private readonly SemaphoreSlim _running = new(1, 1);
    private AuditReport? _last;

    public async Task<AuditReport> ReadAsync(HubRuntime hub, CancellationToken cancellationToken)
    {
        if (Fresh(_last) is { } cached)
        {
            return cached;
        }

        await _running.WaitAsync(cancellationToken);
        try
        {
            // Someone else may have run it while this request waited.
            return Fresh(_last) ?? (_last = await AuditTraffic.AuditAsync(hub.Config, hub.Store, time.GetUtcNow(), cancellationToken));
        }
        finally
        {
            _running.Release();
        }
    }

    private AuditReport? Fresh(AuditReport? report) => report is not null && time.GetUtcNow() - report.Now < FreshFor ? report : null;
}
