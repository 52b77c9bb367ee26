using Concord.Core.Alerts;

namespace Concord.Engine.Alerts;

/// <summary>
/// One cause a rule sees now. The monitor keeps one open incident per (rule, key): a cause seen again
/// adds nothing, a cause no longer seen is resolved.
/// </summary>
/// <param name="Key">Stable for as long as the cause lasts, unique within the rule: <c>stripe</c>, <c>flow:invoice_paid</c>, <c>stripe/customer/address.zip</c>.</param>
/// <param name="Subject">What it is about, for people: <c>system stripe</c>, <c>flow invoice_paid</c>, <c>type customer</c>.</param>
/// <param name="Summary">One line that says what is wrong with figures: "no Stripe events for 3 h; 60 expected (20/h on Tuesdays 14:00–17:00)".</param>
/// <param name="Detail">More, where there is more to say (the fields that drifted, the findings behind it).</param>
public sealed record AlertCause(string Key, string Subject, string Summary, string? Detail = null);

/// <summary>
/// Evaluates the rules of one kind. Called by the alert monitor every <c>alerts.every</c> with a rule of
/// its kind; returns every cause that holds now (an empty list when all is well).
/// </summary>
public interface IAlertSignal
{
    AlertRuleKind Kind { get; }

    Task<IReadOnlyList<AlertCause>> EvaluateAsync(AlertRule rule, DateTimeOffset now, CancellationToken cancellationToken);
}
