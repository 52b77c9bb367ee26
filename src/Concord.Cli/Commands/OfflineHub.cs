using Concord.Core.Configuration;
using Concord.Engine.Hosting;
using Concord.Server;
using Concord.Storage.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace Concord.Cli.Commands;

/// <summary>
/// The hub's store and pipeline opened by a command, without starting anything: what it writes (a queued
/// run, a replay) a running hub on the same database picks up within a second.
/// </summary>
internal sealed class OfflineHub : IAsyncDisposable
{
    private readonly HttpClient _http = new();

    private OfflineHub(HubConfig config, SqliteHubStore store, HubRuntime runtime)
    {
        Config = config;
        Store = store;
        Runtime = runtime;
    }

    public HubConfig Config { get; }

    public SqliteHubStore Store { get; }

    public HubRuntime Runtime { get; }

    public static async Task<OfflineHub> OpenAsync(HubConfig config, FileInfo file, CancellationToken cancellationToken)
    {
        var path = Path.IsPathRooted(config.Hub.Data) ? config.Hub.Data : Path.Combine(file.DirectoryName!, config.Hub.Data);
        var store = new SqliteHubStore(path);
        await store.InitializeAsync(cancellationToken);
        var runtime = new HubRuntime(config, store, new OfflineConnectors(), new HttpClient(), TimeProvider.System, NullLoggerFactory.Instance,
            credentialKey: CredentialKey.Load(path, Environment.GetEnvironmentVariable), environment: Environment.GetEnvironmentVariable);
        return new OfflineHub(config, store, runtime);
    }

    public async ValueTask DisposeAsync()
    {
        await Runtime.DisposeAsync();
        await Store.DisposeAsync();
        _http.Dispose();
    }
}
