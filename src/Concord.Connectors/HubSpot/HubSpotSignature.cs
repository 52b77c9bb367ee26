using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Concord.Connectors.HubSpot;

/// <summary>
/// HubSpot's request signatures. v3 (current): <c>X-HubSpot-Signature-v3</c> is the base64
/// HMAC-SHA256, keyed with the app's client secret, of method + URI + body + the
/// <c>X-HubSpot-Request-Timestamp</c> header (milliseconds), which must be within 5 minutes. The URI
/// is the full URL HubSpot called, with a few percent-escapes decoded as HubSpot does. v1 and v2
/// (still sent): <c>X-HubSpot-Signature</c> is the hex SHA-256 of secret + body (v1) or
/// secret + method + URI + body (v2); they carry no timestamp, so v3 is preferred.
/// </summary>
public static class HubSpotSignature
{
    public const string V3Header = "X-HubSpot-Signature-v3";
    public const string TimestampHeader = "X-HubSpot-Request-Timestamp";
    public const string LegacyHeader = "X-HubSpot-Signature";
    public const string VersionHeader = "X-HubSpot-Signature-Version";

    public static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    /// <summary>The escapes HubSpot decodes in the URI before signing.</summary>
    private static readonly (string Escaped, string Plain)[] Decoded =
    [
        ("%3A", ":"), ("%2F", "/"), ("%3F", "?"), ("%40", "@"), ("%21", "!"), ("%24", "$"),
        ("%27", "'"), ("%28", "("), ("%29", ")"), ("%2A", "*"), ("%2C", ","), ("%3B", ";"),
    ];

    public static string SignV3(string secret, string method, string uri, string body, long timestampMs) =>
        Convert.ToBase64String(Signatures.HmacSha256(secret, method + DecodeUri(uri) + body + timestampMs.ToString(CultureInfo.InvariantCulture)));

    /// <summary>Why the v3 signature is not acceptable, or null when it is.</summary>
    public static string? VerifyV3(string secret, string method, string uri, string body, string? signature, string? timestamp, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(signature))
        {
            return $"missing {V3Header} header";
        }

        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var ts))
        {
            return $"missing or malformed {TimestampHeader} header (unix milliseconds)";
        }

        if (Signatures.OutsideTolerance(ts, now.ToUnixTimeMilliseconds(), (long)Tolerance.TotalMilliseconds, "ms") is { } stale)
        {
            return stale;
        }

        var given = Signatures.FromBase64(signature.Trim());
        var expected = Signatures.HmacSha256(secret, method + DecodeUri(uri) + body + timestamp);
        return given is not null && Signatures.SameBytes(given, expected) ? null : "signature does not match";
    }

    /// <summary>The v1 (secret + body) or v2 (secret + method + URI + body) signature, hex SHA-256.</summary>
    public static string SignLegacy(string secret, string version, string method, string uri, string body) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(version == "v2" ? secret + method + uri + body : secret + body)));

    public static string? VerifyLegacy(string secret, string? version, string method, string uri, string body, string? signature)
    {
        if (string.IsNullOrWhiteSpace(signature))
        {
            return $"missing {LegacyHeader} header";
        }

        if (version is not ("v1" or "v2"))
        {
            return $"{VersionHeader} must be v1 or v2, not '{version}'";
        }

        var given = Signatures.FromHex(signature.Trim());
        var expected = Convert.FromHexString(SignLegacy(secret, version, method, uri, body));
        return given is not null && Signatures.SameBytes(given, expected) ? null : "signature does not match";
    }

    private static string DecodeUri(string uri)
    {
        foreach (var (escaped, plain) in Decoded)
        {
            uri = uri.Replace(escaped, plain, StringComparison.OrdinalIgnoreCase);
        }

        return uri;
    }
}
