using Concord.Engine.Storage;

namespace Concord.Engine.Health;

/// <summary>The history metrics: what of a report is kept at every sample, under which names.</summary>
public static class HealthHistory
{
    /// <summary>Every metric name the history keeps, for the API to check a query against.</summary>
    public static readonly IReadOnlyList<string> Metrics =
    [
        "score", "records", "complete", "connected", "missing", "not_linked", "unmatched", "single_source", "duplicates_suspected", "duplicates_merged",
        "conflicts", "error_rate", "sync_lag_seconds", "since_last_change_seconds",
    ];

    /// <summary>Samples younger than this are kept at full resolution.</summary>
    public static readonly TimeSpan FullResolution = TimeSpan.FromDays(7);

    /// <summary>Hourly samples are kept this long.</summary>
    public static readonly TimeSpan Kept = TimeSpan.FromDays(400);

    /// <summary>The points of one report. Shares are 0..1; a type without records has no score point.</summary>
    public static IReadOnlyList<HealthPoint> Points(DataHealthReport report)
    {
        var points = new List<HealthPoint>();
        if (report.Score is { } overall)
        {
            points.Add(new HealthPoint("score", null, null, null, overall));
        }

        foreach (var t in report.Types)
        {
            points.Add(new HealthPoint("records", t.Type, null, null, t.Records));
            if (t.Score is { } score)
            {
                points.Add(new HealthPoint("score", t.Type, null, null, score));
                points.Add(new HealthPoint("complete", t.Type, null, null, t.Completeness!.Value));
                points.Add(new HealthPoint("connected", t.Type, null, null, t.Connectedness!.Value));
            }

            points.AddRange(t.Fields.Select(f => new HealthPoint("missing", t.Type, null, f.Field, f.Missing)));
            points.AddRange(t.Systems.Select(s => new HealthPoint("not_linked", t.Type, s.System, null, s.NotLinked)));
            points.AddRange(t.References.Select(r => new HealthPoint("unmatched", t.Type, null, r.Field, r.Unmatched)));
            points.Add(new HealthPoint("single_source", t.Type, null, null, t.SingleSource));
            points.Add(new HealthPoint("duplicates_suspected", t.Type, null, null, t.DuplicatesSuspected));
            points.Add(new HealthPoint("duplicates_merged", t.Type, null, null, t.DuplicatesMerged));
            points.AddRange(t.Conflicts.Select(c => new HealthPoint("conflicts", t.Type, c.System, c.Field, c.Records)));
        }

        foreach (var s in report.Systems)
        {
            points.Add(new HealthPoint("error_rate", null, s.System, null, s.ErrorRate));
            points.Add(new HealthPoint("sync_lag_seconds", null, s.System, null, s.OldestPendingSeconds ?? 0));
            if (s.SinceLastChangeSeconds is { } since)
            {
                points.Add(new HealthPoint("since_last_change_seconds", null, s.System, null, since));
            }
        }

        return points;
    }
}
