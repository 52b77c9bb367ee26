using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Concord.Engine;
using Concord.Engine.Storage;

namespace Concord.Server.Auth;

/// <summary>
/// API keys: 32 random bytes, shown once, stored as their SHA-256. A fast hash is right here
/// (unlike passwords) because the key has 256 bits of entropy: there is nothing to brute-force.
/// A verified key is remembered for <see cref="CacheFor"/>, so a key revoked from the command
/// line (another process) stops working within that time.
/// </summary>
public sealed class ApiKeys(IApiKeyStore store, TimeProvider time)
{
    /// <summary>How long a verified key is trusted without asking the store again.</summary>
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);

    private const string Prefix = "ck_";
    private readonly ConcurrentDictionary<string, (ApiKeyInfo Key, DateTimeOffset Until)> _known = new(StringComparer.Ordinal);

    /// <summary>Creates a key; the returned secret is the only time it exists in clear.</summary>
    public async Task<(ApiKeyInfo Key, string Secret)> CreateAsync(string name, CancellationToken cancellationToken)
    {
        var secret = Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var info = new ApiKeyInfo(Ids.New("key", time), name, Hash(secret), time.GetUtcNow());
        await store.CreateApiKeyAsync(info, cancellationToken);
        return (info, secret);
    }

    public async Task<ApiKeyInfo?> VerifyAsync(string presented, CancellationToken cancellationToken)
    {
        if (!presented.StartsWith(Prefix, StringComparison.Ordinal) || presented.Length > 128)
        {
            return null;
        }

        var hash = Hash(presented);
        var now = time.GetUtcNow();
        if (_known.TryGetValue(hash, out var cached) && cached.Until > now)
        {
            return cached.Key;
        }

        var found = await store.FindApiKeyAsync(hash, cancellationToken);
        if (found is not null)
        {
            _known[hash] = (found, now + CacheFor);
        }
        else
        {
            _known.TryRemove(hash, out _);
        }

        return found;
    }

    /// <summary>Revokes a key; in this process at once, in other running hubs within <see cref="CacheFor"/>.</summary>
    public async Task<bool> RevokeAsync(string id, CancellationToken cancellationToken)
    {
        var revoked = await store.RevokeApiKeyAsync(id, time.GetUtcNow(), cancellationToken);
        foreach (var entry in _known.Where(e => e.Value.Key.Id == id).ToList())
        {
            _known.TryRemove(entry.Key, out _);
        }

        return revoked;
    }

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}
