using System.Globalization;
using System.Text;

namespace Concord.Connectors.Slack;

/// <summary>
/// Slack's request signature: <c>X-Slack-Signature: v0=&lt;hex&gt;</c>, HMAC-SHA256 keyed with the
/// app's signing secret over <c>"v0:{X-Slack-Request-Timestamp}:{raw body}"</c>; the timestamp
/// (seconds) must be within 5 minutes.
/// </summary>
public static class SlackSignature
{
    public const string Header = "X-Slack-Signature";
    public const string TimestampHeader = "X-Slack-Request-Timestamp";

    public static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    public static string Sign(string secret, long timestamp, string body) =>
        "v0=" + Convert.ToHexStringLower(Signatures.HmacSha256(secret, $"v0:{timestamp.ToString(CultureInfo.InvariantCulture)}:{body}"));

    public static string? Verify(string secret, string? signature, string? timestamp, string body, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(signature) || !signature.StartsWith("v0=", StringComparison.Ordinal))
        {
            return $"missing or malformed {Header} header (v0=…)";
        }

        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var ts))
        {
            return $"missing or malformed {TimestampHeader} header (unix seconds)";
        }

        if (Signatures.OutsideTolerance(ts, now.ToUnixTimeSeconds(), (long)Tolerance.TotalSeconds, "s") is { } stale)
        {
            return stale;
        }

        var given = Signatures.FromHex(signature[3..]);
        var expected = Signatures.HmacSha256(secret, Encoding.UTF8.GetBytes($"v0:{timestamp}:{body}"));
        return given is not null && Signatures.SameBytes(given, expected) ? null : "signature does not match";
    }
}
