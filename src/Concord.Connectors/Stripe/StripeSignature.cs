using System.Globalization;

namespace Concord.Connectors.Stripe;

/// <summary>
/// Stripe's webhook signature: <c>Stripe-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex&gt;[,v1=…]</c>, where
/// each <c>v1</c> is HMAC-SHA256 keyed with the endpoint secret (<c>whsec_…</c>) over
/// <c>"{t}.{raw body}"</c>. Several <c>v1</c> values appear while a secret is being rolled; any one
/// that matches is enough. Default tolerance 300 s, as Stripe's own libraries use.
/// </summary>
public static class StripeSignature
{
    public const string Header = "Stripe-Signature";

    public static readonly TimeSpan DefaultTolerance = TimeSpan.FromSeconds(300);

    public static string Sign(string secret, long timestamp, ReadOnlySpan<byte> body) =>
        $"t={timestamp.ToString(CultureInfo.InvariantCulture)},v1={Convert.ToHexStringLower(Mac(secret, timestamp, body))}";

    /// <summary>Why the request is not from Stripe, or null when it is.</summary>
    public static string? Verify(string secret, string? header, ReadOnlySpan<byte> body, DateTimeOffset now, TimeSpan? tolerance = null)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return $"missing {Header} header";
        }

        long? timestamp = null;
        var signatures = new List<byte[]>();
        foreach (var part in header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                continue;
            }

            var (key, value) = (part[..eq], part[(eq + 1)..]);
            if (key == "t" && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var t))
            {
                timestamp = t;
            }
            else if (key == "v1" && Signatures.FromHex(value) is { } sig)
            {
                signatures.Add(sig);
            }
        }

        if (timestamp is not { } ts)
        {
            return $"{Header} has no timestamp (t=)";
        }

        if (signatures.Count == 0)
        {
            return $"{Header} has no v1 signature";
        }

        var limit = (long)(tolerance ?? DefaultTolerance).TotalSeconds;
        if (Signatures.OutsideTolerance(ts, now.ToUnixTimeSeconds(), limit, "s") is { } stale)
        {
            return stale;
        }

        var expected = Mac(secret, ts, body);
        return signatures.Any(s => Signatures.SameBytes(s, expected)) ? null : "signature does not match";
    }

    private static byte[] Mac(string secret, long timestamp, ReadOnlySpan<byte> body) => Signatures.TimestampDotBody(secret, timestamp, body);
}
