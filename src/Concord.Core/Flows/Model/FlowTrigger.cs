using Concord.Core.Configuration;

namespace Concord.Core.Flows.Model;

/// <summary>What starts a run of a flow.</summary>
public abstract record FlowTrigger(SourceSpan At)
{
    /// <summary><c>record</c>, <c>webhook</c>, <c>schedule</c> or <c>manual</c>.</summary>
    public abstract string Kind { get; }
}

/// <summary>What happened to a golden record.</summary>
public enum RecordTriggerOn
{
    Created,

    /// <summary>Any new version that is not a creation or deletion.</summary>
    Updated,

    /// <summary>An update that changed one of <see cref="RecordTrigger.Fields"/>.</summary>
    Changed,

    Deleted,
}

/// <summary>
/// A golden record of <paramref name="Type"/> was created, updated, changed in one of <paramref name="Fields"/>,
/// or deleted; optionally only when the change came from one of <paramref name="From"/> (system names).
/// </summary>
public sealed record RecordTrigger(string Type, RecordTriggerOn On, IReadOnlyList<string> Fields, IReadOnlyList<string> From, SourceSpan At) : FlowTrigger(At)
{
    public override string Kind => "record";
}

/// <summary>
/// A signed POST to <c>/hooks/flows/{flow}</c>: the body is HMAC-SHA256-signed with the secret
/// (header <c>X-Concord-Signature: sha256=&lt;hex&gt;</c>); unsigned or wrongly signed requests are rejected.
/// </summary>
public sealed record WebhookTrigger(SecretRef Secret, SourceSpan At) : FlowTrigger(At)
{
    public override string Kind => "webhook";
}

/// <summary>A cron schedule in a time zone (IANA name; UTC when not written).</summary>
public sealed record ScheduleTrigger(CronSchedule Cron, TimeZoneInfo Zone, SourceSpan At) : FlowTrigger(At)
{
    public override string Kind => "schedule";
}

/// <summary>Started by hand: <c>POST /api/v1/flows/{flow}/runs</c> or <c>concord flow run</c>.</summary>
public sealed record ManualTrigger(SourceSpan At) : FlowTrigger(At)
{
    public override string Kind => "manual";
}
