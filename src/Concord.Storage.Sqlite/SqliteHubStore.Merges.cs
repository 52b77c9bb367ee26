using System.Data.Common;
using System.Text.Json;
using Concord.Engine.Storage;

namespace Concord.Storage.Sqlite;

public sealed partial class SqliteHubStore
{
    public Task<T> ExecuteAsync<T>(Func<IPipelineTransaction, T> work, CancellationToken cancellationToken) =>
        WriteAsync(w => work(new SqlitePipelineTransaction(w, _time.GetUtcNow())), cancellationToken);

    public async Task<IReadOnlyList<MergeEntry>> GetMergesAsync(string recordId, CancellationToken cancellationToken)
    {
        await using var connection = OpenRead();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT id, type, survivor_id, absorbed_id, survivor_before, absorbed, links, by, merged_at, undone_at, repointed FROM merges
            WHERE survivor_id = $r OR absorbed_id = $r ORDER BY merged_at DESC, id DESC
            """;
        Bind(command, "$r", recordId);
        var result = new List<MergeEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(ReadMerge(reader));
        }

        return result;
    }

    internal static MergeEntry ReadMerge(DbDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5),
        JsonSerializer.Deserialize<List<RecordLink>>(r.GetString(6), Json)!, r.GetString(7), FromMs(r.GetInt64(8)), r.IsDBNull(9) ? null : FromMs(r.GetInt64(9)),
        r.IsDBNull(10) ? [] : JsonSerializer.Deserialize<List<RecordReference>>(r.GetString(10), Json)!);
}
