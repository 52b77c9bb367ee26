using System.Security.Cryptography;
using System.Text;
using Concord.Core.Configuration;
using Concord.Engine.Connectors;

namespace Concord.Connectors.Webhook;

/// <summary>How a webhook proves it comes from the system.</summary>
public enum WebhookAuthMode
{
    /// <summary>HMAC-SHA256 over timestamp and body (<see cref="WebhookSignature"/>). The default.</summary>
    Hmac,

    /// <summary>A shared secret in a header, compared in constant time; for senders that cannot sign.</summary>
    SharedSecret,
}

/// <summary>
/// Verifies inbound webhooks. There is no unauthenticated mode: a system without a secret cannot
/// send webhooks at all, and a missing, wrong or stale signature is rejected.
/// </summary>
public sealed class WebhookVerifier(WebhookAuthMode mode, string secret, string header, TimeSpan tolerance, TimeProvider time)
{
    public void Verify(InboundRequest request)
    {
        if (mode == WebhookAuthMode.SharedSecret)
        {
            var given = request.Header(header);
            if (string.IsNullOrEmpty(given))
            {
                throw new WebhookRejectedException($"missing {header} header");
            }

            // Hashes of equal length: comparing the raw strings would reveal the secret's length.
            if (!CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(secret))))
            {
                throw new WebhookRejectedException($"wrong {header} header");
            }

            return;
        }

        var why = WebhookSignature.Verify(secret, request.Header(WebhookSignature.TimestampHeader), request.Header(header), request.Body.Span, time.GetUtcNow(), tolerance);
        if (why is not null)
        {
            throw new WebhookRejectedException(why);
        }
    }

    /// <summary>Builds the verifier from a system's <c>webhook_*</c> settings (or the plain names for the webhook kind).</summary>
    public static WebhookVerifier FromSettings(SystemConfig system, string prefix, TimeProvider time, Func<string, string?>? environment = null)
    {
        var secretRef = system.Secrets.GetValueOrDefault(prefix + "secret")
            ?? throw new InvalidOperationException($"system '{system.Name}' receives webhooks but has no settings.{prefix}secret");
        var secret = secretRef.Resolve(environment)
            ?? throw new InvalidOperationException($"environment variable {secretRef.EnvironmentVariable} (systems.{system.Name}.settings.{prefix}secret) is not set");
        var mode = system.GetSetting(prefix + "mode") == "shared-secret" ? WebhookAuthMode.SharedSecret : WebhookAuthMode.Hmac;
        var header = system.GetSetting(prefix + "header") ?? (mode == WebhookAuthMode.SharedSecret ? "X-Concord-Token" : WebhookSignature.SignatureHeader);
        var tolerance = system.GetSetting(prefix + "tolerance") is { } t && Duration.TryParse(t, out var parsed) ? parsed : TimeSpan.FromMinutes(5);
        return new WebhookVerifier(mode, secret, header, tolerance, time);
    }
}
