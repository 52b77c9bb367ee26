using Concord.Engine.Hosting;
using Concord.Engine.Storage;
using Concord.Server.Api;
using Concord.Server.Dashboard.Records;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Concord.Server.Dashboard.Pages.Dashboard;

/// <summary>
/// The review queue: open possible duplicates as pairs with the matcher's score, merged or rejected one by one or in
/// bulk (the code behind <c>/findings/approve</c> and <c>/findings/reject</c>), and the other findings that need a person.
/// </summary>
public sealed class ReviewModel(HubRuntime hub) : PageModel
{
    /// <summary>The queue shows at most this many pairs and this many other findings.</summary>
    public const int Limit = 200;

    public IReadOnlyList<PairRow> Pairs { get; private set; } = [];

    public IReadOnlyList<OtherRow> Others { get; private set; } = [];

    public bool CanOperate => DashboardPrincipal.CanOperate(User);

    public DateTimeOffset Now => hub.Time.GetUtcNow();

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var mask = DashboardMask.For(User, hub.Config);
        var open = await hub.Store.QueryFindingsAsync(new FindingQuery("possible-duplicate", null, null, true, Limit), cancellationToken);

        // Pairs of one cluster (records the findings link, directly or through one another) stay together, largest cluster first.
        var order = ReviewEndpoints.Clusters(open).SelectMany((c, i) => c.Findings.Select(f => (f.Id, i))).ToDictionary(p => p.Id, p => p.i, StringComparer.Ordinal);
        var pairs = new List<PairRow>();
        foreach (var f in open.Where(f => f.OtherRecordId is not null))
        {
            var left = await hub.Store.GetRecordAsync(f.RecordId, cancellationToken);
            var right = await hub.Store.GetRecordAsync(f.OtherRecordId!, cancellationToken);
            var probability = left is not null && right is not null && left.Type == right.Type ? hub.Matcher.Explain(left, right)?.Probability : null;
            pairs.Add(new PairRow(f.Id, f.Type, f.RecordId, left is null ? f.RecordId : RecordText.Name(mask, left), f.OtherRecordId!,
                right is null ? f.OtherRecordId! : RecordText.Name(mask, right), probability, f.RaisedAt, order.GetValueOrDefault(f.Id)));
        }

        Pairs = [.. pairs.OrderBy(p => p.Cluster).ThenByDescending(p => p.Probability ?? 0).ThenBy(p => p.FindingId, StringComparer.Ordinal)];
        var others = new List<OtherRow>();
        foreach (var f in (await hub.Store.QueryFindingsAsync(new FindingQuery(null, null, null, true, Limit), cancellationToken)).Where(f => f.Kind != "possible-duplicate"))
        {
            var record = await hub.Store.GetRecordAsync(f.RecordId, cancellationToken);
            var other = f.OtherRecordId is { } o ? await hub.Store.GetRecordAsync(o, cancellationToken) : null;
            others.Add(new OtherRow(f, RecordText.Message(mask, f.Message, record, other), RecordText.Href(f.Type, f.RecordId), f.OtherRecordId is { } id ? RecordText.Href(f.Type, id) : null,
                await CancellableAsync(f, cancellationToken)));
        }

        Others = others;
    }

    /// <summary>Merges the chosen pairs, each on its own.</summary>
    public Task<IActionResult> OnPostMergeAsync(List<string>? ids, CancellationToken cancellationToken) =>
        BulkAsync(ids, id => hub.ApproveFindingAsync(id, DashboardPrincipal.Actor(User), cancellationToken), "approved", "Merged");

    /// <summary>Rejects the chosen pairs: never proposed again.</summary>
    public Task<IActionResult> OnPostRejectAsync(List<string>? ids, CancellationToken cancellationToken) =>
        BulkAsync(ids, async id => { await hub.RejectFindingAsync(id, cancellationToken); return null; }, "rejected", "Rejected");

    /// <summary>
    /// Marks another finding resolved: the person fixed it at its source (cancelled the duplicate subscription, removed the
    /// copy in the tool). A billing guardrail's incident clears once its finding is closed.
    /// </summary>
    public Task<IActionResult> OnPostResolveAsync(string id, CancellationToken cancellationToken) =>
        BulkAsync([id], id => hub.ApproveFindingAsync(id, DashboardPrincipal.Actor(User), cancellationToken), "approved", "Resolved", "finding");

    /// <summary>Dismisses another finding as not a problem: closed, and not raised again for the same records.</summary>
    public Task<IActionResult> OnPostDismissAsync(string id, CancellationToken cancellationToken) =>
        BulkAsync([id], async id => { await hub.RejectFindingAsync(id, cancellationToken); return null; }, "rejected", "Dismissed", "finding");

    /// <summary>
    /// Cancels one subscription in the systems that bill it (Stripe), at once: the fix for a customer billed twice. The
    /// finding closes by itself when the system's event comes back, and the incident it raised with it.
    /// </summary>
    public async Task<IActionResult> OnPostCancelAsync(string record, CancellationToken cancellationToken)
    {
        if (!CanOperate)
        {
            return Forbid();
        }

        var outcome = await hub.Subscriptions.CancelAsync(record, DashboardPrincipal.Actor(User), cancellationToken);
        if (outcome is not { Systems.Count: > 0 })
        {
            TempData["Problem"] = $"Nothing cancelled: {record} is not a subscription held by a system Concord can cancel it in.";
            return RedirectToPage();
        }

        var done = outcome.Systems.Where(s => s.Result != "failed").Select(s => s.Result == "cancelled"
            ? $"Cancelled {s.ExternalId} in {s.System}"
            : $"{s.ExternalId} was already cancelled in {s.System}").ToList();
        if (done.Count > 0)
        {
            TempData["Notice"] = string.Join("; ", done) + ". The finding closes when the system's event reaches the hub.";
        }

        if (outcome.Systems.Where(s => s.Result == "failed").ToList() is { Count: > 0 } failed)
        {
            TempData["Problem"] = string.Join("; ", failed.Select(s => $"{s.System} did not cancel {s.ExternalId}: {s.Error}"));
        }

        return RedirectToPage();
    }

    /// <summary>For a customer billed twice: each of the two subscriptions where it can be cancelled, the later one first.</summary>
    private async Task<IReadOnlyList<Cancellable>> CancellableAsync(Finding finding, CancellationToken cancellationToken)
    {
        if (finding.Kind != "double-billing" || finding.Type != Engine.Billing.SubscriptionCancellation.Type || !CanOperate)
        {
            return [];
        }

        var found = new List<Cancellable>();
        foreach (var (id, which) in new[] { (finding.RecordId, "the later one"), (finding.OtherRecordId, "the first one") })
        {
            if (id is not null)
            {
                found.AddRange((await hub.Subscriptions.WhereAsync(id, cancellationToken)).Select(l => new Cancellable(id, l.System, l.ExternalId, which)));
            }
        }

        return found;
    }

    private async Task<IActionResult> BulkAsync(List<string>? ids, Func<string, Task<Engine.Processing.MergeResult?>> act, string outcome, string done, string what = "pair")
    {
        if (!CanOperate)
        {
            return Forbid();
        }

        if (ids is not { Count: > 0 })
        {
            TempData["Problem"] = "Nothing done: tick the pairs first.";
            return RedirectToPage();
        }

        if (ids.Count > ReviewEndpoints.MaxBulk)
        {
            TempData["Problem"] = $"Nothing done: at most {ReviewEndpoints.MaxBulk} pairs at once, not {ids.Count}.";
            return RedirectToPage();
        }

        var results = await ReviewEndpoints.RunBulkAsync(ids, act, outcome);
        var ok = results.Count(r => r.Outcome == outcome);
        TempData["Notice"] = $"{done} {ok} {what}{(ok == 1 ? "" : "s")}.";
        if (results.Where(r => r.Outcome != outcome).ToList() is { Count: > 0 } failed)
        {
            TempData["Problem"] = $"{failed.Count} not done: " + string.Join("; ", failed.Select(f => $"{f.Id}: {f.Error}"));
        }

        return RedirectToPage();
    }

    /// <summary>One open possible duplicate: the two records and the matcher's probability that they are one.</summary>
    public sealed record PairRow(string FindingId, string Type, string RecordId, string RecordName, string OtherId, string OtherName, double? Probability, DateTimeOffset RaisedAt, int Cluster);

    /// <summary>Another open finding, with links to the records it is about.</summary>
    public sealed record OtherRow(Finding Finding, string Message, string RecordHref, string? OtherHref, IReadOnlyList<Cancellable> Cancel);

    /// <summary>A subscription of a double-billing finding that a system can cancel: the record, and its id there.</summary>
    public sealed record Cancellable(string RecordId, string System, string ExternalId, string Which);
}
