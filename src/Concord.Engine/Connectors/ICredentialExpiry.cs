namespace Concord.Engine.Connectors;

/// <summary>
/// A connector that knows when its credential stops working (an OAuth refresh token's lifetime, as the
/// vendor's token endpoint states it), for the <c>credential_expiry</c> alert.
/// </summary>
public interface ICredentialExpiry
{
    /// <summary>What the credential is, for people: "the QuickBooks refresh token".</summary>
    string Credential { get; }

    /// <summary>When it expires, as last learned; null when not known yet.</summary>
    Task<DateTimeOffset?> ExpiresAtAsync(CancellationToken cancellationToken);
}
