using System.Security.Cryptography;
using System.Text;

namespace Concord.Engine.Flows;

/// <summary>
/// The signature of a flow's webhook: <c>X-Concord-Signature: sha256=&lt;lower-case hex HMAC-SHA256(secret, raw body)&gt;</c>.
/// Compared in constant time, so the time an answer takes says nothing about how close a guess was.
/// </summary>
public static class FlowWebhookSignature
{
    public const string SignatureHeader = "X-Concord-Signature";

    /// <summary>An id the sender gives each delivery; a retry with the same id starts no second run.</summary>
    public const string DeliveryHeader = "X-Concord-Delivery";

    public static string Sign(string secret, ReadOnlySpan<byte> body) => "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    /// <summary>Why the signature is not acceptable, or null when it is.</summary>
    public static string? Verify(string secret, string? header, ReadOnlySpan<byte> body)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return $"missing {SignatureHeader} header";
        }

        var value = header.Trim();
        if (!value.StartsWith("sha256=", StringComparison.Ordinal))
        {
            return $"{SignatureHeader} must be sha256=<hex of HMAC-SHA256 over the body>";
        }

        byte[] given;
        try
        {
            given = Convert.FromHexString(value["sha256=".Length..]);
        }
        catch (FormatException)
        {
            return $"{SignatureHeader} is not hexadecimal";
        }

        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body);
        return CryptographicOperations.FixedTimeEquals(expected, given) ? null : "signature does not match";
    }
}
