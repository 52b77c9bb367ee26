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

/// <summary>Which log lines to return, newest first.</summary>
public sealed record LogQuery(string? RecordId = null, string? System = null, DateTimeOffset? Since = null, string? CorrelationId = null, int Limit = 100);

/// <summary>Which deliveries to return, newest first.</summary>
public sealed record DeliveryQuery(DeliveryStatus? Status = null, string? System = null, string? RecordId = null, int Limit = 100);
