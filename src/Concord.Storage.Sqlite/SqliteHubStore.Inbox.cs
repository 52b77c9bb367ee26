using System.Text.Json;
using Concord.Core.Records;
using Concord.Engine.Storage;

namespace Concord.Storage.Sqlite;

public sealed partial class SqliteHubStore
{
    public Task<IReadOnlyList<AcceptOutcome>> AppendAndProcessAsync(
        IReadOnlyList<InboundChange> changes, Action<IPipelineTransaction, IReadOnlyList<PendingChange>> process, CancellationToken cancellationToken) =>
        AppendAndProcessAsync(changes, null, process, cancellationToken);

    public Task<IReadOnlyList<AcceptOutcome>> AppendPolledAsync(
        IReadOnlyList<InboundChange> changes, PollCursor cursor, Action<IPipelineTransaction, IReadOnlyList<PendingChange>> process, CancellationToken cancellationToken) =>
        AppendAndProcessAsync(changes, cursor, process, cancellationToken);

    private Task<IReadOnlyList<AcceptOutcome>> AppendAndProcessAsync(
        IReadOnlyList<InboundChange> changes, PollCursor? cursor, Action<IPipelineTransaction, IReadOnlyList<PendingChange>> process, CancellationToken cancellationToken)
    {
        // The change's JSON is needed only if it is stored unprocessed (behind a backlog, or after a
        // processing fault); processed on the spot, it never is, so it is made on demand.
        var rows = changes.Select(c => (c, new Lazy<string>(() => Serialize(c)))).ToList();
        return WriteAsync<IReadOnlyList<AcceptOutcome>>(w =>
        {
            // The cursor belongs to this operation's savepoint: it commits with the changes or not at all.
            if (cursor is not null)
            {
                PutState(w, cursor.System, CursorKey(cursor.Stream), cursor.Value);
            }

            var waiting = w.Command("SELECT EXISTS (SELECT 1 FROM inbox WHERE processed_at IS NULL)");
            if ((long)waiting.ExecuteScalar()! != 0)
            {
                return Append(w, rows);
            }

            // Duplicates first: only new changes are processed, and each at most once per batch.
            var outcomes = new AcceptOutcome?[rows.Count];
            var fresh = new List<PendingChange>(rows.Count);
            var seen = new HashSet<(string, string)>();
            for (var i = 0; i < rows.Count; i++)
            {
                var change = rows[i].c.Change;
                if (ExistingChangeId(w, change.System, change.EventId) is { } earlier)
                {
                    outcomes[i] = new AcceptOutcome(change.EventId, earlier, Duplicate: true);
                }
                else if (seen.Add((change.System, change.EventId)))
                {
                    fresh.Add(new PendingChange(-(i + 1), rows[i].c));
                }
            }

            var now = Ms(_time.GetUtcNow());
            w.Command("SAVEPOINT fused").ExecuteNonQuery();
            try
            {
                var tx = new FusedTransaction(new SqlitePipelineTransaction(w, _time.GetUtcNow()));
                if (fresh.Count > 0)
                {
                    process(tx, fresh);
                }

                foreach (var pending in fresh)
                {
                    var i = (int)(-pending.Sequence) - 1;
                    if (tx.Completed.TryGetValue(pending.Sequence, out var done))
                    {
                        Insert(w, rows[i].c, null, now, done);
                    }
                    else
                    {
                        // Not completed by the processor: left for the inbox worker.
                        Insert(w, rows[i].c, rows[i].Item2.Value, null, null);
                    }

                    outcomes[i] = new AcceptOutcome(rows[i].c.Change.EventId, rows[i].c.ChangeId, Duplicate: false);
                }

                w.Command("RELEASE fused").ExecuteNonQuery();
            }
            catch (Exception) when (fresh.Count > 0)
            {
                // Processing failed: keep what was accepted, unprocessed, for the inbox worker.
                w.Command("ROLLBACK TO fused").ExecuteNonQuery();
                w.Command("RELEASE fused").ExecuteNonQuery();
                return Append(w, rows);
            }

            return outcomes.Select(o => o!).ToList();
        }, cancellationToken);
    }

    private static string? ExistingChangeId(SqliteWriter w, string system, string eventId)
    {
        var existing = w.Command("SELECT change_id FROM inbox WHERE system = $system AND event_id = $event_id");
        Bind(existing, "$system", system);
        Bind(existing, "$event_id", eventId);
        return existing.ExecuteScalar() as string;
    }

    /// <summary>
    /// Writes one inbox row: pending (with the change for the worker) or already processed (with
    /// its result). False when the (system, event id) was there already.
    /// </summary>
    private static bool Insert(SqliteWriter w, InboundChange inbound, string? json, long? processedAt, (string Result, string? RecordId, string? Error)? done)
    {
        var change = inbound.Change;
        var insert = w.Command("""
            INSERT INTO inbox(change_id, system, event_id, type, external_id, occurred_at, received_at, via, change, payload, processed_at, result, record_id, error)
            VALUES ($change_id, $system, $event_id, $type, $external_id, $occurred_at, $received_at, $via, $change, $payload, $processed_at, $result, $record_id, $error)
            ON CONFLICT(system, event_id) DO NOTHING
            """);
        Bind(insert, "$change_id", inbound.ChangeId);
        Bind(insert, "$system", change.System);
        Bind(insert, "$event_id", change.EventId);
        Bind(insert, "$type", change.Type);
        Bind(insert, "$external_id", change.ExternalId);
        Bind(insert, "$occurred_at", Ms(change.OccurredAt));
        Bind(insert, "$received_at", Ms(inbound.ReceivedAt));
        Bind(insert, "$via", inbound.Via);
        Bind(insert, "$change", json);
        Bind(insert, "$payload", inbound.Payload);
        Bind(insert, "$processed_at", processedAt);
        Bind(insert, "$result", done?.Result);
        Bind(insert, "$record_id", done?.RecordId);
        Bind(insert, "$error", done?.Error);
        return insert.ExecuteNonQuery() == 1;
    }

    public Task<IReadOnlyList<AcceptOutcome>> AppendAsync(IReadOnlyList<InboundChange> changes, CancellationToken cancellationToken)
    {
        // Serialise outside the writer thread: it is the one resource every request shares.
        var rows = changes.Select(c => (c, new Lazy<string>(Serialize(c)))).ToList();
        return WriteAsync(w => Append(w, rows), cancellationToken);
    }

    private static string Serialize(InboundChange inbound) => JsonSerializer.Serialize(StoredChange.From(inbound.Change), Json);

    private static IReadOnlyList<AcceptOutcome> Append(SqliteWriter w, List<(InboundChange c, Lazy<string> Json)> rows)
    {
        var outcomes = new List<AcceptOutcome>(rows.Count);
        foreach (var (inbound, json) in rows)
        {
            var change = inbound.Change;
            outcomes.Add(Insert(w, inbound, json.Value, null, null)
                ? new AcceptOutcome(change.EventId, inbound.ChangeId, Duplicate: false)
                : new AcceptOutcome(change.EventId, ExistingChangeId(w, change.System, change.EventId)!, Duplicate: true));
        }

        return outcomes;
    }

    /// <summary>
    /// The pipeline transaction of a change processed as it is accepted: its inbox row does not
    /// exist yet, so its completion is remembered and written with the row itself.
    /// </summary>
    private sealed class FusedTransaction(SqlitePipelineTransaction inner) : IPipelineTransaction
    {
        public Dictionary<long, (string Result, string? RecordId, string? Error)> Completed { get; } = [];

        public string? FindLink(string system, string type, string externalId) => inner.FindLink(system, type, externalId);

        public string? FindByIdentity(string type, string key, string value) => inner.FindByIdentity(type, key, value);

        public GoldenRecord? LoadRecord(string id) => inner.LoadRecord(id);

        public IReadOnlyList<GoldenRecord> FindReferencing(string recordId) => inner.FindReferencing(recordId);

        public void SaveRecord(GoldenRecord record, int conflicts) => inner.SaveRecord(record, conflicts);

        public void SetLink(string system, string type, string externalId, string recordId) => inner.SetLink(system, type, externalId, recordId);

        public void RemoveLink(string system, string type, string externalId) => inner.RemoveLink(system, type, externalId);

        public bool ClaimIdentity(string type, string key, string value, string recordId) => inner.ClaimIdentity(type, key, value, recordId);

        public void ReleaseIdentity(string type, string key, string value, string recordId) => inner.ReleaseIdentity(type, key, value, recordId);

        public void AppendEvent(RecordEvent recordEvent) => inner.AppendEvent(recordEvent);

        public string? OtherLinkOf(string system, string type, string recordId, string exceptExternalId) => inner.OtherLinkOf(system, type, recordId, exceptExternalId);

        public void RaiseFinding(Finding finding) => inner.RaiseFinding(finding);

        public IReadOnlyList<RecordLink> LinksOf(string recordId) => inner.LinksOf(recordId);

        public void RemoveRecord(string recordId) => inner.RemoveRecord(recordId);

        public void SaveMerge(MergeEntry merge) => inner.SaveMerge(merge);

        public MergeEntry? LoadMerge(string id) => inner.LoadMerge(id);

        public IReadOnlyList<MergeEntry> MergesOf(string recordId) => inner.MergesOf(recordId);

        public void ResolveFindings(string kind, string recordId) => inner.ResolveFindings(kind, recordId);

        public IReadOnlyList<Finding> OpenFindingsOf(string recordId) => inner.OpenFindingsOf(recordId);

        public IReadOnlyList<RuleKey> RuleKeysOf(string recordId) => inner.RuleKeysOf(recordId);

        public bool EnqueueFlowRun(FlowRun run) => inner.EnqueueFlowRun(run);

        public FlowRun? LoadFlowRun(string id) => inner.LoadFlowRun(id);

        public void SaveFlowRun(FlowRun run) => inner.SaveFlowRun(run);

        public IReadOnlyList<FlowStepState> LoadFlowSteps(string runId) => inner.LoadFlowSteps(runId);

        public void SaveFlowStep(FlowStepState step) => inner.SaveFlowStep(step);

        public Delivery? FindDelivery(string system, string recordId, long version) => inner.FindDelivery(system, recordId, version);

        public void JoinRule(string rule, string type, string value, string recordId) => inner.JoinRule(rule, type, value, recordId);

        public void LeaveRule(string rule, string value, string recordId) => inner.LeaveRule(rule, value, recordId);

        public IReadOnlyList<string> RuleMembers(string rule, string value) => inner.RuleMembers(rule, value);

        public Finding? LoadFinding(string id) => inner.LoadFinding(id);

        public void CloseFinding(string id, bool dismissed) => inner.CloseFinding(id, dismissed);

        public void EnqueueDelivery(Delivery delivery) => inner.EnqueueDelivery(delivery);

        public void CompleteChange(long sequence, string result, string? recordId, string? error) => Completed[sequence] = (result, recordId, error);

        public void BeginChange() => inner.BeginChange();

        public void CommitChange() => inner.CommitChange();

        public void AbortChange() => inner.AbortChange();
    }

    /// <summary>The change as kept in the inbox until it is processed (then cleared: the golden record holds the values).</summary>
    internal sealed record StoredChange(string System, string Type, string? ExternalId, string EventId, DateTimeOffset OccurredAt, Dictionary<string, System.Text.Json.Nodes.JsonNode?> Fields, bool Deleted, string? RecordId = null)
    {
        public static StoredChange From(Change c) => new(c.System, c.Type, c.ExternalId, c.EventId, c.OccurredAt, new(c.Fields, StringComparer.Ordinal), c.Deleted, c.RecordId);

        public Change ToChange() => new(System, Type, ExternalId, EventId, OccurredAt, Fields, Deleted, RecordId);
    }
}
