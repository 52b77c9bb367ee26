using Concord.Core.Records;

namespace Concord.Engine.Storage;

/// <summary>The inbox: accepted changes, durable before they are acknowledged.</summary>
public interface IInboxStore
{
    /// <summary>
    /// Appends changes atomically and durably; when the task completes they survive a crash.
    /// A (system, event id) seen before is not stored again and is reported as a duplicate.
    /// </summary>
    Task<IReadOnlyList<AcceptOutcome>> AppendAsync(IReadOnlyList<InboundChange> changes, CancellationToken cancellationToken);
}

/// <summary>
/// Where a poller stands in one of a system's change feeds (an opaque text such as a timestamp or
/// an event id), saved in the transaction that stores the changes read up to it.
/// </summary>
public sealed record PollCursor(string System, string Stream, string Value);

/// <summary>What connectors keep between runs: poll cursors and (encrypted by the caller) credentials.</summary>
public interface IConnectorStateStore
{
    Task<string?> GetConnectorStateAsync(string system, string key, CancellationToken cancellationToken);

    Task SetConnectorStateAsync(string system, string key, string value, CancellationToken cancellationToken);

    /// <summary>The saved cursor of a feed, or null before its first page.</summary>
    Task<string?> GetCursorAsync(string system, string stream, CancellationToken cancellationToken);
}

/// <summary>A change waiting in the inbox, in arrival order.</summary>
public sealed record PendingChange(long Sequence, InboundChange Inbound);

/// <summary>Runs the resolve → apply → emit stage over the inbox, one transaction per batch.</summary>
public interface IPipelineStore
{
    /// <summary>
    /// Hands up to <paramref name="max"/> pending changes, oldest first, to <paramref name="process"/>
    /// inside one transaction, and commits what it did. Returns how many changes were handed over.
    /// </summary>
    Task<int> ProcessInboxAsync(int max, Action<IPipelineTransaction, IReadOnlyList<PendingChange>> process, CancellationToken cancellationToken);

    /// <summary>
    /// Appends like <see cref="IInboxStore.AppendAsync"/> and, when no earlier change is still
    /// waiting, processes the new ones in the same transaction (arrival order is kept either way).
    /// If processing throws, the changes are appended unprocessed for the inbox worker: accepting
    /// never depends on processing. Duplicates are reported and not processed.
    /// </summary>
    Task<IReadOnlyList<AcceptOutcome>> AppendAndProcessAsync(
        IReadOnlyList<InboundChange> changes, Action<IPipelineTransaction, IReadOnlyList<PendingChange>> process, CancellationToken cancellationToken);

    /// <summary>
    /// <see cref="AppendAndProcessAsync"/> for a page a poller read: the feed's cursor is saved in the
    /// same transaction, so after a crash the poller neither skips nor repeats the page.
    /// </summary>
    /// <summary>Runs work in a pipeline transaction of its own (a steward's merge or unmerge), serialised with processing.</summary>
    Task<T> ExecuteAsync<T>(Func<IPipelineTransaction, T> work, CancellationToken cancellationToken);

    Task<IReadOnlyList<AcceptOutcome>> AppendPolledAsync(
        IReadOnlyList<InboundChange> changes, PollCursor cursor, Action<IPipelineTransaction, IReadOnlyList<PendingChange>> process, CancellationToken cancellationToken);
}

/// <summary>
/// What the processing stage may read and write inside its transaction. Calls are synchronous:
/// the transaction belongs to one writer, and batching (not awaiting) is what makes it fast.
/// </summary>
public interface IPipelineTransaction
{
    string? FindLink(string system, string type, string externalId);

    string? FindByIdentity(string type, string key, string value);

    GoldenRecord? LoadRecord(string id);

    /// <summary>Every record (deleted ones too) with a field whose golden value is <paramref name="recordId"/>.</summary>
    IReadOnlyList<GoldenRecord> FindReferencing(string recordId);

    /// <summary>Inserts or updates a record; <paramref name="conflicts"/> is kept for the health figures.</summary>
    void SaveRecord(GoldenRecord record, int conflicts);

    void SetLink(string system, string type, string externalId, string recordId);

    void RemoveLink(string system, string type, string externalId);

    /// <summary>Claims an identity key for a record; false when another record holds it already.</summary>
    bool ClaimIdentity(string type, string key, string value, string recordId);

    void ReleaseIdentity(string type, string key, string value, string recordId);

    void AppendEvent(RecordEvent recordEvent);

    /// <summary>The record's id in a system other than <paramref name="exceptExternalId"/>, if it has one there.</summary>
    string? OtherLinkOf(string system, string type, string recordId, string exceptExternalId);

    /// <summary>Every link of a record.</summary>
    IReadOnlyList<RecordLink> LinksOf(string recordId);

    /// <summary>Removes a record (absorbed by a merge; its snapshot lives in the merge entry) and the identity keys it held.</summary>
    void RemoveRecord(string recordId);

    /// <summary>Inserts or updates a merge entry.</summary>
    void SaveMerge(MergeEntry merge);

    MergeEntry? LoadMerge(string id);

    /// <summary>The merges a record took part in (either side), oldest first.</summary>
    IReadOnlyList<MergeEntry> MergesOf(string recordId);

    /// <summary>Raises a finding unless the same one (kind, record, other record, system) is open already.</summary>
    void RaiseFinding(Finding finding);

    Finding? LoadFinding(string id);

    /// <summary>Closes a finding: resolved (approved, acted on) or dismissed (rejected: never raised again for the same records).</summary>
    void CloseFinding(string id, bool dismissed);

    /// <summary>Resolves the open findings of a kind that involve a record (as either side).</summary>
    void ResolveFindings(string kind, string recordId);

    /// <summary>The open findings that involve a record (as either side), oldest first.</summary>
    IReadOnlyList<Finding> OpenFindingsOf(string recordId);

    /// <summary>The uniqueness-rule keys a record holds, one per rule at most.</summary>
    IReadOnlyList<RuleKey> RuleKeysOf(string recordId);

    /// <summary>Puts a record under a rule's value, after the records there already.</summary>
    void JoinRule(string rule, string type, string value, string recordId);

    void LeaveRule(string rule, string value, string recordId);

    /// <summary>The records under a rule's value, in the order they came.</summary>
    IReadOnlyList<string> RuleMembers(string rule, string value);

    void EnqueueDelivery(Delivery delivery);

    /// <summary>Stores a new run (its <see cref="FlowRun.Sequence"/> is assigned). False, and nothing stored, when a run of the flow with the same trigger key exists.</summary>
    bool EnqueueFlowRun(FlowRun run);

    FlowRun? LoadFlowRun(string id);

    /// <summary>Updates a stored run (matched by id).</summary>
    void SaveFlowRun(FlowRun run);

    /// <summary>The run's steps in <see cref="FlowStepState.Position"/> order.</summary>
    IReadOnlyList<FlowStepState> LoadFlowSteps(string runId);

    /// <summary>Inserts or replaces the state of one step (by run and step id).</summary>
    void SaveFlowStep(FlowStepState step);

    /// <summary>The delivery of a record's version to a system, if one was enqueued (a flow waits for its write to arrive).</summary>
    Delivery? FindDelivery(string system, string recordId, long version);

    /// <summary>Marks an inbox change done, with what became of it.</summary>
    void CompleteChange(long sequence, string result, string? recordId, string? error);

    /// <summary>Starts the work of one change (a savepoint), so that it can be undone alone.</summary>
    void BeginChange();

    /// <summary>Keeps the work of the change begun last.</summary>
    void CommitChange();

    /// <summary>Undoes the work of the change begun last; the rest of the batch stands.</summary>
    void AbortChange();
}

/// <summary>The outbox: deliveries owed to systems, claimed in order and completed in batches.</summary>
public interface IOutboxStore
{
    /// <summary>
    /// Due deliveries for a system, oldest first, at most one per record: a delivery is due only when
    /// no earlier unfinished delivery exists for the same (system, record), which keeps per-record order.
    /// <paramref name="busyRecords"/> are records with an attempt in flight, skipped.
    /// </summary>
    Task<IReadOnlyList<Delivery>> ClaimDueAsync(string system, DateTimeOffset now, int limit, IReadOnlyCollection<string> busyRecords, CancellationToken cancellationToken);

    /// <summary>When the next delivery of the system falls due, or null when none is waiting.</summary>
    Task<DateTimeOffset?> NextDueAtAsync(string system, CancellationToken cancellationToken);

    /// <summary>Writes attempt results, their transaction-log lines and learned links, in one transaction.</summary>
    Task CompleteAsync(IReadOnlyList<DeliveryOutcome> outcomes, CancellationToken cancellationToken);

    Task<Delivery?> GetDeliveryAsync(long id, CancellationToken cancellationToken);

    Task<IReadOnlyList<Delivery>> QueryDeliveriesAsync(DeliveryQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// Puts a dead delivery back in the queue with a fresh payload and idempotency key, noting <paramref name="by"/> (an API key's
    /// name, <c>dashboard:NAME</c>, <c>cli</c>) and when. False when it is not dead.
    /// </summary>
    Task<bool> RequeueAsync(long id, string payload, string idempotencyKey, DateTimeOffset now, string by, CancellationToken cancellationToken);
}

/// <summary>Reads of golden records, their links and history.</summary>
public interface IRecordStore
{
    Task<GoldenRecord?> GetRecordAsync(string id, CancellationToken cancellationToken);

    Task<IReadOnlyList<RecordLink>> GetLinksAsync(string recordId, CancellationToken cancellationToken);

    Task<IReadOnlyList<RecordEvent>> GetHistoryAsync(string recordId, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Live records that name <paramref name="recordId"/> in a field (a customer's invoices, payments
    /// and subscriptions, across every system), by type, newest first.
    /// </summary>
    Task<IReadOnlyList<GoldenRecord>> FindReferencingAsync(string recordId, int limit, CancellationToken cancellationToken);

    /// <summary>The merges a record took part in (as survivor or absorbed), newest first.</summary>
    Task<IReadOnlyList<MergeEntry>> GetMergesAsync(string recordId, CancellationToken cancellationToken);

    /// <summary>
    /// Live records of a type whose email, name, company, domain, phone (digit for digit, see
    /// <see cref="RecordSearch"/>), id or any system's external id matches the query, most recently
    /// changed first. An empty query lists the type's most recently changed records.
    /// </summary>
    Task<IReadOnlyList<GoldenRecord>> SearchAsync(string type, string query, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Every live (not deleted) golden record of a type, oldest first, streamed so a batch job
    /// over the whole store does not hold the query results and the records twice.
    /// </summary>
    IAsyncEnumerable<GoldenRecord> ReadRecordsAsync(string type, CancellationToken cancellationToken);
}

/// <summary>Findings about the data, for people to act on.</summary>
public interface IFindingStore
{
    Task<IReadOnlyList<Finding>> QueryFindingsAsync(FindingQuery query, CancellationToken cancellationToken);
}

/// <summary>The transaction log.</summary>
public interface ILogStore
{
    Task<IReadOnlyList<LogEntry>> QueryLogAsync(LogQuery query, CancellationToken cancellationToken);
}

/// <summary>API keys, stored as hashes only.</summary>
public interface IApiKeyStore
{
    Task CreateApiKeyAsync(ApiKeyInfo key, CancellationToken cancellationToken);

    /// <summary>The key with this hash, unless it was revoked.</summary>
    Task<ApiKeyInfo?> FindApiKeyAsync(string hash, CancellationToken cancellationToken);

    /// <summary>Every key, revoked ones included, oldest first.</summary>
    Task<IReadOnlyList<ApiKeyInfo>> ListApiKeysAsync(CancellationToken cancellationToken);

    /// <summary>Revokes a key by id; false when there is no such key or it was revoked already.</summary>
    Task<bool> RevokeApiKeyAsync(string id, DateTimeOffset at, CancellationToken cancellationToken);
}

/// <summary>Figures for the health endpoint.</summary>
public interface IHealthStore
{
    Task<HealthSnapshot> GetHealthAsync(DateTimeOffset now, TimeSpan window, CancellationToken cancellationToken);

    /// <summary>
    /// Per system and clock hour (UTC) from <paramref name="since"/> (inclusive, rounded down to its hour) to
    /// <paramref name="until"/> (exclusive): the deliveries that succeeded in the hour and how long they waited from
    /// being enqueued to being accepted. Hours without a successful delivery are left out. Only what the log keeps.
    /// </summary>
    Task<IReadOnlyList<DeliveryLagHour>> GetDeliveryLagAsync(DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken);

    /// <summary>
    /// Per system that appears in the kept log: its last accepted inbound change, its last successful delivery,
    /// and its dead deliveries and failed attempts since <paramref name="since"/> (for the stack audit).
    /// </summary>
    Task<IReadOnlyList<SystemActivity>> GetSystemActivityAsync(DateTimeOffset since, CancellationToken cancellationToken);
}

/// <summary>Keeps the store bounded.</summary>
public interface IRetentionStore
{
    /// <summary>Deletes finished inbox changes, finished deliveries and attempt lines older than <paramref name="before"/>.</summary>
    Task<int> PruneAsync(DateTimeOffset before, CancellationToken cancellationToken);
}

/// <summary>Everything the hub keeps. One implementation per database; each passes the storage compliance suite.</summary>
public interface IHubStore : IInboxStore, IPipelineStore, IConnectorStateStore, IFindingStore, IOutboxStore, IRecordStore, ILogStore, IApiKeyStore, IHealthStore, IRetentionStore, IFlowStore,
    IVerificationStore, IVerificationRunStore, IIncidentStore, IAlertFigureStore, ITrafficStore, ISchemaShapeStore, IDataHealthStore, IUserStore, IAsyncDisposable
{
    /// <summary>Creates or migrates the schema.</summary>
    Task InitializeAsync(CancellationToken cancellationToken);
}
