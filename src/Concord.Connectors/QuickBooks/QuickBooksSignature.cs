namespace Concord.Connectors.QuickBooks;

/// <summary>
/// QuickBooks Online's webhook signature: <c>intuit-signature</c> is the base64 HMAC-SHA256 of the
/// raw body keyed with the app's verifier token. It carries no timestamp; replays are stopped by
/// the events' own ids (each is accepted once) and their time, checked when they are parsed.
/// </summary>
public static class QuickBooksSignature
{
    public const string Header = "intuit-signature";

    public static string Sign(string verifierToken, ReadOnlySpan<byte> body) => Convert.ToBase64String(Signatures.HmacSha256(verifierToken, body));

    public static string? Verify(string verifierToken, string? signature, ReadOnlySpan<byte> body)
    {
        if (string.IsNullOrWhiteSpace(signature))
        {
            return $"missing {Header} header";
        }

        var given = Signatures.FromBase64(signature.Trim());
        return given is not null && Signatures.SameBytes(given, Signatures.HmacSha256(verifierToken, body)) ? null : "signature does not match";
    }
}
