using System.Globalization;
using Concord.Engine.Hosting;
using Concord.Engine.Storage;
using Microsoft.AspNetCore.Http;

namespace Concord.Server.Dashboard;

/// <summary>
/// The filter of the deliveries list and the transaction log, as typed in their GET forms: kept as text so the form
/// shows back what was typed, and turned into a store query with a message naming the field when a value is wrong.
/// </summary>
public sealed record DeliveryFilter(string? System, string? Record, string? Flow, string? Status, string? From, string? To)
{
    /// <summary>The delivery statuses a person picks from; "delivered" is what the store calls succeeded.</summary>
    public static readonly IReadOnlyList<(string Value, string Text)> DeliveryStatuses =
        [("pending", "Pending"), ("retrying", "Retrying"), ("dead", "Dead"), ("succeeded", "Delivered")];

    /// <summary>How a log line can end that a person looks for: attempts that succeeded, will be retried or died, and inbound changes that failed.</summary>
    public static readonly IReadOnlyList<(string Value, string Text)> LogResults =
        [("succeeded", "Succeeded"), ("retrying", "Retrying"), ("dead", "Dead"), ("failed", "Failed (inbound)")];

    private static readonly string[] TimeFormats = ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-dd"];

    public bool IsEmpty => System is null && Record is null && Flow is null && Status is null && From is null && To is null;

    /// <summary>Reads the filter's fields from a query string or a posted form; blank fields are no filter.</summary>
    public static DeliveryFilter Read(Func<string, string?> value)
    {
        string? Field(string name) => value(name)?.Trim() is { Length: > 0 } text ? text : null;
        return new DeliveryFilter(Field("system"), Field("record"), Field("flow"), Field("status"), Field("from"), Field("to"));
    }

    public static DeliveryFilter Of(IQueryCollection query) => Read(name => query[name].ToString());

    public static DeliveryFilter Of(IFormCollection form) => Read(name => form[name].ToString());

    /// <summary>The filter as route values, for links and redirects that keep it.</summary>
    public Dictionary<string, string?> RouteValues()
    {
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        void Add(string name, string? value)
        {
            if (value is not null)
            {
                values[name] = value;
            }
        }

        Add("system", System);
        Add("record", Record);
        Add("flow", Flow);
        Add("status", Status);
        Add("from", From);
        Add("to", To);
        return values;
    }

    /// <summary>The deliveries query, or the problem with the filter.</summary>
    public async Task<(DeliveryQuery? Query, string? Problem)> ToDeliveryQueryAsync(HubRuntime hub, int limit, long? before, CancellationToken cancellationToken)
    {
        if (Common(hub) is { } problem)
        {
            return (null, problem);
        }

        DeliveryStatus? status = null;
        if (Status is not null)
        {
            var name = Status.Equals("delivered", StringComparison.OrdinalIgnoreCase) ? "succeeded" : Status.ToLowerInvariant();
            if (!DeliveryStatuses.Any(s => s.Value == name))
            {
                return (null, $"Status: '{Status}' is not a delivery status; pick pending, retrying, dead or delivered.");
            }

            status = Enum.Parse<DeliveryStatus>(name, ignoreCase: true);
        }

        var (recordId, externalId) = await RecordAsync(hub, cancellationToken);
        return (new DeliveryQuery(status, System, recordId, limit)
        {
            ExternalId = externalId, Flow = Flow, From = Time(From), Until = Time(To), Before = before,
        }, null);
    }

    /// <summary>The log query, or the problem with the filter; <see cref="Status"/> is how the line ended.</summary>
    public async Task<(LogQuery? Query, string? Problem)> ToLogQueryAsync(HubRuntime hub, int limit, int offset, CancellationToken cancellationToken)
    {
        if (Common(hub) is { } problem)
        {
            return (null, problem);
        }

        var result = Status?.ToLowerInvariant();
        if (result is not null && !LogResults.Any(r => r.Value == result))
        {
            return (null, $"Result: '{Status}' is not one the log records; pick succeeded, retrying, dead or failed.");
        }

        var (recordId, externalId) = await RecordAsync(hub, cancellationToken);
        return (new LogQuery(recordId, System, Time(From), null, limit)
        {
            ExternalId = externalId, Flow = Flow, Until = Time(To), Result = result, Offset = offset,
        }, null);
    }

    private string? Common(HubRuntime hub)
    {
        if (System is not null && !hub.Config.Systems.ContainsKey(System))
        {
            return $"System: no system named '{System}' is configured.";
        }

        if (Flow is not null && !hub.Config.Flows.ContainsKey(Flow))
        {
            return $"Flow: no flow named '{Flow}' is configured.";
        }

        if (From is not null && Time(From) is null)
        {
            return $"From: '{From}' is not a time; write it as 2026-11-22T09:00 (UTC).";
        }

        if (To is not null && Time(To) is null)
        {
            return $"To: '{To}' is not a time; write it as 2026-11-22T18:00 (UTC).";
        }

        return Time(From) is { } from && Time(To) is { } to && from >= to ? "From must be before To." : null;
    }

    /// <summary>A golden id when a record has it; otherwise the id some system gave the record.</summary>
    private async Task<(string? RecordId, string? ExternalId)> RecordAsync(HubRuntime hub, CancellationToken cancellationToken) =>
        Record is null ? (null, null)
        : await hub.Store.GetRecordAsync(Record, cancellationToken) is not null ? (Record, null)
        : (null, Record);

    /// <summary>A time as the browser's date-time field sends it (or ISO 8601), read as UTC.</summary>
    internal static DateTimeOffset? Time(string? text)
    {
        if (text is null)
        {
            return null;
        }

        if (DateTime.TryParseExact(text, TimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var local))
        {
            return new DateTimeOffset(local, TimeSpan.Zero);
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) ? parsed : null;
    }
}
