using System.Security.Cryptography;
using Concord.Engine.Connectors;
using Concord.Storage.Sqlite;
using Concord.Testing;

namespace Concord.Engine.Tests.Connectors;

public sealed class ProtectedCredentialStoreTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private SqliteHubStore _store = null!;

    public async Task InitializeAsync()
    {
        _store = new SqliteHubStore(_dir.File("hub.db"), durable: false, TimeProvider.System);
        await _store.InitializeAsync(default);
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task ACredentialIsStoredEncrypted_AndReadBackWithTheSameKey()
    {
        var key = RandomNumberGenerator.GetBytes(32);
        await new ProtectedCredentialStore(_store, key).SetAsync("books", "refresh_token", "RT-secret-123", default);

        var raw = await _store.GetConnectorStateAsync("books", "credential:refresh_token", default);
        Assert.NotNull(raw);
        Assert.DoesNotContain("RT-secret-123", raw, StringComparison.Ordinal);
        Assert.Equal("RT-secret-123", await new ProtectedCredentialStore(_store, key).GetAsync("books", "refresh_token", default));
    }

    [Fact]
    public async Task AnotherKey_OrAValueMovedToAnotherSystem_CannotBeRead()
    {
        var key = RandomNumberGenerator.GetBytes(32);
        var credentials = new ProtectedCredentialStore(_store, key);
        await credentials.SetAsync("books", "refresh_token", "RT-1", default);

        var wrongKey = await Assert.ThrowsAsync<CryptographicException>(() => new ProtectedCredentialStore(_store, RandomNumberGenerator.GetBytes(32)).GetAsync("books", "refresh_token", default));
        Assert.Contains("credential key changed", wrongKey.Message, StringComparison.Ordinal);

        var sealedValue = await _store.GetConnectorStateAsync("books", "credential:refresh_token", default);
        await _store.SetConnectorStateAsync("other", "credential:refresh_token", sealedValue!, default);
        await Assert.ThrowsAsync<CryptographicException>(() => credentials.GetAsync("other", "refresh_token", default));
    }
}
