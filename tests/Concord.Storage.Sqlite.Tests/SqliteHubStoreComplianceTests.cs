using Concord.Engine.Storage;
using Concord.Storage.Sqlite;
using Concord.Testing;

namespace Concord.Storage.Sqlite.Tests;

/// <summary>The storage compliance suite, against a SQLite file per test.</summary>
public sealed class SqliteHubStoreComplianceTests : HubStoreComplianceTests, IDisposable
{
    private readonly TempDirectory _dir = new();

    protected override async Task<IHubStore> OpenAsync(string name, ManualTimeProvider time)
    {
        var store = new SqliteHubStore(_dir.File($"{name}.db"), durable: true, time);
        await store.InitializeAsync(default);
        return store;
    }

    public void Dispose() => _dir.Dispose();
}
