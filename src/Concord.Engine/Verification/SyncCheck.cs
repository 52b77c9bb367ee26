using System.Text.Json.Nodes;
using Concord.Core.Configuration;
using Concord.Core.Records;
using Concord.Core.Schema;
using Concord.Engine.Connectors;
using Concord.Engine.Storage;

namespace Concord.Engine.Verification;

/// <summary>
/// One check of one sync (a system and a type it receives): counts first, then every record the system
/// holds compared page by page with the golden record the hub links to it, then the hub's links the
/// system did not list. Memory holds one page: the ids seen are kept in the store, not in a set.
/// Records with a delivery to the system still under way are skipped, since they are on their way.
/// </summary>
internal sealed class SyncCheck(SyncRule rule, EntitySchema? schema, IHubStore store, IRecordReader reader, int pageSize, Func<CancellationToken, Task> pace)
{
    /// <summary>Drifted records kept in a run's report; the run still counts all of them.</summary>
    public const int MaxReported = 1000;

    private readonly List<DriftRecord> _reported = [];
    private readonly List<(DriftRecord Drift, GoldenRecord Record)> _toRepair = [];

    public long SystemCount { get; private set; }

    public long Compared { get; private set; }

    public long Drifted { get; private set; }

    public IReadOnlyList<DriftRecord> Reported => _reported;

    /// <summary>Runs the comparison; <paramref name="repairPage"/> is handed each page's drifted records (hub record included) when repairing.</summary>
    public async Task RunAsync(Func<IReadOnlyList<(DriftRecord Drift, GoldenRecord Record)>, CancellationToken, Task>? repairPage, CancellationToken cancellationToken)
    {
        await store.ClearSeenAsync(rule.System, rule.Type, cancellationToken);
        try
        {
            string? cursor = null;
            do
            {
                await pace(cancellationToken);
                var page = await reader.ReadAsync(rule.Type, cursor, pageSize, cancellationToken);
                await ComparePageAsync(page.Records, cancellationToken);
                await FlushAsync(repairPage, cancellationToken);
                cursor = page.Next;
            }
            while (cursor is not null);

            string? after = null;
            while (true)
            {
                var unseen = await store.GetUnseenAsync(rule.System, rule.Type, after, pageSize, cancellationToken);
                if (unseen.Count == 0)
                {
                    break;
                }

                var open = await store.WithOpenDeliveriesAsync(rule.System, unseen.Select(l => l.Record.Id).ToList(), cancellationToken);
                foreach (var linked in unseen.Where(l => !open.Contains(l.Record.Id) && Sent(l.Record)))
                {
                    Found(new DriftRecord(DriftKind.MissingInSystem, linked.ExternalId, linked.Record.Id, []), linked.Record);
                }

                await FlushAsync(repairPage, cancellationToken);
                after = unseen[^1].ExternalId;
            }
        }
        finally
        {
            await store.ClearSeenAsync(rule.System, rule.Type, CancellationToken.None);
        }
    }

    private async Task ComparePageAsync(IReadOnlyList<SystemRecord> records, CancellationToken cancellationToken)
    {
        SystemCount += records.Count;
        var ids = records.Select(r => r.ExternalId).ToList();
        await store.MarkSeenAsync(rule.System, rule.Type, ids, cancellationToken);
        var linked = (await store.GetLinkedAsync(rule.System, rule.Type, ids, cancellationToken)).ToDictionary(l => l.ExternalId, l => l.Record, StringComparer.Ordinal);
        var open = await store.WithOpenDeliveriesAsync(rule.System, linked.Values.Select(r => r.Id).Distinct().ToList(), cancellationToken);
        foreach (var held in records)
        {
            if (!linked.TryGetValue(held.ExternalId, out var record))
            {
                Found(new DriftRecord(DriftKind.UnknownToHub, held.ExternalId, null, []), null);
                continue;
            }

            if (open.Contains(record.Id) || !Sent(record))
            {
                continue;
            }

            var (canonical, compared) = await SentFieldsAsync(record, cancellationToken);
            Compared++;
            var expected = reader.Expected(rule.Type, canonical);
            var comparable = compared.Where(f => expected.ContainsKey(f) || canonical[f] is null).ToList();
            var differences = FieldComparer.Differences(comparable, expected, held.Fields, schema);
            if (differences.Count > 0)
            {
                Found(new DriftRecord(DriftKind.FieldDiffers, held.ExternalId, record.Id, differences), record);
            }
        }
    }

    /// <summary>Whether the hub sends the record to the system at all (a sync's filter decides what is sent).</summary>
    private bool Sent(GoldenRecord record) => rule.Filter.All(f => f.Matches(record.ValueOf));

    /// <summary>
    /// The fields the hub sends, as a delivery carries them, with reference fields turned into the
    /// system's ids; and which of them are compared. A value the system itself supplied is not
    /// compared: it is the system's to change, and the hub hears of the change from it.
    /// </summary>
    private async Task<(JsonObject Canonical, List<string> Compared)> SentFieldsAsync(GoldenRecord record, CancellationToken cancellationToken)
    {
        var canonical = new JsonObject();
        var compared = new List<string>();
        foreach (var (name, value) in record.Fields)
        {
            if (!rule.Covers(name) || value.System == rule.System)
            {
                continue;
            }

            if (schema is not null && schema.TryGetField(name, out var field) && field.Type == FieldType.Reference)
            {
                if (value.Value is JsonValue v && v.TryGetValue<string>(out var target) && await ExternalIdAsync(target, cancellationToken) is { } id)
                {
                    canonical[name] = id;
                    compared.Add(name);
                }

                continue;
            }

            canonical[name] = value.Value?.DeepClone();
            compared.Add(name);
        }

        return (canonical, compared);
    }

    private async Task<string?> ExternalIdAsync(string recordId, CancellationToken cancellationToken) =>
        (await store.GetLinksAsync(recordId, cancellationToken)).LastOrDefault(l => l.System == rule.System)?.ExternalId;

    private void Found(DriftRecord drift, GoldenRecord? record)
    {
        Drifted++;
        if (_reported.Count < MaxReported)
        {
            _reported.Add(drift);
        }

        if (record is not null)
        {
            _toRepair.Add((drift, record));
        }
    }

    private async Task FlushAsync(Func<IReadOnlyList<(DriftRecord, GoldenRecord)>, CancellationToken, Task>? repairPage, CancellationToken cancellationToken)
    {
        if (repairPage is not null && _toRepair.Count > 0)
        {
            await repairPage(_toRepair.ToList(), cancellationToken);
        }

        _toRepair.Clear();
    }
}
