using System.Security.Cryptography;
using System.Text;
using Concord.Engine.Storage;

namespace Concord.Engine.Connectors;

/// <summary>
/// Keeps connector credentials in the hub's store encrypted with AES-256-GCM under a key that is not
/// in the store (an environment variable or a key file beside the database): a copied database file
/// alone does not give away a vendor account. The system and key name are bound in as associated
/// data, so a value cannot be moved to another system's slot.
/// </summary>
public sealed class ProtectedCredentialStore : ICredentialStore
{
    private const byte Version = 1;
    private readonly IConnectorStateStore _store;
    private readonly byte[] _key;

    public ProtectedCredentialStore(IConnectorStateStore store, byte[] key)
    {
        if (key.Length != 32)
        {
            throw new ArgumentException("the credential key must be 32 bytes", nameof(key));
        }

        _store = store;
        _key = key;
    }

    public async Task<string?> GetAsync(string system, string key, CancellationToken cancellationToken)
    {
        var stored = await _store.GetConnectorStateAsync(system, "credential:" + key, cancellationToken);
        return stored is null ? null : Open(system, key, stored);
    }

    public Task SetAsync(string system, string key, string value, CancellationToken cancellationToken) =>
        _store.SetConnectorStateAsync(system, "credential:" + key, Seal(system, key, value), cancellationToken);

    internal string Seal(string system, string key, string value)
    {
        var plain = Encoding.UTF8.GetBytes(value);
        var sealedBytes = new byte[1 + 12 + 16 + plain.Length];
        sealedBytes[0] = Version;
        var nonce = sealedBytes.AsSpan(1, 12);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, 16);
        aes.Encrypt(nonce, plain, sealedBytes.AsSpan(29), sealedBytes.AsSpan(13, 16), Associated(system, key));
        return Convert.ToBase64String(sealedBytes);
    }

    internal string Open(string system, string key, string stored)
    {
        var bytes = Convert.FromBase64String(stored);
        if (bytes.Length < 29 || bytes[0] != Version)
        {
            throw new CryptographicException($"the stored credential '{key}' of system '{system}' is not in a format this hub reads");
        }

        var plain = new byte[bytes.Length - 29];
        using var aes = new AesGcm(_key, 16);
        try
        {
            aes.Decrypt(bytes.AsSpan(1, 12), bytes.AsSpan(29), bytes.AsSpan(13, 16), plain, Associated(system, key));
        }
        catch (AuthenticationTagMismatchException)
        {
            throw new CryptographicException($"the stored credential '{key}' of system '{system}' cannot be decrypted: the hub's credential key changed (CONCORD_CREDENTIAL_KEY or the .key file beside the database)");
        }

        return Encoding.UTF8.GetString(plain);
    }

    private static byte[] Associated(string system, string key) => Encoding.UTF8.GetBytes(system + "\n" + key);
}
