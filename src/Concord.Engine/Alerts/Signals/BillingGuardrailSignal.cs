using Concord.Core.Alerts;
using Concord.Engine.Storage;

namespace Concord.Engine.Alerts.Signals;

/// <summary>
/// <c>billing_guardrail</c>: every open finding of severity <c>alert</c> (a customer billed twice, another
/// guardrail rule raised as an alert) is a cause of its own (key = finding id). It clears when the finding
/// is resolved: by the guardrail when the cause goes away, or by a person approving or rejecting it.
/// </summary>
public sealed class BillingGuardrailSignal(IFindingStore store) : IAlertSignal
{
    public AlertRuleKind Kind => AlertRuleKind.BillingGuardrail;

    public async Task<IReadOnlyList<AlertCause>> EvaluateAsync(AlertRule rule, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var open = await store.QueryFindingsAsync(new FindingQuery(OpenOnly: true, Limit: 1000), cancellationToken);
        return open.Where(f => f.Severity == "alert" && rule.CoversType(f.Type))
            .OrderBy(f => f.RaisedAt)
            .Select(f => new AlertCause(f.Id, $"{f.Type} {f.RecordId}", $"{f.Kind}{(f.Rule is { } r ? $" ({r})" : "")}: {f.Message}",
                $"Finding {f.Id}, raised {f.RaisedAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC. Review it with GET /api/v1/findings?kind={f.Kind}; " +
                $"approve or reject it with POST /api/v1/findings/{f.Id}/approve or /reject."))
            .ToList();
    }
}
