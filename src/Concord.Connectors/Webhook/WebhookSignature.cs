using System.Globalization;
using System.Security.Cryptography;
using System.Text;

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
    public static string Sign(string secret, long timestamp, ReadOnlySpan<byte> body) => "v1=" + Convert.ToHexStringLower(Mac(secret, timestamp, body));

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
        var nowSeconds = now.ToUnixTimeSeconds();
        var allowed = (long)tolerance.TotalSeconds;
        if (timestamp < nowSeconds - allowed || timestamp > nowSeconds + allowed)
        {
            var away = (decimal)nowSeconds - timestamp;
            return $"timestamp is {Math.Abs(away):0} s away from now; the tolerance is {allowed} s";
        }

        var expected = Mac(secret, timestamp, body);
        foreach (var part in signatureHeader.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!part.StartsWith("v1=", StringComparison.Ordinal))
            {
                continue;
            }

            byte[] given;
            try
            {
                given = Convert.FromHexString(part.AsSpan(3));
            }
            catch (FormatException)
            {
                continue;
            }

            if (CryptographicOperations.FixedTimeEquals(given, expected))
            {
                return null;
            }
        }

        return "signature does not match";
    }

    private static byte[] Mac(string secret, long timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + ".");
        var message = new byte[prefix.Length + body.Length];
        prefix.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(prefix.Length));
        return HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), message);
    }
}
