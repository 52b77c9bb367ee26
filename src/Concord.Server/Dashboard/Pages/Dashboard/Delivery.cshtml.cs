using System.Text.Json.Nodes;
using Concord.Engine.Hosting;
using Concord.Engine.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Concord.Server.Dashboard.Pages.Dashboard;

/// <summary>
/// One delivery: what was sent (masked for viewers), each attempt with what the system answered (from the
/// transaction log), its idempotency key and record; operators replay it when it is dead.
/// </summary>
public sealed class DeliveryModel(HubRuntime hub) : PageModel
{
    /// <summary>Attempts shown, newest first; a delivery rarely has more than its retry policy allows.</summary>
    public const int MaxAttempts = 200;

    public Delivery Delivery { get; private set; } = null!;

    public JsonNode? Payload { get; private set; }

    public IReadOnlyList<AttemptView> Attempts { get; private set; } = [];

    public bool CanOperate => DashboardPrincipal.CanOperate(User);

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken cancellationToken)
    {
        if (await hub.Store.GetDeliveryAsync(id, cancellationToken) is not { } delivery)
        {
            return this.Missing("deliveries", $"There is no delivery #{id}. Delivered ones older than hub.log_retention are removed; dead ones are kept.");
        }

        var mask = DashboardMask.For(User, hub.Config);
        Delivery = delivery;
        Payload = mask.Payload(delivery.Type, delivery.Payload);
        var log = await hub.Store.QueryLogAsync(new LogQuery(Limit: MaxAttempts) { DeliveryId = id }, cancellationToken);
        Attempts = log.Select(e => new AttemptView(e.Attempt, e.At, e.DurationMs, e.Result, e.ResponseStatus, Answer(mask, delivery.Type, e.ResponseBody), e.Error)).ToList();
        return Page();
    }

    public async Task<IActionResult> OnPostReplayAsync(long id, CancellationToken cancellationToken)
    {
        if (!CanOperate)
        {
            return Forbid();
        }

        (await DeliveryReplays.ReplayAsync(hub, [id], DashboardPrincipal.Actor(User), cancellationToken)).Tell(TempData);
        return RedirectToPage("/Dashboard/Delivery", new { id });
    }

    /// <summary>The system's answer; a JSON answer that echoes record fields is masked for a viewer like the payload.</summary>
    private static string? Answer(DashboardMask mask, string type, string? body)
    {
        if (body is null || mask.Clear)
        {
            return body;
        }

        try
        {
            return DashboardJson.Compact(mask.Payload(type, body));
        }
        catch (System.Text.Json.JsonException)
        {
            return body;
        }
    }
}

/// <summary>One attempt as the page shows it.</summary>
public sealed record AttemptView(int? Attempt, DateTimeOffset At, double? DurationMs, string Result, int? Status, string? Answer, string? Error);
