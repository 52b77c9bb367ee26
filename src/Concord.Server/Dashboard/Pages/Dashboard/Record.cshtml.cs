using Concord.Core.Ownership;
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
/// Customer 360's record page: every field with where it came from, conflicts, the record in each system (with a link
/// into the vendor's app where it has a stable address), one timeline across systems, and the record's merges with
/// unmerge and merge. Reads and writes through the code the record, merge and related-records endpoints use.
/// </summary>
public sealed class RecordModel(HubRuntime hub) : PageModel
{
    /// <summary>How many entries of each source (related records, runs, deliveries, versions) the timeline takes.</summary>
    public const int TimelinePerSource = 50;

    /// <summary>A merged-away id is followed to its survivor through at most this many merges.</summary>
    private const int MaxMergeHops = 20;

    public GoldenRecord? Record { get; private set; }

    public string Type { get; private set; } = "";

    public string Id { get; private set; } = "";

    public string Name { get; private set; } = "";

    public bool CanOperate => DashboardPrincipal.CanOperate(User);

    public DateTimeOffset Now => hub.Time.GetUtcNow();

    public IReadOnlyList<FieldRow> Fields { get; private set; } = [];

    public IReadOnlyList<ConflictRow> Conflicts { get; private set; } = [];

    public IReadOnlyList<LinkRow> Links { get; private set; } = [];

    public IReadOnlyList<TimelineEntry> Timeline { get; private set; } = [];

    public IReadOnlyList<MergeRow> Merges { get; private set; } = [];

    /// <summary>Open findings about the record, with their messages as this user may read them.</summary>
    public IReadOnlyList<FindingRow> Findings { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string type, string id, CancellationToken cancellationToken)
    {
        Type = type;
        Id = id;
        var record = await hub.Store.GetRecordAsync(id, cancellationToken);
        if (record is null && await SurvivorOfAsync(id, cancellationToken) is { } survivor)
        {
            TempData["Notice"] = $"{id} was merged into {survivor.Id}; this is the record it became part of.";
            return Redirect(RecordText.Href(survivor.Type, survivor.Id));
        }

        if (record is null || record.Type != type)
        {
            Response.StatusCode = 404;
            return Page();
        }

        Record = record;
        var mask = DashboardMask.For(User, hub.Config);
        Name = RecordText.Name(mask, record);
        Fields = FieldRows(record, mask);
        Conflicts = [.. (hub.Config.Entities.TryGetValue(type, out var entity) ? FieldApplier.Conflicts(record, entity) : record.Conflicts())
            .Select(c => new ConflictRow(c.Field, c.System, RecordText.Value(mask, type, c.Field, c.Value), c.OwnerSystem, RecordText.Value(mask, type, c.Field, c.OwnerValue), c.ObservedAt))];
        Links = [.. (await hub.Store.GetLinksAsync(id, cancellationToken)).Select(l => new LinkRow(l.System, l.ExternalId, VendorUrl(l), l.LinkedAt))];
        var merges = await hub.Store.GetMergesAsync(id, cancellationToken);
        Merges = [.. merges.Where(m => m.Type == type).Select(m => new MergeRow(m, m.SurvivorId == id ? m.AbsorbedId : m.SurvivorId, m.SurvivorId == id && m.UndoneAt is null))];
        var findings = new List<FindingRow>();
        foreach (var f in await hub.Store.QueryFindingsAsync(new FindingQuery(RecordId: id, OpenOnly: true, Limit: 50), cancellationToken))
        {
            var other = f.OtherRecordId is { } o && o != id ? await hub.Store.GetRecordAsync(o, cancellationToken) : null;
            findings.Add(new FindingRow(f, RecordText.Message(mask, f.Message, record, other)));
        }

        Findings = findings;
        Timeline = await TimelineAsync(record, merges, mask, cancellationToken);
        return Page();
    }

    /// <summary>Undoes one of this record's merges, as <c>POST /api/v1/merges/{id}/undo</c> does.</summary>
    public async Task<IActionResult> OnPostUnmergeAsync(string type, string id, string mergeId, CancellationToken cancellationToken)
    {
        if (!DashboardPrincipal.CanOperate(User))
        {
            return Forbid();
        }

        try
        {
            var result = await hub.UnmergeAsync(mergeId, cancellationToken);
            TempData["Notice"] = $"Unmerged: {result.Merge.AbsorbedId} is a record of its own again, with its links ({result.Deliveries} deliveries sent).";
        }
        catch (MergeRefusedException ex)
        {
            TempData["Problem"] = "Not unmerged: " + ex.Message;
        }

        return Redirect(RecordText.Href(type, id));
    }

    /// <summary>
    /// Merges another record of the same type into this one, as <c>POST /api/v1/records/{type}/{id}/merge</c> does. The
    /// other record is named by its id, or by anything the search finds exactly one other record for.
    /// </summary>
    public async Task<IActionResult> OnPostMergeAsync(string type, string id, string? other, CancellationToken cancellationToken)
    {
        if (!DashboardPrincipal.CanOperate(User))
        {
            return Forbid();
        }

        var wanted = other?.Trim() ?? "";
        if (wanted.Length == 0)
        {
            TempData["Problem"] = "Not merged: say which record to merge into this one (its id, email or another system's id).";
            return Redirect(RecordText.Href(type, id));
        }

        var candidates = (await hub.Store.SearchAsync(type, wanted, 5, cancellationToken)).Where(r => r.Id != id).ToList();
        var exact = candidates.FirstOrDefault(r => r.Id == wanted);
        if (exact is null && candidates.Count != 1)
        {
            TempData["Problem"] = candidates.Count == 0
                ? $"Not merged: no other {type} record matches '{wanted}'."
                : $"Not merged: {candidates.Count}{(candidates.Count == 5 ? " or more" : "")} {type} records match '{wanted}'; give the record's id ({string.Join(", ", candidates.Select(c => c.Id))}).";
            return Redirect(RecordText.Href(type, id));
        }

        var absorbed = exact ?? candidates[0];
        try
        {
            var result = await hub.MergeAsync(type, id, absorbed.Id, DashboardPrincipal.Actor(User), cancellationToken);
            TempData["Notice"] = $"Merged {absorbed.Id} into this record ({result.Merge.Id}); undo it with Unmerge below.";
        }
        catch (MergeRefusedException ex)
        {
            TempData["Problem"] = "Not merged: " + ex.Message;
        }

        return Redirect(RecordText.Href(type, id));
    }

    /// <summary>The record a merged-away id now lives in, following merges of merges; null when the id was never merged away.</summary>
    private async Task<GoldenRecord?> SurvivorOfAsync(string id, CancellationToken cancellationToken)
    {
        var current = id;
        for (var hop = 0; hop < MaxMergeHops; hop++)
        {
            var merge = (await hub.Store.GetMergesAsync(current, cancellationToken)).FirstOrDefault(m => m.AbsorbedId == current && m.UndoneAt is null);
            if (merge is null)
            {
                return null;
            }

            if (await hub.Store.GetRecordAsync(merge.SurvivorId, cancellationToken) is { } survivor)
            {
                return survivor;
            }

            current = merge.SurvivorId;
        }

        return null;
    }

    private string? VendorUrl(RecordLink link) =>
        hub.Config.Systems.TryGetValue(link.System, out var system) ? hub.Catalog.Find(system.Kind)?.RecordUrl?.Invoke(system, link.Type, link.ExternalId) : null;

    private IReadOnlyList<FieldRow> FieldRows(GoldenRecord record, DashboardMask mask)
    {
        var rows = new List<FieldRow>();
        foreach (var (name, value) in record.Fields.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            var note = value.Override is { } o ? $"set by hand by {o.By}: {o.Reason}"
                : value.FilledIn ? "filled in: the field's owner has no value"
                : null;
            rows.Add(new FieldRow(name, RecordText.Value(mask, record.Type, name, value.Value), value.System, value.SourceId, value.ObservedAt, value.Version, note));
        }

        // A field only non-owners have spoken about has no golden value yet; show the latest they said, as such.
        foreach (var (name, bySystem) in record.Observations.Where(o => !record.Fields.ContainsKey(o.Key)).OrderBy(o => o.Key, StringComparer.Ordinal))
        {
            var (system, latest) = bySystem.OrderByDescending(s => s.Value.ObservedAt).First();
            rows.Add(new FieldRow(name, RecordText.Value(mask, record.Type, name, latest.Value), system, latest.SourceId, latest.ObservedAt, null,
                "observed only: the field's owner has not supplied it"));
        }

        return rows;
    }

    private async Task<IReadOnlyList<TimelineEntry>> TimelineAsync(GoldenRecord record, IReadOnlyList<MergeEntry> merges, DashboardMask mask, CancellationToken ct)
    {
        var entries = new List<TimelineEntry>();
        foreach (var (type, related) in await RecordEndpoints.RelatedAsync(hub, record.Id, TimelinePerSource, ct))
        {
            foreach (var r in related)
            {
                var linked = await hub.Store.GetRecordAsync(r.Id, ct);
                var name = linked is null ? r.Id : RecordText.Name(mask, linked);
                var facts = new[] { "status", "amount", "total", "stage" }
                    .Where(f => r.Values[f] is not null)
                    .Select(f => $"{f} {RecordText.Value(mask, type, f, r.Values[f])}");
                var systems = string.Join(", ", r.Links.Select(l => l.System).Distinct(StringComparer.Ordinal));
                entries.Add(new TimelineEntry(r.UpdatedAt, type, $"{type} {name}{Join(facts)}{(systems.Length == 0 ? "" : $" (in {systems})")}", RecordText.Href(type, r.Id)));
            }
        }

        foreach (var m in merges.Where(m => m.Type == record.Type))
        {
            var other = m.SurvivorId == record.Id ? m.AbsorbedId : m.SurvivorId;
            var what = m.SurvivorId == record.Id ? $"{m.AbsorbedId} merged into this record" : $"this record merged into {m.SurvivorId}";
            entries.Add(new TimelineEntry(m.MergedAt, "merge", $"{what} by {m.By}", RecordText.Href(record.Type, other)));
            if (m.UndoneAt is { } undone)
            {
                entries.Add(new TimelineEntry(undone, "unmerge", $"merge {m.Id} undone: {m.AbsorbedId} and {m.SurvivorId} apart again", RecordText.Href(record.Type, other)));
            }
        }

        foreach (var run in await hub.Store.QueryFlowRunsAsync(new FlowRunQuery(RecordId: record.Id, Limit: TimelinePerSource), ct))
        {
            entries.Add(new TimelineEntry(run.UpdatedAt, "flow run",
                $"flow {run.Flow}: {run.Status.ToString().ToLowerInvariant()}{(run.Error is null ? "" : $" at {run.Step}")}", $"{DashboardSetup.Path}/flows/runs/{Uri.EscapeDataString(run.Id)}"));
        }

        foreach (var d in await hub.Store.QueryDeliveriesAsync(new DeliveryQuery(RecordId: record.Id, Limit: TimelinePerSource), ct))
        {
            entries.Add(new TimelineEntry(d.CompletedAt ?? d.CreatedAt, "delivery",
                $"{d.Operation} of version {d.Version} to {d.System}: {d.Status.ToString().ToLowerInvariant()}{(d.Attempts > 1 ? $" after {d.Attempts} attempts" : "")}",
                $"{DashboardSetup.Path}/deliveries/{d.Id}"));
        }

        foreach (var e in await hub.Store.GetHistoryAsync(record.Id, TimelinePerSource, ct))
        {
            var changed = e.Changes.Count == 0 ? "" : ": " + string.Join(", ", e.Changes.Select(c => c.Field).Distinct(StringComparer.Ordinal));
            entries.Add(new TimelineEntry(e.At, "change", $"version {e.Version} ({e.Kind}) from {e.System}{changed}", null));
        }

        return [.. entries.OrderByDescending(e => e.At)];
    }

    private static string Join(IEnumerable<string> facts)
    {
        var text = string.Join(", ", facts);
        return text.Length == 0 ? "" : " · " + text;
    }

    /// <summary>One golden field: its value (masked for viewers) and where it came from.</summary>
    public sealed record FieldRow(string Field, string Value, string System, string? SourceId, DateTimeOffset ObservedAt, long? Version, string? Note);

    /// <summary>A non-owner's value that disagrees with the owner's.</summary>
    public sealed record ConflictRow(string Field, string System, string Value, string OwnerSystem, string OwnerValue, DateTimeOffset ObservedAt);

    /// <summary>The record in one system; <paramref name="Url"/> opens it in the vendor's app where it has a stable address.</summary>
    public sealed record LinkRow(string System, string ExternalId, string? Url, DateTimeOffset LinkedAt);

    /// <summary>One thing that happened to or around the record, from any source.</summary>
    public sealed record TimelineEntry(DateTimeOffset At, string Kind, string Text, string? Href);

    /// <summary>An open finding about the record, with its message as this user may read it.</summary>
    public sealed record FindingRow(Finding Finding, string Message);

    /// <summary>A merge this record took part in; <paramref name="CanUndo"/> when it stands and this record survived it.</summary>
    public sealed record MergeRow(MergeEntry Merge, string Other, bool CanUndo);
}
