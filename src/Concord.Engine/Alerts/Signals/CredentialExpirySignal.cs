using System.Globalization;
using Concord.Core.Alerts;
using Concord.Core.Configuration;
using Concord.Engine.Connectors;

namespace Concord.Engine.Alerts.Signals;

/// <summary>
/// <c>credential_expiry</c>: a system's credential that expires within <c>within</c>, or has expired. Two
/// sources: the date written as the system's <c>credential_expires:</c> (an API key with an end date), and
/// what the connector learned (an OAuth refresh token's lifetime). Each is a cause of its own (keys
/// <c>stripe</c> and <c>quickbooks:token</c>), so a renewed token clears without touching the written date.
/// </summary>
/// <param name="config">The systems and their written dates.</param>
/// <param name="connectors">The connectors that know their credential's expiry, by system.</param>
public sealed class CredentialExpirySignal(HubConfig config, IReadOnlyDictionary<string, ICredentialExpiry> connectors) : IAlertSignal
{
    public AlertRuleKind Kind => AlertRuleKind.CredentialExpiry;

    public async Task<IReadOnlyList<AlertCause>> EvaluateAsync(AlertRule rule, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var within = AlertRuleKinds.Effective(rule).Within!.Value;
        var causes = new List<AlertCause>();
        foreach (var system in config.Systems.Values.Where(s => s.CredentialExpires is not null && rule.CoversSystem(s.Name)).OrderBy(s => s.Name, StringComparer.Ordinal))
        {
            var expires = new DateTimeOffset(system.CredentialExpires!.Value.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            if (Cause(system.Name, system.Name, "its credential", expires, now, within,
                    $"Renew it in {system.Kind}, update the secret, and change systems.{system.Name}.credential_expires.") is { } cause)
            {
                causes.Add(cause);
            }
        }

        foreach (var (name, connector) in connectors.Where(c => rule.CoversSystem(c.Key)).OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            if (await connector.ExpiresAtAsync(cancellationToken) is { } expires
                && Cause($"{name}:token", name, connector.Credential, expires, now, within, "Reconnect the app and put the new credential in the system's settings.") is { } cause)
            {
                causes.Add(cause);
            }
        }

        return causes;
    }

    private static AlertCause? Cause(string key, string system, string what, DateTimeOffset expires, DateTimeOffset now, TimeSpan within, string fix)
    {
        if (expires - now > within)
        {
            return null;
        }

        var when = expires.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
        var summary = expires <= now
            ? $"EXPIRED: {what} of {system} expired on {when} ({Alerts.AlertMessages.Span(now - expires)} ago); calls to {system} will fail until it is renewed"
            : $"{what} of {system} expires on {when}, in {Alerts.AlertMessages.Span(expires - now)} (alert within {Duration.Format(within)})";
        return new AlertCause(key, $"system {system}", summary, fix);
    }
}
