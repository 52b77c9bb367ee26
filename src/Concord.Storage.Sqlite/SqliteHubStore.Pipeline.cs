using System.Text.Json;
using Concord.Engine.Storage;

namespace Concord.Storage.Sqlite;

public sealed partial class SqliteHubStore
{
    public Task<int> ProcessInboxAsync(int max, Action<IPipelineTransaction, IReadOnlyList<PendingChange>> process, CancellationToken cancellationToken) =>
        WriteAsync(w =>
        {
            var read = w.Command("""
                SELECT seq, change_id, change, payload, received_at, via FROM inbox
                WHERE processed_at IS NULL ORDER BY seq LIMIT $max
                """);
            Bind(read, "$max", max);
            var batch = new List<PendingChange>();
            using (var reader = read.ExecuteReader())
            {
                while (reader.Read())
                {
                    var stored = JsonSerializer.Deserialize<StoredChange>(reader.GetString(2), Json)!;
                    batch.Add(new PendingChange(
                        reader.GetInt64(0),
                        new InboundChange(reader.GetString(1), stored.ToChange(), reader.GetString(3), FromMs(reader.GetInt64(4)), reader.GetString(5))));
                }
            }

            if (batch.Count > 0)
            {
                process(new SqlitePipelineTransaction(w, _time.GetUtcNow()), batch);
            }

            return batch.Count;
        }, cancellationToken);
}
