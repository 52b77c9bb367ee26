namespace Concord.Core.Audit;

/// <summary>How urgent a finding is.</summary>
public enum AuditSeverity
{
    /// <summary>Worth a look at the next review.</summary>
    Info,

    /// <summary>Money or data at risk over time; act this quarter.</summary>
    Warning,

    /// <summary>Something is failing now.</summary>
    Error,
}

/// <summary>
/// One problem the audit found, with what to do about it. <c>Code</c> is a stable identifier
/// (e.g. <c>unused-subscription</c>) for scripts; <c>Subject</c> names the system, tool or type concerned.
/// </summary>
public sealed record AuditFinding(AuditSeverity Severity, string Code, string Subject, string Message, string NextStep);
