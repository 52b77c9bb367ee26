using System.Globalization;

namespace Concord.Connectors.Webhook;

/// <summary>
/// Concord's webhook signature: <c>X-Concord-Timestamp: &lt;unix seconds&gt;</c> and
/// <c>X-Concord-Signature: v1=&lt;hex HMAC-SHA256(secret, timestamp + "." + body)&gt;</c>.
/// Several <c>v1=</c> values (comma-separated) are accepted so a secret can be rotated; the
/// timestamp is signed too, so a captured request cannot be replayed outside the tolerance window.
/// </summary>
public static class WebhookSignature
{
    public const string TimestampHeader = "X-Concord-Timestamp";
    public const string SignatureHeader = "X-Concord-Signature";

    /// <summary>The header value for a body signed now.</summary>
    public static string Sign(string secret, long timestamp, ReadOnlySpan<byte> body) => "v1=" + Convert.ToHexStringLower(Signatures.TimestampDotBody(secret, timestamp, body));

    /// <summary>Why the signature is not acceptable, or null when it is.</summary>
    public static string? Verify(string secret, string? timestampHeader, string? signatureHeader, ReadOnlySpan<byte> body, DateTimeOffset now, TimeSpan tolerance)
    {
        if (string.IsNullOrWhiteSpace(signatureHeader))
        {
            return $"missing {SignatureHeader} header";
        }

        if (string.IsNullOrWhiteSpace(timestampHeader) || !long.TryParse(timestampHeader, NumberStyles.Integer, CultureInfo.InvariantCulture, out var timestamp))
        {
            return $"missing or malformed {TimestampHeader} header (unix seconds)";
        }

        // Compared as numbers: a timestamp far outside the calendar must be refused, not overflow.
        if (Signatures.OutsideTolerance(timestamp, now.ToUnixTimeSeconds(), (long)tolerance.TotalSeconds, "s") is { } stale)
        {
            return stale;
        }

        var expected = Signatures.TimestampDotBody(secret, timestamp, body);
        return signatureHeader.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Where(part => part.StartsWith("v1=", StringComparison.Ordinal))
            .Select(part => Signatures.FromHex(part[3..]))
            .Any(given => given is not null && Signatures.SameBytes(given, expected))
            ? null
            : "signature does not match";
    }
}
