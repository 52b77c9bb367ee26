using Concord.Core.Configuration;
using Concord.Core.Ownership;
using Concord.Engine.Storage;

namespace Concord.Engine.Health;

/// <summary>
/// Measures data health: the record counts come from the database in one pass per type; conflicts are
/// counted here, over only the records that hold any, with the type's own rule of what differs.
/// </summary>
public sealed class DataHealthMeter(HubConfig config, IHubStore store, IConnectorCatalog? catalog = null)
{
    /// <summary>The span error rates are counted over (as GET /api/v1/health does).</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);

    /// <summary>At most this many reasons are named per type.</summary>
    private const int MaxReasons = 5;

    public async Task<DataHealthReport> MeasureAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var duplicates = (await store.GetDuplicateFiguresAsync(cancellationToken)).ToDictionary(d => d.Type, StringComparer.Ordinal);
        var types = new List<TypeHealthReport>();
        foreach (var spec in HealthSpecs.From(config, catalog))
        {
            var figures = await store.MeasureTypeAsync(spec, cancellationToken);
            var conflicts = await CountConflictsAsync(config.Entities[spec.Type], cancellationToken);
            types.Add(Report(spec, figures, duplicates.GetValueOrDefault(spec.Type), conflicts, config.Health.TargetOf(spec.Type)));
        }

        var records = types.Sum(t => t.Records);
        var healthy = types.Sum(t => t.Healthy);
        double? score = records == 0 ? null : (double)healthy / records;
        var below = types.Where(t => t.BelowTarget).Select(t => t.Type).ToList();
        if (score < config.Health.Target)
        {
            below.Add(DataHealthReport.Overall);
        }

        var systems = await SystemsAsync(now, cancellationToken);
        return new DataHealthReport(now, score, config.Health.Target, records, healthy, below, types, systems, Window.TotalSeconds);
    }

    private async Task<IReadOnlyList<ConflictCount>> CountConflictsAsync(EntityTypeConfig type, CancellationToken cancellationToken)
    {
        var counts = new Dictionary<(string Field, string System), long>();
        await foreach (var record in store.ReadConflictedRecordsAsync(type.Name, cancellationToken))
        {
            foreach (var conflict in FieldApplier.Conflicts(record, type))
            {
                var key = (conflict.Field, conflict.System);
                counts[key] = counts.GetValueOrDefault(key) + 1;
            }
        }

        return counts.OrderByDescending(c => c.Value).ThenBy(c => c.Key.Field, StringComparer.Ordinal).ThenBy(c => c.Key.System, StringComparer.Ordinal)
            .Select(c => new ConflictCount(c.Key.Field, c.Key.System, c.Value)).ToList();
    }

    internal static TypeHealthReport Report(TypeHealthSpec spec, TypeHealthFigures figures, DuplicateFigures? duplicates, IReadOnlyList<ConflictCount> conflicts, double target)
    {
        double? Share(long part) => figures.Records == 0 ? null : (double)part / figures.Records;
        var fields = spec.RequiredFields.Select(f => new FieldCompleteness(f, figures.MissingByField.GetValueOrDefault(f), Share(figures.Records - figures.MissingByField.GetValueOrDefault(f))))
            .ToList();
        var systems = spec.Systems.Select(s => new SystemCoverage(s.System, figures.ExpectedBySystem.GetValueOrDefault(s.System), figures.NotLinkedBySystem.GetValueOrDefault(s.System)))
            .ToList();
        var references = spec.References.Select(r =>
        {
            var empty = figures.ReferenceEmpty.GetValueOrDefault(r.Field);
            var dangling = figures.ReferenceDangling.GetValueOrDefault(r.Field);
            return new ReferenceHealth(r.Field, r.RefersTo, empty + dangling, empty, dangling);
        }).ToList();
        var reasons = fields.Where(f => f.Missing > 0).Select(f => new HealthReason("missing", f.Field, f.Missing))
            .Concat(systems.Where(s => s.NotLinked > 0).Select(s => new HealthReason("not_linked", s.System, s.NotLinked)))
            .OrderByDescending(r => r.Records).ThenBy(r => r.Kind, StringComparer.Ordinal).ThenBy(r => r.Name, StringComparer.Ordinal)
            .Take(MaxReasons).ToList();
        var score = Share(figures.CompleteAndConnected);
        return new TypeHealthReport(spec.Type, figures.Records, figures.Complete, figures.Connected, figures.CompleteAndConnected, score, target, score < target,
            fields, systems, references, figures.SingleSource, figures.Unlinked, duplicates?.Suspected ?? 0, duplicates?.Merged ?? 0, duplicates?.MergesTotal ?? 0,
            duplicates?.UnmergesTotal ?? 0, conflicts, reasons);
    }

    private async Task<IReadOnlyList<SystemDataHealth>> SystemsAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var snapshot = await store.GetHealthAsync(now, Window, cancellationToken);
        var last = await store.GetLastAcceptedAsync(cancellationToken);
        var names = config.Systems.Keys.Concat(snapshot.Systems.Select(s => s.System)).Concat(last.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        return names.Select(name =>
        {
            var s = snapshot.Systems.FirstOrDefault(x => x.System == name);
            DateTimeOffset? at = last.TryGetValue(name, out var l) ? l : null;
            var attempts = s?.AttemptsInWindow ?? 0;
            var failed = s?.FailedInWindow ?? 0;
            return new SystemDataHealth(name, attempts, failed, attempts == 0 ? 0 : (double)failed / attempts, (s?.Pending ?? 0) + (s?.Retrying ?? 0), s?.Dead ?? 0,
                s?.OldestPendingAge?.TotalSeconds, at, at is { } t ? Math.Max(0, (now - t).TotalSeconds) : null);
        }).ToList();
    }
}
