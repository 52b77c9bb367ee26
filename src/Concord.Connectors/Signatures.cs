using System.Security.Cryptography;
using System.Text;

namespace Concord.Connectors;

/// <summary>Shared pieces of the vendors' webhook signature schemes.</summary>
internal static class Signatures
{
    public static byte[] HmacSha256(string secret, string message) =>
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(message));

    public static byte[] HmacSha256(string secret, ReadOnlySpan<byte> message) =>
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), message);

    /// <summary>HMAC-SHA256 over <c>"{timestamp}.{body}"</c>: the scheme of Concord's own webhooks and of Stripe's.</summary>
    public static byte[] TimestampDotBody(string secret, long timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes(timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".");
        var message = new byte[prefix.Length + body.Length];
        prefix.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(prefix.Length));
        return HmacSha256(secret, message);
    }

    /// <summary>Constant-time comparison of two byte strings of any length.</summary>
    public static bool SameBytes(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b) => CryptographicOperations.FixedTimeEquals(a, b);

    public static byte[]? FromHex(string text)
    {
        try
        {
            return Convert.FromHexString(text);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    public static byte[]? FromBase64(string text)
    {
        try
        {
            return Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>Why a timestamp (in the sender's unit) is too far from now, or null when it is within the tolerance.</summary>
    public static string? OutsideTolerance(long timestamp, long now, long tolerance, string unit) =>
        timestamp < now - tolerance || timestamp > now + tolerance
            ? $"timestamp is {Math.Abs((decimal)now - timestamp)} {unit} away from now; the tolerance is {tolerance} {unit}"
            : null;
}
