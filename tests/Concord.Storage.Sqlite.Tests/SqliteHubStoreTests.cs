using System.Text.Json.Nodes;
using Concord.Core.Records;
using Concord.Engine.Storage;
using Concord.Testing;
using Microsoft.Data.Sqlite;

namespace Concord.Storage.Sqlite.Tests;

/// <summary>What is particular to the SQLite store: durability settings, group commit, migrations.</summary>
public sealed class SqliteHubStoreTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task TheDatabaseIsInWalModeWithFullSync()
    {
        await using var store = new SqliteHubStore(_dir.File("wal.db"));
        await store.InitializeAsync(default);
        await using var connection = new SqliteConnection($"Data Source={store.Path}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", command.ExecuteScalar());
        Assert.True(store.Durable);
    }

    [Fact]
    public async Task ConcurrentWrites_AreGroupedIntoFewerCommits()
    {
        await using var store = new SqliteHubStore(_dir.File("group.db"));
        await store.InitializeAsync(default);
        var now = DateTimeOffset.UtcNow;
        var writes = Enumerable.Range(0, 2000).Select(i => store.AppendAsync(
            [new InboundChange($"chg_{i}", new Change("crm", "customer", $"c{i}", $"e{i}", now, new Dictionary<string, JsonNode?>()), "{}", now, "api")], default));
        await Task.WhenAll(writes);

        Assert.Equal(2000, store.WriteOperations);
        Assert.True(store.Commits < 2000, $"expected group commit to batch 2000 writes into fewer commits, saw {store.Commits}");
    }

    [Fact]
    public async Task WhenSqliteAbortsTheWholeTransaction_EveryWaitingWriteFails_NoneHangs_AndTheStoreGoesOn()
    {
        await using var store = new SqliteHubStore(_dir.File("abort.db"));
        await store.InitializeAsync(default);
        await using (var admin = new SqliteConnection($"Data Source={store.Path}"))
        {
            admin.Open();
            using var trigger = admin.CreateCommand();
            trigger.CommandText = "CREATE TRIGGER boom BEFORE INSERT ON inbox WHEN NEW.event_id = 'boom' BEGIN SELECT RAISE(ROLLBACK, 'boom'); END;";
            trigger.ExecuteNonQuery();
        }

        var now = DateTimeOffset.UtcNow;
        InboundChange Change(string eventId) =>
            new($"chg_{eventId}", new Change("crm", "customer", eventId, eventId, now, new Dictionary<string, JsonNode?>()), "{}", now, "api");
        var writes = Enumerable.Range(0, 20).Select(i => store.AppendAsync([Change($"e{i}")], default))
            .Append(store.AppendAsync([Change("boom")], default)).ToList();

        var all = Task.WhenAll(writes);
        var finished = await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(10)));
        Assert.True(ReferenceEquals(all, finished), "every write completed, failed or not, within 10 s");
        Assert.True(writes[^1].IsFaulted);
        Assert.False((await store.AppendAsync([Change("after")], default))[0].Duplicate);
    }

    [Fact]
    public async Task InitializingTwice_MigratesOnce()
    {
        var path = _dir.File("migrate.db");
        await using (var first = new SqliteHubStore(path))
        {
            await first.InitializeAsync(default);
        }

        await using var second = new SqliteHubStore(path);
        await second.InitializeAsync(default);
        await using var connection = new SqliteConnection($"Data Source={path}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) = MAX(version) AND COUNT(*) > 1 FROM schema_version";
        Assert.Equal(1L, command.ExecuteScalar());
    }

    [Fact]
    public async Task ADatabaseFromBeforeRunsKeptWhoReplayedThem_Upgrades_KeepingItsRuns()
    {
        // The version that added flow_runs.replayed_by: the first after which the column exists.
        int added;
        await using (var probe = new SqliteConnection($"Data Source={_dir.File("probe.db")}"))
        {
            probe.Open();
            added = Enumerable.Range(1, SqliteSchema.Latest).First(v =>
            {
                SqliteSchema.Migrate(probe, v);
                return Columns(probe, "flow_runs").Contains("replayed_by");
            });
        }

        // A database as the hub before it left it, with a run replayed once (by nobody it could name).
        var path = _dir.File("old.db");
        await using (var old = new SqliteConnection($"Data Source={path}"))
        {
            old.Open();
            SqliteSchema.Migrate(old, added - 1);
            Assert.DoesNotContain("replayed_by", Columns(old, "flow_runs"));
            using var insert = old.CreateCommand();
            insert.CommandText = """
                INSERT INTO flow_runs(id, flow, trigger_kind, status, input, depth, step, error, replays, created_at, updated_at, next_at, finished_at)
                VALUES ('run_old', 'welcome', 'manual', 5, '{}', 0, 'ping', 'answered 422', 1, 1000, 2000, 2000, 2000)
                """;
            insert.ExecuteNonQuery();
        }

        await using var store = new SqliteHubStore(path);
        await store.InitializeAsync(default);
        var run = await store.GetFlowRunAsync("run_old", default);
        Assert.Equal((FlowRunStatus.Failed, "ping", 1, null, null), (run!.Status, run.Step, run.Replays, run.ReplayedBy, run.ReplayedAt));

        var now = DateTimeOffset.FromUnixTimeMilliseconds(3000);
        await store.ExecuteAsync(tx =>
        {
            tx.SaveFlowRun(tx.LoadFlowRun("run_old")! with { Status = FlowRunStatus.Pending, Replays = 2, ReplayedBy = "cli", ReplayedAt = now });
            return true;
        }, default);
        var replayed = await store.GetFlowRunAsync("run_old", default);
        Assert.Equal((2, "cli", now), (replayed!.Replays, replayed.ReplayedBy, replayed.ReplayedAt));
    }

    [Fact]
    public async Task AStoreNotInitialised_SaysSo()
    {
        await using var store = new SqliteHubStore(_dir.File("none.db"));
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => store.PruneAsync(DateTimeOffset.UtcNow, default));
        Assert.Contains("InitializeAsync", ex.Message, StringComparison.Ordinal);
    }

    private static List<string> Columns(SqliteConnection connection, string table)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT name FROM pragma_table_info('{table}')";
        using var reader = command.ExecuteReader();
        var names = new List<string>();
        while (reader.Read())
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }

    public void Dispose() => _dir.Dispose();
}
