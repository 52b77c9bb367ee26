namespace Concord.Engine.Storage;

/// <summary>
/// Something the hub noticed about the data that a person should look at: a record that looks
/// like another, a tool that holds the same customer twice, a customer billed twice. Raised once
/// per (kind, record, other record, system, rule) while open; resolved when the cause goes away.
/// </summary>
/// <param name="Id">The finding's id.</param>
/// <param name="Kind"><c>possible-duplicate</c>, <c>duplicate-in-system</c>, <c>double-billing</c> or <c>cardinality</c>.</param>
/// <param name="Severity"><c>warning</c>, or <c>alert</c> where money is at stake.</param>
/// <param name="Type">The entity type of the record.</param>
/// <param name="RecordId">The record it is about.</param>
/// <param name="OtherRecordId">The other record involved, when there is one.</param>
/// <param name="System">The system involved, when there is one.</param>
/// <param name="Message">What was found, for people.</param>
/// <param name="RaisedAt">When it was first raised.</param>
/// <param name="ResolvedAt">When its cause went away; null while open.</param>
/// <param name="Rule">The guardrail rule that raised it, for findings raised by one.</param>
public sealed record Finding(
    string Id,
    string Kind,
    string Severity,
    string Type,
    string RecordId,
    string? OtherRecordId,
    string? System,
    string Message,
    DateTimeOffset RaisedAt,
    DateTimeOffset? ResolvedAt = null,
    string? Rule = null);

/// <summary>A filter over findings; null matches everything.</summary>
public sealed record FindingQuery(string? Kind = null, string? Type = null, string? RecordId = null, bool OpenOnly = true, int Limit = 100);
