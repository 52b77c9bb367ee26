using Concord.Core.Records;
using Concord.Engine.Hosting;
using Concord.Engine.Processing;
using Concord.Engine.Storage;
using Concord.Server.Api;
using Concord.Server.Dashboard.Records;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Concord.Server.Dashboard.Pages.Dashboard;

/// <summary>
/// One finding of the review queue. For a possible duplicate: both records field by field with what agrees and what
/// differs said in words, the matcher's probability and each field's level and weight (the comparison
/// <c>GET /api/v1/findings/{id}</c> returns), and Merge and Reject (the code behind approving and rejecting a finding).
/// </summary>
public sealed class ReviewPairModel(HubRuntime hub) : PageModel
{
    public Finding? Finding { get; private set; }

    public string Message { get; private set; } = "";

    public string RecordName { get; private set; } = "";

    public string OtherName { get; private set; } = "";

    public PairComparisonView? Comparison { get; private set; }

    public IReadOnlyList<FieldRow> Fields { get; private set; } = [];

    public IReadOnlyList<MatcherRow> Matcher { get; private set; } = [];

    public bool CanOperate => DashboardPrincipal.CanOperate(User);

    public async Task<IActionResult> OnGetAsync(string findingId, CancellationToken cancellationToken)
    {
        var finding = await hub.Store.ExecuteAsync(tx => tx.LoadFinding(findingId), cancellationToken);
        if (finding is null)
        {
            Response.StatusCode = 404;
            return Page();
        }

        Finding = finding;
        var mask = DashboardMask.For(User, hub.Config);
        var left = await hub.Store.GetRecordAsync(finding.RecordId, cancellationToken);
        var right = finding.OtherRecordId is { } other ? await hub.Store.GetRecordAsync(other, cancellationToken) : null;
        Message = RecordText.Message(mask, finding.Message, left, right);
        RecordName = left is null ? finding.RecordId : RecordText.Name(mask, left);
        OtherName = right is null ? finding.OtherRecordId ?? "" : RecordText.Name(mask, right);
        Comparison = ReviewEndpoints.Compare(hub, left, right);
        if (Comparison is not null && left is not null && right is not null)
        {
            Fields = [.. Comparison.Fields.Keys.Select(f => Row(mask, left, right, f))];
            Matcher = [.. (Comparison.Matcher ?? []).Select(m => new MatcherRow(m.Field, m.Level == "null" ? "no value" : m.Level, m.Agreement, m.Weight))];
        }

        return Page();
    }

    /// <summary>Merges the pair: the record that held the key first survives.</summary>
    public async Task<IActionResult> OnPostMergeAsync(string findingId, CancellationToken cancellationToken)
    {
        if (!CanOperate)
        {
            return Forbid();
        }

        try
        {
            var merged = await hub.ApproveFindingAsync(findingId, DashboardPrincipal.Actor(User), cancellationToken);
            if (merged is null)
            {
                TempData["Notice"] = $"Finding {findingId} acknowledged.";
                return Redirect(DashboardSetup.Path + "/review");
            }

            TempData["Notice"] = $"Merged {merged.Merge.AbsorbedId} into {merged.Merge.SurvivorId} ({merged.Merge.Id}); Unmerge on this page undoes it.";
            return Redirect(RecordText.Href(merged.Merge.Type, merged.Merge.SurvivorId));
        }
        catch (MergeRefusedException ex)
        {
            TempData["Problem"] = "Not merged: " + ex.Message;
            return Redirect(DashboardSetup.Path + "/review/" + Uri.EscapeDataString(findingId));
        }
    }

    /// <summary>Rejects the pair: they are different, and not proposed again.</summary>
    public async Task<IActionResult> OnPostRejectAsync(string findingId, CancellationToken cancellationToken)
    {
        if (!CanOperate)
        {
            return Forbid();
        }

        try
        {
            await hub.RejectFindingAsync(findingId, cancellationToken);
            TempData["Notice"] = $"Rejected: the two records are kept apart and not proposed again ({findingId}).";
            return Redirect(DashboardSetup.Path + "/review");
        }
        catch (MergeRefusedException ex)
        {
            TempData["Problem"] = "Not rejected: " + ex.Message;
            return Redirect(DashboardSetup.Path + "/review/" + Uri.EscapeDataString(findingId));
        }
    }

    private static FieldRow Row(DashboardMask mask, GoldenRecord left, GoldenRecord right, string field)
    {
        var a = left.ValueOf(field);
        var b = right.ValueOf(field);
        var verdict = (a, b) switch
        {
            (null, null) => "neither has it",
            (_, null) => "only the first has it",
            (null, _) => "only the second has it",
            _ when string.Equals(RecordText.Plain(a).Trim(), RecordText.Plain(b).Trim(), StringComparison.OrdinalIgnoreCase) => "same",
            _ => "different",
        };
        return new FieldRow(field, RecordText.Value(mask, left.Type, field, a), RecordText.Value(mask, right.Type, field, b), verdict);
    }

    /// <summary>One field of both records and whether they agree, in words.</summary>
    public sealed record FieldRow(string Field, string Left, string Right, string Verdict)
    {
        public bool Agrees => Verdict == "same";
    }

    /// <summary>How the matcher compared one field: the level reached, whether it agreed, and the weight it added.</summary>
    public sealed record MatcherRow(string Field, string Level, string Agreement, double Weight);
}
