using System.Runtime.CompilerServices;
using System.Text.Json;
using Concord.Core.Records;

namespace Concord.Storage.Sqlite;

public sealed partial class SqliteHubStore
{
    public async IAsyncEnumerable<GoldenRecord> ReadRecordsAsync(string type, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = OpenRead();
        await using var command = connection.CreateCommand();
        // Ordered by creation (then id, for ties) so batch jobs see the same order on every run.
        command.CommandText = "SELECT doc FROM records WHERE type = $type AND deleted = 0 ORDER BY created_at, id";
        Bind(command, "$type", type);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return JsonSerializer.Deserialize<GoldenRecord>(reader.GetString(0), Json)!;
        }
    }
}
