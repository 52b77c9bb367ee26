namespace Concord.Engine.Storage;

/// <summary>One line of the transaction log: an inbound change or an outbound attempt.</summary>
public sealed record LogEntry
{
    /// <summary><c>inbound</c> or <c>outbound</c>.</summary>
    public required string Direction { get; init; }

    public required string System { get; init; }

    public string? Type { get; init; }

    public string? RecordId { get; init; }

    public string? ExternalId { get; init; }

    /// <summary>Ties an inbound change to the deliveries it caused.</summary>
    public required string CorrelationId { get; init; }

    /// <summary>The change id (inbound) or delivery id (outbound).</summary>
    public required string Reference { get; init; }

    public int? Attempt { get; init; }

    public DateTimeOffset At { get; init; }

    public double? DurationMs { get; init; }

    /// <summary>What happened: accepted, applied, no-op, rejected (inbound); succeeded, retrying, dead (outbound).</summary>
    public required string Result { get; init; }

    public int? ResponseStatus { get; init; }

    public string? Payload { get; init; }

    public string? ResponseBody { get; init; }

    public string? Error { get; init; }
}

/// <summary>Which log lines to return, newest first. Every filter is optional; together they must all hold.</summary>
public sealed record LogQuery(string? RecordId = null, string? System = null, DateTimeOffset? Since = null, string? CorrelationId = null, int Limit = 100)
{
    /// <summary>Lines about the record a system knows by this id (any system's link, or an inbound change's own id).</summary>
    public string? ExternalId { get; init; }

    /// <summary>Lines a flow's runs caused: the attempts of the deliveries its writes made. Inbound changes are not caused by a flow.</summary>
    public string? Flow { get; init; }

    /// <summary>Only lines before this time (exclusive), with <see cref="LogQuery.Since"/> a window.</summary>
    public DateTimeOffset? Until { get; init; }

    /// <summary>Only the attempts of this delivery: what was sent each time and what the system answered.</summary>
    public long? DeliveryId { get; init; }

    /// <summary><c>inbound</c> or <c>outbound</c>; null for both.</summary>
    public string? Direction { get; init; }

    /// <summary>Only lines that ended so: <c>succeeded</c>, <c>retrying</c>, <c>dead</c> (attempts), <c>failed</c>, <c>created</c>… (inbound changes).</summary>
    public string? Result { get; init; }

    /// <summary>Lines to skip, newest first, for the next page (a store may bound it; SQLite reads at most 10,000 back).</summary>
    public int Offset { get; init; }
}

/// <summary>Which deliveries to return, newest first. Every filter is optional; together they must all hold.</summary>
public sealed record DeliveryQuery(DeliveryStatus? Status = null, string? System = null, string? RecordId = null, int Limit = 100)
{
    /// <summary>Deliveries of the record a system knows by this id (a link in any system).</summary>
    public string? ExternalId { get; init; }

    /// <summary>Deliveries a flow's runs caused (their correlation id is the run's id).</summary>
    public string? Flow { get; init; }

    /// <summary>Created at or after this time.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Created before this time (exclusive).</summary>
    public DateTimeOffset? Until { get; init; }

    /// <summary>Only ids below this one: the next page after a page that ended with it.</summary>
    public long? Before { get; init; }
}
