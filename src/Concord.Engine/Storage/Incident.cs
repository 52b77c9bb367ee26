namespace Concord.Engine.Storage;

/// <summary>Where an incident stands. Acknowledged is still unresolved: an acknowledgement stops nothing from resolving.</summary>
public enum IncidentStatus
{
    Open = 0,
    Acknowledged = 1,
    Resolved = 2,
}

/// <summary>
/// One cause of one alert rule, from the evaluation that first saw it to the one that saw it gone.
/// At most one unresolved incident exists per (rule, key); the same cause coming back later is a new incident.
/// </summary>
/// <param name="Id">The incident's id (<c>inc_…</c>).</param>
/// <param name="Rule">The rule's name.</param>
/// <param name="Kind">The rule's kind, snake_case (<c>error_rate</c>).</param>
/// <param name="Key">The cause's key within the rule (<c>stripe</c>, <c>flow:invoice_paid</c>).</param>
/// <param name="Subject">What it is about, for people.</param>
/// <param name="Summary">What is wrong, with figures, as last seen.</param>
/// <param name="Detail">More, where there is more to say.</param>
/// <param name="Status">Open, acknowledged or resolved.</param>
/// <param name="OpenedAt">The evaluation that first saw the cause.</param>
/// <param name="LastSeenAt">The last evaluation that saw it.</param>
/// <param name="ResolvedAt">When it was resolved; null while unresolved.</param>
/// <param name="AcknowledgedAt">When someone acknowledged it (the latest acknowledgement).</param>
/// <param name="AcknowledgedBy">Who.</param>
/// <param name="AcknowledgementNote">What they said.</param>
/// <param name="Misses">Evaluations in a row that did not see the cause (it resolves at <c>alerts.resolve_after</c>).</param>
public sealed record Incident(
    string Id,
    string Rule,
    string Kind,
    string Key,
    string Subject,
    string Summary,
    string? Detail,
    IncidentStatus Status,
    DateTimeOffset OpenedAt,
    DateTimeOffset LastSeenAt,
    DateTimeOffset? ResolvedAt = null,
    DateTimeOffset? AcknowledgedAt = null,
    string? AcknowledgedBy = null,
    string? AcknowledgementNote = null,
    int Misses = 0);

/// <summary>Where a notification stands; "open" is pending or retrying.</summary>
public enum NotificationStatus
{
    Pending = 0,
    Retrying = 1,
    Sent = 2,

    /// <summary>Gave up: a permanent failure, or every attempt used.</summary>
    Dead = 3,
}

/// <summary>
/// One message owed to one channel about one incident event, enqueued in the transaction that opened or
/// resolved the incident. Its text is written then, so every attempt sends the same message.
/// </summary>
/// <param name="Id">The notification's id (<c>ntf_…</c>).</param>
/// <param name="IncidentId">The incident it is about; the correlation id of its log lines.</param>
/// <param name="Event"><c>opened</c> or <c>resolved</c>.</param>
/// <param name="Channel">The channel's name.</param>
/// <param name="Via">The system it goes through.</param>
/// <param name="Args">The notifier's arguments as a JSON object (the channel's, and the message).</param>
/// <param name="IdempotencyKey"><c>{incident}:{event}:{channel}</c>: the same for every attempt.</param>
/// <param name="Status">Where it stands.</param>
/// <param name="Attempts">Attempts made.</param>
/// <param name="CreatedAt">When it was enqueued.</param>
/// <param name="NextAttemptAt">When it is due.</param>
/// <param name="SentAt">When it was sent, or given up.</param>
/// <param name="LastError">The last failure.</param>
public sealed record AlertNotification(
    string Id,
    string IncidentId,
    string Event,
    string Channel,
    string Via,
    string Args,
    string IdempotencyKey,
    NotificationStatus Status,
    int Attempts,
    DateTimeOffset CreatedAt,
    DateTimeOffset NextAttemptAt,
    DateTimeOffset? SentAt = null,
    string? LastError = null);

/// <summary>One attempt to send a notification, as the transaction log keeps it.</summary>
/// <param name="NotificationId">Which notification.</param>
/// <param name="Attempt">1-based.</param>
/// <param name="StartedAt">When it started.</param>
/// <param name="Duration">How long it took.</param>
/// <param name="Result"><c>succeeded</c>, <c>retrying</c> or <c>dead</c>.</param>
/// <param name="ResponseStatus">The status the system answered, when it answered.</param>
/// <param name="Request">What was sent, as the notifier reports it.</param>
/// <param name="Response">What came back.</param>
/// <param name="Error">What went wrong.</param>
public sealed record NotificationAttempt(
    string NotificationId,
    int Attempt,
    DateTimeOffset StartedAt,
    TimeSpan Duration,
    string Result,
    int? ResponseStatus,
    string? Request,
    string? Response,
    string? Error);

/// <summary>The result of one attempt, written back with its log line in one transaction.</summary>
/// <param name="Attempt">The attempt as logged.</param>
/// <param name="Status">Sent, Retrying (with <paramref name="NextAttemptAt"/>) or Dead.</param>
/// <param name="NextAttemptAt">When to try again.</param>
public sealed record NotificationOutcome(NotificationAttempt Attempt, NotificationStatus Status, DateTimeOffset? NextAttemptAt);

/// <summary>What an evaluation saw of an unresolved incident's cause: still there (with today's figures) or missing.</summary>
/// <param name="IncidentId">Which incident.</param>
/// <param name="At">The evaluation's time.</param>
/// <param name="Cause">The cause as seen now; null when it was not seen.</param>
public sealed record IncidentSighting(string IncidentId, DateTimeOffset At, Alerts.AlertCause? Cause);

/// <summary>Which incidents to return, newest first; null matches everything.</summary>
public sealed record IncidentQuery(IncidentStatus? Status = null, string? Rule = null, DateTimeOffset? Since = null, int Limit = 100);

/// <summary>Incidents and the notifications they owe, for the alert monitor, its outbox worker and the API.</summary>
public interface IIncidentStore
{
    /// <summary>Every unresolved (open or acknowledged) incident.</summary>
    Task<IReadOnlyList<Incident>> GetUnresolvedIncidentsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Opens an incident and enqueues its notifications in one transaction. False, and nothing stored,
    /// when the rule already has an unresolved incident for the key.
    /// </summary>
    Task<bool> OpenIncidentAsync(Incident incident, IReadOnlyList<AlertNotification> notifications, CancellationToken cancellationToken);

    /// <summary>
    /// Records what an evaluation saw: a cause still there resets the misses and takes the new figures,
    /// a missing one adds a miss. Returns the incidents as they are now.
    /// </summary>
    Task<IReadOnlyList<Incident>> RecordSightingsAsync(IReadOnlyList<IncidentSighting> sightings, CancellationToken cancellationToken);

    /// <summary>
    /// Resolves an unresolved incident and enqueues its resolution notifications in one transaction.
    /// False, and nothing stored, when it is resolved already (or unknown).
    /// </summary>
    Task<bool> ResolveIncidentAsync(string id, DateTimeOffset at, IReadOnlyList<AlertNotification> notifications, CancellationToken cancellationToken);

    /// <summary>
    /// Acknowledges an incident (again, if it was: the latest acknowledgement wins). A resolved incident
    /// keeps its status and takes the acknowledgement. Null when there is no such incident.
    /// </summary>
    Task<Incident?> AcknowledgeIncidentAsync(string id, string by, string? note, DateTimeOffset at, CancellationToken cancellationToken);

    Task<Incident?> GetIncidentAsync(string id, CancellationToken cancellationToken);

    Task<IReadOnlyList<Incident>> QueryIncidentsAsync(IncidentQuery query, CancellationToken cancellationToken);

    /// <summary>An incident's notifications, oldest first.</summary>
    Task<IReadOnlyList<AlertNotification>> GetNotificationsAsync(string incidentId, CancellationToken cancellationToken);

    /// <summary>Every attempt of an incident's notifications, oldest first.</summary>
    Task<IReadOnlyList<NotificationAttempt>> GetNotificationAttemptsAsync(string incidentId, CancellationToken cancellationToken);

    /// <summary>Pending and retrying notifications due at <paramref name="now"/>, oldest first.</summary>
    Task<IReadOnlyList<AlertNotification>> ClaimDueNotificationsAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken);

    /// <summary>When the next open notification falls due; null when none is open.</summary>
    Task<DateTimeOffset?> NextNotificationDueAtAsync(CancellationToken cancellationToken);

    /// <summary>Writes an attempt's result and its transaction-log line in one transaction.</summary>
    Task CompleteNotificationAsync(NotificationOutcome outcome, CancellationToken cancellationToken);
}
